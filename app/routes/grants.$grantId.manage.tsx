import { Alert, Anchor, Badge, Button, Card, Group, Image, Radio, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { GuidanceNotes } from "../components/GuidanceNotes";
import { addGuidanceNote, listGuidanceNotes } from "../domain/liaison/guidance.server";
import { guidanceNoteSchema } from "../domain/liaison/schema";
import { approveDisbursement, endGrant, grantScope, liaisonReview, officerDecideReport, refundGrant, requestDisbursement } from "../domain/grants/grants.server";
import { getGrant, listDisbursements, listReports } from "../domain/grants/queries.server";
import { GRANT_STATUS_LABELS, MILESTONE_STATUS_LABELS, needsSecondApproval } from "../domain/grants/rules";
import { disbursementSchema, endGrantSchema, liaisonReviewSchema, officerDecisionSchema, refundSchema } from "../domain/grants/schema";
import { formatDate, formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { formatYuan } from "../lib/money";
import { requirePermission, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid, notFound } from "../platform/http.server";
import { can } from "../platform/permissions";

export const meta: MetaFunction = () => [{ title: "项目审核与拨付 · 邻里守望" }];

async function scopeOf(params: { grantId?: string }) {
  const scope = await grantScope(getDb(), params.grantId ?? "");
  if (!scope) notFound("项目不存在");
  return { grantId: params.grantId!, scope };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { grantId, scope } = await scopeOf(params);
  const actor = await requireUser(request, context);
  const officer = can(actor, "grant.manage", scope);
  const liaison = can(actor, "grant.liaison_review", scope);
  if (!officer && !liaison) throw new Response("您没有权限进行此操作", { status: 403 });
  const db = getDb();
  const [grant, reports, disbursements, notes] = await Promise.all([getGrant(db, grantId), listReports(db, grantId), listDisbursements(db, grantId), listGuidanceNotes(db, grantId)]);
  return {
    grant: grant!,
    reports,
    disbursements,
    me: actor.user.id,
    officer,
    liaison,
    disburser: can(actor, "grant.disburse", scope),
    notes,
    guide: can(actor, "liaison.guide", scope),
    // One fresh key per money form and render: a double-clicked 发放, 退回 or 终止 is written once.
    keys: { disburse: crypto.randomUUID(), end: crypto.randomUUID(), refund: crypto.randomUUID() },
  };
}

const intentSchema = z.enum(["liaison", "officer", "disburse", "approve", "refund", "end", "guide"]);

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { grantId, scope } = await scopeOf(params);
  const form = await request.formData();
  const intent = intentSchema.safeParse(form.get("intent"));
  if (!intent.success) return invalid({ formError: "未知的操作" });
  const db = getDb();
  try {
    switch (intent.data) {
      case "liaison": {
        const { audit } = await requirePermission(request, context, "grant.liaison_review", scope);
        const p = parseForm(liaisonReviewSchema, form);
        if (!p.ok) return invalid({ fieldErrors: p.fieldErrors, values: p.values });
        await db.transaction().execute((trx) => liaisonReview(trx, audit, p.data.reportId, p.data, systemClock));
        return data({ ok: true as const, message: p.data.decision === "forward" ? "已审核通过，报民政局审批。" : "已退回修改。" });
      }
      case "officer": {
        const { audit } = await requirePermission(request, context, "grant.manage", scope);
        const p = parseForm(officerDecisionSchema, form);
        if (!p.ok) return invalid({ fieldErrors: p.fieldErrors, values: p.values });
        const r = await db.transaction().execute((trx) => officerDecideReport(trx, audit, p.data.reportId, p.data, systemClock));
        return data({
          ok: true as const,
          message: p.data.decision === "approve" ? `已审批通过，该期款项可以拨付。${r.awaitingEvaluation ? "全部里程碑已通过，项目进入群众评价。" : ""}` : "已退回修改。",
        });
      }
      case "disburse": {
        const { audit } = await requirePermission(request, context, "grant.disburse", scope);
        const p = parseForm(disbursementSchema, form);
        if (!p.ok) return invalid({ fieldErrors: p.fieldErrors, values: p.values });
        const r = await db.transaction().execute((trx) => requestDisbursement(trx, audit, { grantId, ...p.data }, systemClock));
        return data({ ok: true as const, message: r.status === "paid" ? "已拨付，记入资金流水。" : "金额超过两人审批额度：已登记拨付申请，待另一位工作人员审批后入账。" });
      }
      case "approve": {
        const { audit } = await requirePermission(request, context, "grant.disburse", scope);
        const id = z.uuid().safeParse(form.get("disbursementId"));
        if (!id.success) return invalid({ formError: "拨付申请不存在" });
        await db.transaction().execute((trx) => approveDisbursement(trx, audit, id.data, systemClock));
        return data({ ok: true as const, message: "已审批，拨付记入资金流水。" });
      }
      case "guide": {
        const { actor, audit } = await requirePermission(request, context, "liaison.guide", scope);
        const p = parseForm(guidanceNoteSchema, form);
        if (!p.ok) return invalid({ fieldErrors: p.fieldErrors, values: p.values });
        const r = await db.transaction().execute((trx) => addGuidanceNote(trx, audit, actor, systemClock, grantId, p.data));
        return data({ ok: true as const, message: `指导意见已发送，已通知承接组织 ${r.notified} 位成员。` });
      }
      case "refund": {
        const { audit } = await requirePermission(request, context, "grant.disburse", scope);
        const p = parseForm(refundSchema, form);
        if (!p.ok) return invalid({ fieldErrors: p.fieldErrors, values: p.values });
        const { amount, ...rest } = p.data;
        await db.transaction().execute((trx) => refundGrant(trx, audit, grantId, { amountFen: amount, ...rest }, systemClock));
        return data({ ok: true as const, message: `已登记退回 ${formatYuan(amount)}，资金释放回资金池。` });
      }
      case "end": {
        const { audit } = await requirePermission(request, context, "grant.manage", scope);
        const p = parseForm(endGrantSchema, form);
        if (!p.ok) return invalid({ fieldErrors: p.fieldErrors, values: p.values });
        const r = await db.transaction().execute((trx) => endGrant(trx, audit, grantId, p.data, systemClock));
        return data({ ok: true as const, message: `项目已${p.data.to === "suspended" ? "暂停" : "终止"}，释放未拨付资金 ${formatYuan(r.releasedFen)}。` });
      }
    }
  } catch (e) {
    return domainErrorResponse(e, formValues(form));
  }
}

export default function ManageGrant() {
  const { grant: g, reports, disbursements, me, officer, liaison, disburser, keys, notes, guide } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result : undefined;
  const pendingOrPaid = new Set(disbursements.filter((d) => d.status !== "rejected").map((d) => d.position));
  const payable = g.milestones.filter((m) => m.status === "approved" && m.trancheFen > 0 && !pendingOrPaid.has(m.position));
  return (
    <Stack maw={1100} mx="auto" gap="lg">
      <Stack gap={4}>
        <Title order={1}>审核与拨付：{g.projectName}</Title>
        <Text>
          {g.organisationName} · {GRANT_STATUS_LABELS[g.status]} · 资助 {formatYuan(g.balance.awarded)} · 已拨付 {formatYuan(g.balance.disbursed)} · 未拨付{" "}
          {formatYuan(g.balance.remaining)} ·{" "}
          <Anchor component={Link} to={`/grants/${g.id}`}>
            资助协议
          </Anchor>
        </Text>
      </Stack>
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : null}
      <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />

      <section aria-labelledby="reports">
        <Title order={2} size="h3" id="reports" mb="sm">
          里程碑报告
        </Title>
        {reports.length === 0 ? <Text c="dimmed">尚未收到报告。</Text> : null}
        <Stack>
          {reports.map((r) => (
            <Card key={r.id} withBorder padding="md" component="article" aria-label={`第 ${r.position} 期报告`}>
              <Group justify="space-between">
                <Title order={3} size="h4">
                  第 {r.position} 期「{r.milestoneTitle}」
                </Title>
                <Badge variant="light">{MILESTONE_STATUS_LABELS[r.status]}</Badge>
              </Group>
              <Text size="sm" c="dimmed">
                {r.submittedBy} 提交于 {formatDateTime(r.submittedAt)}
              </Text>
              <Text mt="xs">{r.narrative}</Text>
              <Text size="sm">
                服务 {r.beneficiaryCount} 人（{r.beneficiaryGroup}）
              </Text>
              <Text size="sm">活动：{r.activities.map((a) => `${formatDate(`${a.date}T00:00:00+08:00`)} ${a.description}`).join("；")}</Text>
              {r.spending.length > 0 ? <Text size="sm">支出：{r.spending.map((s) => `${s.category}·${s.description} ${formatYuan(s.amountFen)}`).join("；")}</Text> : null}
              {r.inKindReceived ? <Text size="sm">收到实物支持：{r.inKindReceived}</Text> : null}
              {r.evidence.length > 0 ? (
                <SimpleGrid cols={{ base: 2, sm: 4 }} mt="xs">
                  {r.evidence.map((e) => (
                    <a key={e.id} href={`/grant-evidence/${e.id}`}>
                      <Image src={`/grant-evidence/${e.id}`} alt={`佐证：${e.name}`} className="thumb" />
                    </a>
                  ))}
                </SimpleGrid>
              ) : null}
              {r.liaisonComment ? <Text size="sm">联络员意见：{r.liaisonComment}</Text> : null}
              {r.officerComment ? <Text size="sm">民政局意见：{r.officerComment}</Text> : null}
              {(liaison && r.status === "submitted") || (officer && r.status === "forwarded") ? (
                <Form method="post" noValidate>
                  <input type="hidden" name="intent" value={r.status === "submitted" ? "liaison" : "officer"} />
                  <input type="hidden" name="reportId" value={r.id} />
                  <Stack gap="xs" mt="sm">
                    <Radio.Group name="decision" label={r.status === "submitted" ? "联络员审核" : "民政局审批"} required>
                      <Group>
                        <Radio value={r.status === "submitted" ? "forward" : "approve"} label={r.status === "submitted" ? "审核通过，报民政局" : "审批通过"} />
                        <Radio value="return" label="退回修改" />
                      </Group>
                    </Radio.Group>
                    <Textarea name="comment" label="意见" minRows={2} />
                    <Button type="submit" size="lg" w="fit-content">
                      提交{r.status === "submitted" ? "审核" : "审批"}
                    </Button>
                  </Stack>
                </Form>
              ) : null}
            </Card>
          ))}
        </Stack>
      </section>

      {disburser ? (
        <section aria-labelledby="pay">
          <Title order={2} size="h3" id="pay" mb="sm">
            拨付
          </Title>
          <Text size="sm" mb="sm">
            里程碑审批通过后才能拨付该期款项。单笔超过 {formatYuan(g.dualApprovalThresholdFen)} 须由另一位工作人员审批后才记入资金流水。
          </Text>
          {payable.map((m) => (
            <Form method="post" noValidate key={m.position}>
              <input type="hidden" name="intent" value="disburse" />
              <input type="hidden" name="position" value={m.position} />
              <input type="hidden" name="idempotencyKey" value={`${keys.disburse}-${m.position}`} />
              <Group align="flex-end" mb="sm">
                <TextInput size="lg" name="paymentReference" label={`第 ${m.position} 期 ${formatYuan(m.trancheFen)} 支付凭证号`} w={320} />
                <Button type="submit" size="lg">
                  {needsSecondApproval(m.trancheFen, g.dualApprovalThresholdFen) ? "申请发放（需第二人审批）" : "发放"}
                </Button>
              </Group>
            </Form>
          ))}
          {payable.length === 0 ? <Text c="dimmed">暂无可拨付的款项。</Text> : null}
          <Table.ScrollContainer minWidth={640} mt="sm">
            <Table striped withTableBorder aria-label="拨付记录">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>期次</Table.Th>
                  <Table.Th ta="right">金额</Table.Th>
                  <Table.Th>支付凭证号</Table.Th>
                  <Table.Th>经办</Table.Th>
                  <Table.Th>审批</Table.Th>
                  <Table.Th>状态</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {disbursements.map((d) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>第 {d.position} 期</Table.Td>
                    <Table.Td ta="right">{formatYuan(d.amountFen)}</Table.Td>
                    <Table.Td>{d.paymentReference}</Table.Td>
                    <Table.Td>
                      {d.requestedBy} {formatDateTime(d.requestedAt)}
                    </Table.Td>
                    <Table.Td>{d.approvedBy ? `${d.approvedBy} ${formatDateTime(d.approvedAt!)}` : "—"}</Table.Td>
                    <Table.Td>
                      {d.status === "paid" ? "已拨付" : d.status === "rejected" ? "已取消" : "待第二人审批"}
                      {d.status === "pending" && d.requestedById !== me ? (
                        <Form method="post" noValidate>
                          <input type="hidden" name="intent" value="approve" />
                          <input type="hidden" name="disbursementId" value={d.id} />
                          <Button type="submit" size="md" mt={4}>
                            审批并拨付
                          </Button>
                        </Form>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {g.balance.disbursed > 0 ? (
            <Form method="post" noValidate aria-labelledby="refund">
              <input type="hidden" name="intent" value="refund" />
              <input type="hidden" name="idempotencyKey" value={keys.refund} />
              <Title order={3} size="h4" id="refund" mt="md" mb="xs">
                登记退回资金
              </Title>
              <Text size="sm" mb="xs">
                承接组织退回的未使用资金（不超过已拨付的 {formatYuan(g.balance.disbursed)}），登记后释放回资金池。
              </Text>
              <Group align="flex-end">
                <TextInput size="lg" name="amount" label="退回金额（元）" inputMode="decimal" w={200} />
                <TextInput size="lg" name="paymentReference" label="收款凭证号" w={240} />
                <TextInput size="lg" name="reason" label="退回原因" w={280} />
                <Button type="submit" size="lg" variant="outline">
                  登记退回
                </Button>
              </Group>
            </Form>
          ) : null}
        </section>
      ) : null}

      {officer && (g.status === "in_progress" || g.status === "publicity") ? (
        <Card withBorder padding="lg" component="section" aria-labelledby="end">
          <Title order={2} size="h3" id="end" mb="sm">
            暂停或终止资助
          </Title>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="end" />
            <input type="hidden" name="idempotencyKey" value={keys.end} />
            <Stack gap="xs">
              <Radio.Group name="to" label="操作" required>
                <Group>
                  <Radio value="suspended" label="暂停" />
                  <Radio value="terminated" label="终止" />
                </Group>
              </Radio.Group>
              <Textarea name="reason" label="原因" minRows={2} />
              <Text size="sm">未拨付的 {formatYuan(g.balance.remaining)} 将释放回资金池。</Text>
              <Button type="submit" size="lg" color="red" variant="outline" w="fit-content">
                确认
              </Button>
            </Stack>
          </Form>
        </Card>
      ) : null}
      <GuidanceNotes notes={notes} canWrite={guide} error={errors?.fieldErrors?.body} value={result?.ok ? "" : (errors?.values as Record<string, string> | undefined)?.body} />
    </Stack>
  );
}
