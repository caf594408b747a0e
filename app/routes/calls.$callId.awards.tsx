import { Alert, Anchor, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { PoolBalanceCards } from "../components/PoolBalanceCards";
import { callScope, getCall } from "../domain/calls/calls.server";
import { awardBid } from "../domain/grants/grants.server";
import { listCallGrants } from "../domain/grants/queries.server";
import { GRANT_STATUS_LABELS } from "../domain/grants/rules";
import { awardSchema } from "../domain/grants/schema";
import { poolBalance } from "../domain/ledger/ledger.server";
import { callRanking } from "../domain/review/review.server";
import { formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { fenToYuanString, formatYuan } from "../lib/money";
import { requirePermission } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid, notFound } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "确定资助 · 邻里守望" }];

async function scopeOf(params: { callId?: string }) {
  const id = params.callId ?? "";
  const scope = /^[0-9a-f-]{36}$/.test(id) ? await callScope(getDb(), id) : undefined;
  if (!scope) notFound("招贤榜不存在");
  return { id, scope };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { id, scope } = await scopeOf(params);
  await requirePermission(request, context, "grant.award", scope);
  const db = getDb();
  const call = (await getCall(db, id))!;
  const [ranking, grants, balance] = await Promise.all([callRanking(db, id), listCallGrants(db, id), poolBalance(db, call.poolId)]);
  const byBid = new Map(grants.map((g) => [g.bidId, g]));
  return {
    call: { id: call.id, title: call.title, poolName: call.poolName, closesAt: call.closesAt, publicityWorkingDays: call.publicityWorkingDays },
    closed: call.closesAt.getTime() <= systemClock.now().getTime(),
    balance,
    rows: ranking.rows.map((r) => {
      const g = byBid.get(r.bidId);
      return { ...r, grant: g ? { id: g.id, status: g.status, amountFen: g.amountFen } : null, idempotencyKey: crypto.randomUUID() };
    }),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { id, scope } = await scopeOf(params);
  const { audit } = await requirePermission(request, context, "grant.award", scope);
  const form = await request.formData();
  const parsed = parseForm(awardSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  try {
    const { grantId } = await getDb()
      .transaction()
      .execute((trx) => awardBid(trx, audit, { callId: id, bidId: parsed.data.bidId, amountFen: parsed.data.amount, idempotencyKey: parsed.data.idempotencyKey }, systemClock));
    return data({ ok: true as const, bidId: parsed.data.bidId, grantId, message: `已确定资助 ${formatYuan(parsed.data.amount)}，进入公示。` });
  } catch (e) {
    return domainErrorResponse(e, formValues(form));
  }
}

export default function Awards() {
  const { call, closed, balance, rows } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result : undefined;
  return (
    <Stack maw={1200} mx="auto" gap="md">
      <Title order={1}>确定资助：{call.title}</Title>
      <Text>
        按评审排名确定资助项目和金额（不超过申请金额）。确定后立即从资金池「{call.poolName}」承诺资金，并在
        <Anchor component={Link} to={`/calls/${call.id}/publicity`}>
          公示页
        </Anchor>
        公示 {call.publicityWorkingDays} 个工作日；期满无异议自动立项。
      </Text>
      <PoolBalanceCards balance={balance} />
      {!closed ? <Alert color="yellow">招贤榜将于 {formatDateTime(call.closesAt)} 截止，截止后才能确定资助。</Alert> : null}
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : null}
      <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />
      {rows.length === 0 ? <Text c="dimmed">暂无已提交的申报书。</Text> : null}
      <Stack gap="sm">
        {rows.map((r) => (
          <Card key={r.bidId} withBorder padding="md" component="section" aria-label={`第 ${r.rank ?? "—"} 名 ${r.projectName}`}>
            <Group justify="space-between" align="flex-start" wrap="wrap">
              <Stack gap={2}>
                <Title order={2} size="h4">
                  第 {r.rank ?? "—"} 名 · {r.projectName}
                </Title>
                <Text size="sm">
                  {r.organisationName} · 平均分 {r.average === null ? "—" : r.average.toFixed(1)} · 申请 {formatYuan(r.requestedFen)}
                </Text>
              </Stack>
              {r.grant ? (
                <Group gap="xs">
                  <Badge size="lg" variant="light">
                    {GRANT_STATUS_LABELS[r.grant.status]} · {formatYuan(r.grant.amountFen)}
                  </Badge>
                  <Anchor component={Link} to={`/grants/${r.grant.id}`}>
                    查看资助协议
                  </Anchor>
                </Group>
              ) : closed ? (
                <Form method="post" noValidate>
                  <input type="hidden" name="bidId" value={r.bidId} />
                  <input type="hidden" name="idempotencyKey" value={r.idempotencyKey} />
                  <Group align="flex-end">
                    <TextInput
                      size="lg"
                      label={`「${r.projectName}」资助金额（元）`}
                      name="amount"
                      inputMode="decimal"
                      w={240}
                      defaultValue={errors?.values?.bidId === r.bidId ? String(errors.values.amount ?? "") : fenToYuanString(r.requestedFen)}
                      error={errors?.values?.bidId === r.bidId ? errors.fieldErrors?.amount : undefined}
                    />
                    <Button type="submit" size="lg">
                      确定资助
                    </Button>
                  </Group>
                </Form>
              ) : null}
            </Group>
          </Card>
        ))}
      </Stack>
    </Stack>
  );
}
