import { Badge, Button, Group, NumberInput, Stack, Table, Text, Title } from "@mantine/core";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { listPolicies, setRetentionDays } from "../domain/retention/retention.server";
import { formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { getActor, requirePermission } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid } from "../platform/http.server";
import { can } from "../platform/permissions";

export const meta: MetaFunction = () => [{ title: "记录保存期限 · 邻里守望" }];

const ACTION_LABELS = { delete: "到期删除", anonymise: "到期匿名化", keep: "永久保存", external: "日志平台保存" } as const;

const setSchema = z.object({
  kind: z.string().regex(/^[a-z_]{1,40}$/, "记录类别不存在"),
  days: z.coerce.number({ error: "请输入天数" }).int("请输入整数天数").min(1, "至少 1 天").max(36_500, "最多 36500 天"),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "retention.view");
  const actor = await getActor(request, context);
  const db = getDb();
  const lastRun = await db.selectFrom("audit_log").select(["at", "summary"]).where("action", "=", "retention.run").orderBy("id", "desc").limit(1).executeTakeFirst();
  return { policies: await listPolicies(db), canManage: can(actor, "retention.manage"), lastRun: lastRun ?? null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { audit } = await requirePermission(request, context, "retention.manage");
  const parsed = parseForm(setSchema, await request.formData());
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  try {
    await getDb()
      .transaction()
      .execute((trx) => setRetentionDays(trx, audit, parsed.data.kind, parsed.data.days));
  } catch (e) {
    return domainErrorResponse(e, { kind: parsed.data.kind });
  }
  return { ok: true as const };
}

export default function Retention() {
  const { policies, canManage, lastRun } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result : undefined;
  const done = (lastRun?.summary as { done?: Record<string, { count: number }> } | undefined)?.done ?? {};
  return (
    <Stack maw={1100} mx="auto">
      <Title order={1}>记录保存期限</Title>
      <Text c="dimmed">
        每天凌晨 3:30 自动删除或匿名化超过保存期限的记录，并在审计日志中记录处理了什么（操作 retention.run）。审计日志和资金台账只可追加、永久保存。
        {lastRun ? ` 上次执行：${formatDateTime(lastRun.at)}。` : " 尚未执行过。"}
      </Text>
      {result?.ok ? (
        <Text role="status" c="teal.9">
          保存期限已修改
        </Text>
      ) : null}
      <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />
      <Table.ScrollContainer minWidth={800}>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>记录类别</Table.Th>
              <Table.Th>处理方式</Table.Th>
              <Table.Th>保存期限</Table.Th>
              <Table.Th>依据与说明</Table.Th>
              <Table.Th>上次处理条数</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {policies.map((p) => (
              <Table.Tr key={p.kind}>
                <Table.Td>{p.label}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={p.action === "keep" ? "gray" : "blue"} radius="sm">
                    {ACTION_LABELS[p.action]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {canManage && p.days != null ? (
                    <Form method="post">
                      <Group gap="xs" wrap="nowrap" align="flex-end">
                        <input type="hidden" name="kind" value={p.kind} />
                        <NumberInput name="days" label={`${p.label}保存天数`} defaultValue={p.days} min={1} max={36500} w={130} />
                        <Button type="submit" variant="default" loading={busy}>
                          保存
                        </Button>
                      </Group>
                    </Form>
                  ) : p.days == null ? (
                    "永久"
                  ) : (
                    `${p.days} 天`
                  )}
                </Table.Td>
                <Table.Td>{p.basis}</Table.Td>
                <Table.Td>{done[p.kind]?.count ?? "—"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
