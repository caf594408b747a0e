import { Alert, Button, Card, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { PoolBalanceCards } from "../components/PoolBalanceCards";
import { listLedgerEntries, poolBalance } from "../domain/ledger/ledger.server";
import { LEDGER_KIND_LABELS } from "../domain/ledger/rules";
import { getPool, topUpPool } from "../domain/pools/pools.server";
import { topUpSchema } from "../domain/pools/schema";
import { formatDate, formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { formatYuan } from "../lib/money";
import { requirePermission } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid, notFound } from "../platform/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.pool.name ?? "资金池"} · 邻里守望` }];

const PAGE = 50;
const querySchema = z.object({ before: z.coerce.number().int().positive().optional().catch(undefined) });

async function loadPool(params: { id?: string }) {
  const id = z.uuid().safeParse(params.id);
  const pool = id.success ? await getPool(getDb(), id.data) : undefined;
  if (!pool) notFound("资金池不存在");
  return pool;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const pool = await loadPool(params);
  await requirePermission(request, context, "pool.manage", { placePath: pool.placePath });
  const { before } = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  const [balance, entries] = await Promise.all([poolBalance(db, pool.id), listLedgerEntries(db, pool.id, { before, limit: PAGE })]);
  return {
    pool,
    balance,
    entries,
    next: entries.length === PAGE ? entries[entries.length - 1].id : null,
    idempotencyKey: crypto.randomUUID(),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const pool = await loadPool(params);
  const { audit } = await requirePermission(request, context, "pool.manage", { placePath: pool.placePath });
  const form = await request.formData();
  const parsed = parseForm(topUpSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  try {
    const balance = await getDb()
      .transaction()
      .execute((trx) => topUpPool(trx, audit, pool.id, parsed.data));
    return data({ ok: true as const, message: `已注资 ${formatYuan(parsed.data.amount)}，可用余额 ${formatYuan(balance.available)}` });
  } catch (e) {
    return domainErrorResponse(e, formValues(form));
  }
}

export default function PoolPage() {
  const { pool, balance, entries, next, idempotencyKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const errors = result && !result.ok ? result : undefined;
  return (
    <Stack maw={1100} mx="auto" gap="lg">
      <Stack gap={4}>
        <Title order={1}>{pool.name}</Title>
        <Text c="dimmed">
          {pool.source} · {pool.placeName} · {formatDate(`${pool.periodStart}T00:00:00+08:00`)} 至 {formatDate(`${pool.periodEnd}T00:00:00+08:00`)}
        </Text>
        {pool.notes ? <Text>{pool.notes}</Text> : null}
      </Stack>
      {params.get("created") ? (
        <Alert color="teal" role="status">
          资金池已设立，总额已记入资金流水。
        </Alert>
      ) : null}
      <PoolBalanceCards balance={balance} />

      <Card withBorder padding="lg" component="section" aria-labelledby="topup">
        <Title order={2} size="h3" id="topup" mb="sm">
          追加注资
        </Title>
        {result?.ok ? (
          <Alert color="teal" role="status" mb="sm">
            {result.message}
          </Alert>
        ) : null}
        <Form method="post" noValidate>
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <Stack>
            <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />
            <Group align="flex-end">
              <TextInput size="lg" label="金额（元）" name="amount" inputMode="decimal" defaultValue={String(errors?.values?.amount ?? "")} error={errors?.fieldErrors?.amount} />
              <TextInput
                size="lg"
                label="注资说明"
                name="reason"
                style={{ flex: "1 1 260px" }}
                defaultValue={String(errors?.values?.reason ?? "")}
                error={errors?.fieldErrors?.reason}
                description="例如“区财政第二批资金到账”"
              />
              <Button type="submit" size="lg" loading={busy}>
                注资
              </Button>
            </Group>
          </Stack>
        </Form>
      </Card>

      <section aria-labelledby="ledger">
        <Title order={2} size="h3" id="ledger" mb="sm">
          资金流水
        </Title>
        <Text c="dimmed" mb="sm">
          每一笔注资、承诺、释放、拨付和退回都是一条流水，只能追加，不能修改或删除。
        </Text>
        <Table.ScrollContainer minWidth={720}>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>时间</Table.Th>
                <Table.Th>类型</Table.Th>
                <Table.Th ta="right">金额</Table.Th>
                <Table.Th>说明</Table.Th>
                <Table.Th>经办人</Table.Th>
                <Table.Th>支付凭证号</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{formatDateTime(r.at)}</Table.Td>
                  <Table.Td>{LEDGER_KIND_LABELS[r.kind]}</Table.Td>
                  <Table.Td ta="right">{formatYuan(r.amountFen)}</Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                  <Table.Td>{r.actorName ?? "—"}</Table.Td>
                  <Table.Td>{r.paymentReference ?? "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {next ? (
          <Button component={Link} to={`?before=${next}`} variant="default" size="lg" mt="sm">
            更早的流水
          </Button>
        ) : null}
      </section>
    </Stack>
  );
}
