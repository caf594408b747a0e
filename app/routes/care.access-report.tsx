import { Badge, Button, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { careActor, careScopes } from "../domain/care/access.server";
import { todayOf } from "../domain/care/care.server";
import { accessReport } from "../domain/care/report.server";
import { ACCESS_FLAG_LABELS, addDays, UNUSUAL_ACCESS } from "../domain/care/rules";
import { accessReportSchema } from "../domain/care/schema";
import { getPlace } from "../domain/places/places.server";
import { formatDate } from "../lib/dates";
import { requirePermission, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { throwAsResponse } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "关爱数据访问报告 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const scope = careScopes(careActor(user), "care.access_report")[0];
  const { actor } = await requirePermission(request, context, "care.access_report", { placePath: scope?.placePath ?? null });
  const today = todayOf(systemClock);
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = accessReportSchema.safeParse({ from: params.from ?? addDays(today, -29), to: params.to ?? today });
  const period = parsed.success ? parsed.data : { from: addDays(today, -29), to: today };
  try {
    const [place, readers] = await Promise.all([getPlace(getDb(), scope!.placeId!), accessReport(getDb(), careActor(actor), { placeId: scope!.placeId!, ...period })]);
    return data({ placeName: place?.name ?? "", period, readers, invalidPeriod: !parsed.success }, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    throwAsResponse(e);
  }
}

export default function AccessReport() {
  const { placeName, period, readers, invalidPeriod } = useLoaderData<typeof loader>();
  return (
    <Stack maw={1200} mx="auto" gap="lg">
      <Title order={1}>关爱数据访问报告 · {placeName}</Title>
      <Text>
        谁在何时查看了多少关爱对象记录（含查看完整证件号和导出）。单日查看超过 {UNUSUAL_ACCESS.maxDistinctPerDay} 个不同对象，或达到 {UNUSUAL_ACCESS.baselineFloor}{" "}
        个以上且超过本人前 {UNUSUAL_ACCESS.baselineDays} 天日均 {UNUSUAL_ACCESS.baselineMultiplier} 倍的日子会被标记。
      </Text>
      <Form method="get">
        <Group align="flex-end">
          <TextInput label="开始日期" name="from" type="date" defaultValue={period.from} />
          <TextInput label="结束日期" name="to" type="date" defaultValue={period.to} />
          <Button type="submit" variant="default">
            查看
          </Button>
        </Group>
      </Form>
      {invalidPeriod ? <Text c="red.8">日期有误，已显示最近 30 天。</Text> : null}
      <Table.ScrollContainer minWidth={800}>
        <Table striped withTableBorder aria-label="访问统计">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>人员</Table.Th>
              <Table.Th>查看次数</Table.Th>
              <Table.Th>涉及对象</Table.Th>
              <Table.Th>查看完整证件号</Table.Th>
              <Table.Th>导出（行数）</Table.Th>
              <Table.Th>单日最多</Table.Th>
              <Table.Th>标记</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {readers.map((r) => (
              <Table.Tr key={r.userId}>
                <Table.Td>{r.name}</Table.Td>
                <Table.Td>{r.reads}</Table.Td>
                <Table.Td>{r.distinctTargets}</Table.Td>
                <Table.Td>{r.unmasks}</Table.Td>
                <Table.Td>
                  {r.exports}（{r.exportedRows}）
                </Table.Td>
                <Table.Td>{r.busiestDay ? `${r.busiestDay.distinct}（${formatDate(r.busiestDay.day)}）` : "—"}</Table.Td>
                <Table.Td>
                  {r.flaggedDays.length === 0 ? (
                    "—"
                  ) : (
                    <Stack gap={4}>
                      {r.flaggedDays.map((d) => (
                        <Badge key={d.day} color="red" variant="light" radius="sm" style={{ whiteSpace: "normal", height: "auto" }}>
                          {formatDate(d.day)}：{d.distinct} 个，{d.flags.map((f) => ACCESS_FLAG_LABELS[f]).join("；")}
                        </Badge>
                      ))}
                    </Stack>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {readers.length === 0 ? <Text c="dimmed">该期间没有查看记录。</Text> : null}
    </Stack>
  );
}
