import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Textarea, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { todayOf } from "../domain/care/care.server";
import { draftSummary, liaisonPlaces, mySummaries, saveSummary } from "../domain/liaison/liaison.server";
import { dueDate, lastEndedPeriod, PERIOD_KIND_LABELS, summaryState, SUMMARY_STATE_LABELS } from "../domain/liaison/rules";
import { draftSummarySchema, saveSummarySchema } from "../domain/liaison/schema";
import { formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { auditContext, requirePlaceScopes } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "进展小结 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requirePlaceScopes(request, context, "liaison.work");
  const db = getDb();
  const [places, summaries] = await Promise.all([liaisonPlaces(db, actor), mySummaries(db, actor.user.id)]);
  const today = todayOf(systemClock);
  const due = (["weekly", "monthly"] as const).map((kind) => {
    const period = lastEndedPeriod(kind, today);
    const existing = summaries.find((s) => s.kind === kind && s.start === period.start);
    return { ...period, due: dueDate(period), state: summaryState(period, existing, today) };
  });
  return data({ places, summaries, due }, { headers: { "Cache-Control": "private, no-store" } });
}

const intentSchema = z.object({ intent: z.enum(["draft", "save", "submit"]).catch("save") });

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const { actor } = await requirePlaceScopes(request, context, "liaison.work");
  const ctx = auditContext(actor, "liaison");
  const { intent } = intentSchema.parse({ intent: form.get("intent") });
  try {
    if (intent === "draft") {
      const parsed = parseForm(draftSummarySchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
      const [place] = await liaisonPlaces(getDb(), actor);
      await getDb()
        .transaction()
        .execute((trx) => draftSummary(trx, ctx, actor, systemClock, { placeId: place.placeId, kind: parsed.data.kind }));
      return { ok: true as const, message: "已生成本期草稿，请审阅数字、填写工作小结后提交。" };
    }
    const parsed = parseForm(saveSummarySchema, form);
    if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
    await getDb()
      .transaction()
      .execute((trx) => saveSummary(trx, ctx, systemClock, { summaryId: parsed.data.summaryId, annotation: parsed.data.annotation, submit: intent === "submit" }));
    return { ok: true as const, message: intent === "submit" ? "已提交市民政局。" : "已保存。" };
  } catch (e) {
    return domainErrorResponse(e, formValues(form));
  }
}

const STATE_COLOURS = { submitted: "teal", submitted_late: "orange", draft: "blue", not_started: "gray", late: "red" } as const;

export default function LiaisonSummaries() {
  const { summaries, due } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failed = result && !result.ok ? result : undefined;
  const v = (failed?.values ?? {}) as Record<string, string>;
  return (
    <Stack maw={1000} mx="auto" gap="lg">
      <Title order={1}>进展小结</Title>
      <Text>每周（周一至周日，次周二前）或每月（次月 5 日前）向市民政局提交一次。系统先按辖区数据生成草稿，您审阅数字、写下工作情况后提交；提交后不能再修改。</Text>
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : null}
      <FormErrorSummary formError={failed?.formError} fieldErrors={failed?.fieldErrors} />
      <Stack gap="xs" component="section" aria-labelledby="due-title">
        <Title order={2} size="h3" id="due-title">
          本期应交
        </Title>
        {due.map((d) => (
          <Paper key={d.kind} withBorder p="md">
            <Group justify="space-between">
              <Text>
                {PERIOD_KIND_LABELS[d.kind]}：{d.start} 至 {d.end}（{d.due} 前提交）
              </Text>
              <Group>
                <Badge color={STATE_COLOURS[d.state]} variant="light" size="lg">
                  {SUMMARY_STATE_LABELS[d.state]}
                </Badge>
                {d.state === "not_started" || d.state === "late" || d.state === "draft" ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="draft" />
                    <input type="hidden" name="kind" value={d.kind} />
                    <Button type="submit" size="md" variant="default" loading={busy}>
                      {d.state === "draft" ? "按最新数据刷新草稿" : "生成草稿"}
                    </Button>
                  </Form>
                ) : null}
              </Group>
            </Group>
          </Paper>
        ))}
      </Stack>
      <Stack gap="md" component="section" aria-labelledby="mine-title">
        <Title order={2} size="h3" id="mine-title">
          我的小结
        </Title>
        {summaries.length === 0 ? <Text c="dimmed">还没有小结。</Text> : null}
        {summaries.map((s) => (
          <Paper key={s.id} withBorder p="lg" component="article" aria-labelledby={`s-${s.id}`}>
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={3} size="h4" id={`s-${s.id}`}>
                  {s.placeName} {PERIOD_KIND_LABELS[s.kind]} {s.start} 至 {s.end}
                </Title>
                <Badge color={s.status === "submitted" ? "teal" : "blue"} variant="light" size="lg">
                  {s.status === "submitted" ? `已提交 ${formatDateTime(s.submittedAt!)}` : "草稿"}
                </Badge>
              </Group>
              <Table withTableBorder>
                <Table.Tbody>
                  {s.lines.map((l) => (
                    <Table.Tr key={l.label}>
                      <Table.Th scope="row" fw={400}>
                        {l.label}
                      </Table.Th>
                      <Table.Td ta="right">{l.value}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {s.status === "submitted" ? (
                <Text style={{ whiteSpace: "pre-wrap" }}>{s.annotation}</Text>
              ) : (
                <Form method="post" noValidate>
                  <input type="hidden" name="summaryId" value={s.id} />
                  <Stack>
                    <Textarea
                      size="md"
                      label="本期工作情况与问题"
                      name="annotation"
                      required
                      autosize
                      minRows={4}
                      defaultValue={v.summaryId === s.id ? v.annotation : s.annotation}
                      error={v.summaryId === s.id ? failed?.fieldErrors?.annotation : undefined}
                    />
                    <Group>
                      <Button type="submit" name="intent" value="save" variant="default" size="md" loading={busy}>
                        保存
                      </Button>
                      <Button type="submit" name="intent" value="submit" size="md" loading={busy}>
                        提交市民政局
                      </Button>
                    </Group>
                  </Stack>
                </Form>
              )}
            </Stack>
          </Paper>
        ))}
      </Stack>
    </Stack>
  );
}
