import { Alert, Anchor, Button, Card, Checkbox, Group, SimpleGrid, Stack, Table, Text, Textarea, TextInput, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { CallPhaseBadge } from "../components/calls";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { listBidsForCall } from "../domain/calls/bids.server";
import { callScope, extendCall, getCall, publishCall, withdrawCall } from "../domain/calls/calls.server";
import { BID_STATUS_LABELS, callPhase } from "../domain/calls/rules";
import { extendSchema, withdrawSchema } from "../domain/calls/schema";
import { appointReviewers, assignReviewers, reviewerOptions, reviewProgress } from "../domain/review/review.server";
import { ASSIGNMENT_STATUS_LABELS } from "../domain/review/rules";
import { formatDateTime, toShanghaiInput } from "../lib/dates";
import { parseForm } from "../lib/form";
import { formatYuan } from "../lib/money";
import { requirePermission, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid, notFound } from "../platform/http.server";
import { can } from "../platform/permissions";

export const meta: MetaFunction = () => [{ title: "管理招贤榜 · 邻里守望" }];

const ID = /^[0-9a-f-]{36}$/;

async function scopeOf(id: string) {
  const scope = ID.test(id) ? await callScope(getDb(), id) : undefined;
  if (!scope) notFound("招贤榜不存在");
  return scope;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = params.callId ?? "";
  const scope = await scopeOf(id);
  const actor = await requireUser(request, context);
  const canPublish = can(actor, "call.publish", scope);
  const canReview = can(actor, "review.manage", scope);
  if (!canPublish && !canReview) throw new Response("您没有权限进行此操作", { status: 403 });
  const db = getDb();
  const call = (await getCall(db, id))!;
  const [bids, progress, reviewers] = await Promise.all([
    listBidsForCall(db, id, { all: true }),
    canReview ? reviewProgress(db, id) : Promise.resolve(null),
    canReview ? reviewerOptions(db) : Promise.resolve([]),
  ]);
  return { call, phase: callPhase(call, systemClock.now()), bids, progress, reviewers, canPublish, canReview };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const id = params.callId ?? "";
  const scope = await scopeOf(id);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const values = { ...formValues(form), intent };
  const db = getDb();
  try {
    if (intent === "publish" || intent === "extend" || intent === "withdraw") {
      const { actor, audit } = await requirePermission(request, context, "call.publish", scope);
      if (intent === "publish") {
        await db.transaction().execute((trx) => publishCall(trx, audit, actor, id, systemClock));
        return data({ ok: true as const, message: "招贤榜已发布" });
      }
      if (intent === "extend") {
        const parsed = parseForm(extendSchema, form);
        if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
        await db.transaction().execute((trx) => extendCall(trx, audit, actor, id, parsed.data, systemClock));
        return data({ ok: true as const, message: "截止时间已延长" });
      }
      const parsed = parseForm(withdrawSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values });
      await db.transaction().execute((trx) => withdrawCall(trx, audit, actor, id, parsed.data.reason, systemClock));
      return data({ ok: true as const, message: "招贤榜已撤回" });
    }
    if (intent === "appoint" || intent === "assign") {
      const { actor, audit } = await requirePermission(request, context, "review.manage", scope);
      if (intent === "appoint") {
        const ids = form.getAll("reviewerIds").filter((v): v is string => typeof v === "string" && ID.test(v));
        const r = await db.transaction().execute((trx) => appointReviewers(trx, audit, actor, id, ids, systemClock));
        return data({ ok: true as const, message: `已聘请 ${r.appointed} 位评审专家` });
      }
      const r = await db.transaction().execute((trx) => assignReviewers(trx, audit, actor, id, systemClock));
      const short = r.shortfalls.length ? `；${r.shortfalls.length} 份申报书评审人数不足，请增聘专家后再分配` : "";
      return data({ ok: true as const, message: `已分配 ${r.assigned} 项评审任务${short}` });
    }
    return invalid({ formError: "未知操作" });
  } catch (e) {
    return domainErrorResponse(e, values);
  }
}

export default function ManageCall() {
  const { call, phase, bids, progress, reviewers, canPublish, canReview } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result : undefined;
  const v = (errors?.values ?? {}) as Record<string, string>;
  const appointed = new Set(progress?.reviewers.map((r) => r.id) ?? []);
  return (
    <Stack maw={1000} mx="auto" gap="lg">
      <Group gap="xs">
        <CallPhaseBadge phase={phase} />
      </Group>
      <Title order={1}>管理：{call.title}</Title>
      <Text>
        截止 {formatDateTime(call.closesAt)} ·{" "}
        <Anchor component={Link} to={`/calls/${call.id}`}>
          查看公开页面
        </Anchor>
      </Text>
      {params.get("saved") && !result ? (
        <Alert color="teal" role="status">
          草稿已保存。核对无误后请发布。
        </Alert>
      ) : null}
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : null}
      <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />

      {canPublish && call.status === "draft" ? (
        <Card withBorder component="section" aria-label="发布">
          <Text mb="sm">发布后，符合条件的社会组织会收到通知，所回应的议题进入“招募中”。发布时核对资金池可用余额。</Text>
          <Group>
            <Button component={Link} to={`/calls/${call.id}/edit`} variant="light" size="lg">
              修改草稿
            </Button>
            <Form method="post">
              <input type="hidden" name="intent" value="publish" />
              <Button type="submit" size="lg" loading={busy}>
                发布招贤榜
              </Button>
            </Form>
          </Group>
        </Card>
      ) : null}

      {canPublish && call.status === "published" ? (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder component="section" aria-labelledby="extend-title">
            <Title order={2} size="h4" id="extend-title" mb="sm">
              延长截止时间
            </Title>
            <Form method="post">
              <input type="hidden" name="intent" value="extend" />
              <Stack>
                <TextInput size="lg" type="datetime-local" label="新的截止时间" name="closesAt" defaultValue={v.closesAt ?? toShanghaiInput(call.closesAt)} error={errors?.fieldErrors?.closesAt} />
                <TextInput size="lg" label="延期原因" name="reason" defaultValue={v.intent === "extend" ? v.reason : ""} />
                <Button type="submit" size="lg" variant="light" loading={busy}>
                  延长截止时间
                </Button>
              </Stack>
            </Form>
          </Card>
          <Card withBorder component="section" aria-labelledby="withdraw-title">
            <Title order={2} size="h4" id="withdraw-title" mb="sm">
              撤回招贤榜
            </Title>
            <Form method="post">
              <input type="hidden" name="intent" value="withdraw" />
              <Stack>
                <Textarea size="lg" label="撤回原因" name="reason" autosize minRows={2} defaultValue={v.intent === "withdraw" ? v.reason : ""} />
                <Text size="sm" c="dimmed">
                  撤回后，回应的议题回到“已议定”，已申报的组织会收到通知。
                </Text>
                <Button type="submit" size="lg" color="red" variant="light" loading={busy}>
                  撤回招贤榜
                </Button>
              </Stack>
            </Form>
          </Card>
        </SimpleGrid>
      ) : null}

      <Card withBorder component="section" aria-labelledby="bids-title">
        <Title order={2} size="h3" id="bids-title" mb="sm">
          申报书（{bids.filter((b) => b.status === "submitted").length} 份已提交）
        </Title>
        {bids.length === 0 ? (
          <Text c="dimmed">暂无申报。</Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>项目</Table.Th>
                  <Table.Th>组织</Table.Th>
                  <Table.Th>状态</Table.Th>
                  <Table.Th>申请金额</Table.Th>
                  <Table.Th>撬动资源</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {bids.map((b) => (
                  <Table.Tr key={b.id}>
                    <Table.Td>{b.projectName}</Table.Td>
                    <Table.Td>{b.organisationName}</Table.Td>
                    <Table.Td>{BID_STATUS_LABELS[b.status]}</Table.Td>
                    <Table.Td>{formatYuan(b.requestedFen)}</Table.Td>
                    <Table.Td>{formatYuan(b.leveragedFen)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>

      {canReview && progress && call.status === "published" ? (
        <Card withBorder component="section" aria-labelledby="review-title">
          <Title order={2} size="h3" id="review-title" mb="sm">
            评审组织
          </Title>
          <Form method="post">
            <input type="hidden" name="intent" value="appoint" />
            <Stack gap="xs">
              <Text fw={600}>聘请评审专家</Text>
              {reviewers.map((r) => (
                <Checkbox key={r.id} size="md" name="reviewerIds" value={r.id} label={r.displayName} defaultChecked={appointed.has(r.id)} disabled={appointed.has(r.id)} />
              ))}
              <Group>
                <Button type="submit" size="md" variant="light" loading={busy}>
                  聘请所选专家
                </Button>
              </Group>
            </Stack>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="assign" />
            <Stack gap="xs" mt="md">
              <Text>
                申报截止后自动分配：每份申报书 {call.reviewersPerBid} 位专家，工作量均衡，不分配给申报组织的成员。
              </Text>
              <Group>
                <Button type="submit" size="md" loading={busy} disabled={phase !== "closed"}>
                  自动分配评审
                </Button>
                <Button component={Link} to={`/calls/${call.id}/ranking`} size="md" variant="light">
                  查看评审排名
                </Button>
              </Group>
            </Stack>
          </Form>
          {progress.reviewers.length > 0 ? (
            <Table.ScrollContainer minWidth={400} mt="md">
              <Table aria-label="评审工作量">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>评审专家</Table.Th>
                    <Table.Th>分配</Table.Th>
                    <Table.Th>已提交</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {progress.reviewers.map((r) => (
                    <Table.Tr key={r.id}>
                      <Table.Td>{r.displayName}</Table.Td>
                      <Table.Td>{r.load}</Table.Td>
                      <Table.Td>{r.submitted}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : null}
          {progress.bids.some((b) => b.assignments.length > 0) ? (
            <Stack gap={4} mt="md">
              {progress.bids.map((b) => (
                <Text key={b.bidId} size="sm">
                  {b.projectName}：{b.assignments.map((a) => `${a.reviewerName}（${ASSIGNMENT_STATUS_LABELS[a.status]}）`).join("、") || "未分配"}
                </Text>
              ))}
            </Stack>
          ) : null}
        </Card>
      ) : null}
    </Stack>
  );
}
