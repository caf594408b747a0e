import { Anchor, Badge, Group, SimpleGrid, Stack, Table, Text, Title, Card } from "@mantine/core";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { todayOf } from "../domain/care/care.server";
import { liaisonOverview } from "../domain/liaison/liaison.server";
import { addDays, dueDate, lastEndedPeriod, PERIOD_KIND_LABELS, periodContaining, SUMMARY_STATE_LABELS } from "../domain/liaison/rules";
import { formatDateTime } from "../lib/dates";
import { requirePlaceScopes } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";

export const meta: MetaFunction = () => [{ title: "联络员进展小结 · 邻里守望" }];

const querySchema = z.object({
  kind: z.enum(["weekly", "monthly"]).catch("weekly"),
  day: z.iso.date().optional().catch(undefined),
});

/** The city's view: every liaison within the officer's places, whether this period's summary is in, on time or late. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { placePaths } = await requirePlaceScopes(request, context, "liaison.summaries.review");
  const q = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const today = todayOf(systemClock);
  const period = q.day ? periodContaining(q.kind, q.day) : lastEndedPeriod(q.kind, today);
  const rows = await liaisonOverview(getDb(), placePaths, period, systemClock);
  return data(
    { period, due: dueDate(period), rows, previous: addDays(period.start, -1), next: period.end < today ? addDays(period.end, 1) : null },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

const STATE_COLOURS = { submitted: "teal", submitted_late: "orange", draft: "blue", not_started: "gray", late: "red" } as const;

export default function LiaisonSummariesOverview() {
  const { period, due, rows, previous, next } = useLoaderData<typeof loader>();
  const submitted = rows.filter((r) => r.state === "submitted" || r.state === "submitted_late").length;
  const late = rows.filter((r) => r.state === "late" || r.state === "submitted_late");
  return (
    <Stack maw={1100} mx="auto" gap="lg">
      <Title order={1}>联络员进展小结</Title>
      <Group>
        {(["weekly", "monthly"] as const).map((k) => (
          <Anchor key={k} component={Link} to={`?kind=${k}`} display="inline-block" py={10} fw={k === period.kind ? 700 : 400} aria-current={k === period.kind ? "page" : undefined}>
            {PERIOD_KIND_LABELS[k]}
          </Anchor>
        ))}
      </Group>
      <Group justify="space-between">
        <Text>
          {PERIOD_KIND_LABELS[period.kind]}：{period.start} 至 {period.end}，{due} 前提交
        </Text>
        <Group>
          <Anchor component={Link} to={`?kind=${period.kind}&day=${previous}`} display="inline-block" py={10}>
            上一期
          </Anchor>
          {next ? (
            <Anchor component={Link} to={`?kind=${period.kind}&day=${next}`} display="inline-block" py={10}>
              下一期
            </Anchor>
          ) : null}
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder>
          <Text c="dimmed">联络员</Text>
          <Text fz={28} fw={700}>
            {rows.length}
          </Text>
        </Card>
        <Card withBorder>
          <Text c="dimmed">已提交</Text>
          <Text fz={28} fw={700} data-testid="submitted-count">
            {submitted}
          </Text>
        </Card>
        <Card withBorder>
          <Text c="dimmed">逾期</Text>
          <Text fz={28} fw={700} data-testid="late-count">
            {late.length}
          </Text>
          {late.length > 0 ? <Text size="sm">{late.map((r) => r.liaisonName).join("、")}</Text> : null}
        </Card>
      </SimpleGrid>
      <Table.ScrollContainer minWidth={760}>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>联络员</Table.Th>
              <Table.Th>辖区</Table.Th>
              <Table.Th>状态</Table.Th>
              <Table.Th>小结</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={`${r.liaisonId}-${r.placeName}`}>
                <Table.Td>{r.liaisonName}</Table.Td>
                <Table.Td>{r.placeName}</Table.Td>
                <Table.Td>
                  <Badge color={STATE_COLOURS[r.state]} variant="light">
                    {SUMMARY_STATE_LABELS[r.state]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {r.summary ? (
                    <details>
                      <summary className="disclosure">{formatDateTime(r.summary.submittedAt!)} 提交，查看</summary>
                      <Text style={{ whiteSpace: "pre-wrap" }}>{r.summary.annotation}</Text>
                      <Text size="sm">{r.summary.lines.map((l) => `${l.label} ${l.value}`).join(" · ")}</Text>
                    </details>
                  ) : (
                    "—"
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
