import { Alert, Anchor, Badge, Button, Card, Group, Radio, Stack, Text, Textarea, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { callScope, getCall } from "../domain/calls/calls.server";
import { answerObjection, lodgeObjection } from "../domain/grants/grants.server";
import { listCallGrants, listObjections } from "../domain/grants/queries.server";
import { GRANT_STATUS_LABELS, MAX_EVIDENCE_BYTES, OBJECTION_STATUS_LABELS, workingDaysLeft } from "../domain/grants/rules";
import { answerObjectionSchema, objectionSchema } from "../domain/grants/schema";
import { ACTION_TYPE_INFO } from "../domain/vocabulary";
import { formatDate, formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { formatYuan } from "../lib/money";
import { getActor, requirePermission, requireUser, auditContext } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid, notFound } from "../platform/http.server";
import { readMultipartForm } from "../platform/multipart.server";
import { can } from "../platform/permissions";

export const meta: MetaFunction = () => [{ title: "资助公示 · 邻里守望" }];

async function scopeOf(params: { callId?: string }) {
  const id = params.callId ?? "";
  const scope = /^[0-9a-f-]{36}$/.test(id) ? await callScope(getDb(), id) : undefined;
  if (!scope) notFound("招贤榜不存在");
  return { id, scope };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { id, scope } = await scopeOf(params);
  const actor = await getActor(request, context);
  const db = getDb();
  const call = (await getCall(db, id))!;
  const grants = await listCallGrants(db, id);
  const objections = await listObjections(
    db,
    grants.map((g) => g.id),
  );
  const now = systemClock.now();
  return {
    call: { id: call.id, title: call.title, publicityWorkingDays: call.publicityWorkingDays },
    signedIn: !!actor.user,
    officer: can(actor, "grant.manage", scope),
    grants: grants.map((g) => ({
      ...g,
      open: g.status === "publicity" && now.getTime() < new Date(g.publicityEndsAt).getTime(),
      daysLeft: workingDaysLeft(new Date(g.publicityEndsAt), now),
      objections: objections.filter((o) => o.grantId === g.id),
    })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { scope } = await scopeOf(params);
  const multipart = await readMultipartForm(request.clone(), "attachment", { maxBytes: MAX_EVIDENCE_BYTES, maxFiles: 1 });
  if (multipart) {
    const actor = await requireUser(request, context);
    const grantId = String(multipart.form.get("grantId") ?? "");
    const parsed = parseForm(objectionSchema, multipart.form);
    if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: { ...parsed.values, grantId } });
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(grantId)) return invalid({ formError: "要提出异议的项目不存在", values: formValues(multipart.form) });
    if (multipart.errors.length > 0) return invalid({ formError: multipart.errors[0], values: formValues(multipart.form) });
    try {
      await getDb()
        .transaction()
        .execute((trx) => lodgeObjection(trx, auditContext(actor), grantId, { reason: parsed.data.reason, attachment: multipart.files[0] ?? null }, systemClock));
      return data({ ok: true as const, message: "异议已提交，民政局将作出答复并在本页公开。" });
    } catch (e) {
      return domainErrorResponse(e, formValues(multipart.form));
    }
  }
  const { audit } = await requirePermission(request, context, "grant.manage", scope);
  const form = await request.formData();
  const parsed = parseForm(answerObjectionSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  try {
    await getDb()
      .transaction()
      .execute((trx) => answerObjection(trx, audit, parsed.data.objectionId, parsed.data, systemClock));
    return data({
      ok: true as const,
      message: parsed.data.decision === "uphold" ? "异议成立：该项资助已撤销，承诺资金已释放回资金池。可在“确定资助”页资助下一名。" : "已答复：异议不予采纳。",
    });
  } catch (e) {
    return domainErrorResponse(e, formValues(form));
  }
}

export default function Publicity() {
  const { call, signedIn, officer, grants } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result : undefined;
  return (
    <Stack maw={1000} mx="auto" gap="md">
      <Title order={1}>资助公示：{call.title}</Title>
      <Text>
        以下项目拟获资助，公示期为 {call.publicityWorkingDays} 个工作日（周六、周日不计，按北京时间；法定节假日暂未扣除）。公示期内，任何登录用户均可对拟资助项目提出异议；期满无未答复的异议即正式立项。
        {officer ? (
          <>
            {" "}
            <Anchor component={Link} to={`/calls/${call.id}/awards`}>
              返回确定资助
            </Anchor>
          </>
        ) : null}
      </Text>
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : null}
      <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />
      {grants.length === 0 ? <Text c="dimmed">尚未确定资助项目。</Text> : null}
      {grants.map((g) => (
        <Card key={g.id} withBorder padding="lg" component="article" aria-labelledby={`g-${g.id}`}>
          <Stack gap="xs">
            <Group justify="space-between" wrap="wrap">
              <Title order={2} size="h3" id={`g-${g.id}`}>
                {g.projectName}
              </Title>
              <Badge size="lg" variant="light" color={g.status === "withdrawn" ? "red" : g.status === "publicity" ? "orange" : "teal"}>
                {GRANT_STATUS_LABELS[g.status]}
              </Badge>
            </Group>
            <Text>
              承接组织：
              <Anchor component={Link} to={`/organisations/${g.organisationId}`}>
                {g.organisationName}
              </Anchor>
              　资助金额：<strong>{formatYuan(g.amountFen)}</strong>　行动类型：{ACTION_TYPE_INFO[g.actionType].name}
            </Text>
            <Text>回应议题：{g.issues.length ? g.issues.map((i) => i.title).join("、") : "—"}</Text>
            <Text size="sm" c="dimmed">
              公示起止：{formatDateTime(g.awardedAt)} 至 {formatDate(new Date(new Date(g.publicityEndsAt).getTime() - 1))}
              {g.open ? `（尚余 ${g.daysLeft} 个工作日）` : ""}
            </Text>
            {g.status !== "publicity" && g.status !== "withdrawn" ? (
              <Anchor component={Link} to={`/projects/${g.id}`}>
                查看项目进展
              </Anchor>
            ) : null}
            {g.objections.length > 0 ? (
              <Stack gap={6} component="section" aria-label="异议与答复">
                <Title order={3} size="h5">
                  异议与答复（{g.objections.length}）
                </Title>
                {g.objections.map((o) => (
                  <Card key={o.id} withBorder padding="sm" bg="gray.0">
                    <Text size="sm">
                      <Badge variant="outline" mr="xs">
                        {OBJECTION_STATUS_LABELS[o.status]}
                      </Badge>
                      {formatDateTime(o.createdAt)} 提出：{o.reason}
                    </Text>
                    {officer && o.hasAttachment ? (
                      <Anchor href={`/grant-objections/${o.id}/attachment`} size="sm">
                        查看异议附件
                      </Anchor>
                    ) : null}
                    {o.reply ? <Text size="sm">民政局答复：{o.reply}</Text> : null}
                    {officer && o.status === "open" ? (
                      <Form method="post" noValidate>
                        <input type="hidden" name="objectionId" value={o.id} />
                        <Stack gap="xs" mt="xs">
                          <Radio.Group name="decision" label="答复结果" required>
                            <Group>
                              <Radio value="dismiss" label="不予采纳（公开答复）" />
                              <Radio value="uphold" label="异议成立（撤销资助、释放资金）" />
                            </Group>
                          </Radio.Group>
                          <Textarea name="reply" label="答复内容（公开）" minRows={2} required />
                          <Button type="submit" size="lg" w="fit-content">
                            提交答复
                          </Button>
                        </Stack>
                      </Form>
                    ) : null}
                  </Card>
                ))}
              </Stack>
            ) : null}
            {g.open ? (
              signedIn ? (
                <Form method="post" encType="multipart/form-data" noValidate>
                  <input type="hidden" name="grantId" value={g.id} />
                  <Stack gap="xs">
                    <Textarea
                      name="reason"
                      label={`对「${g.projectName}」提出异议的理由`}
                      description="请写明事实和理由（至少 10 个字）。异议内容和答复将在本页公开，不显示提出人。"
                      minRows={3}
                      defaultValue={errors?.values?.grantId === g.id ? String(errors.values.reason ?? "") : ""}
                      error={errors?.values?.grantId === g.id ? errors.fieldErrors?.reason : undefined}
                    />
                    <label htmlFor={`att-${g.id}`}>
                      <Text size="sm">证明材料（可选，JPEG/PNG/WebP 图片，不超过 5 MB）</Text>
                    </label>
                    <input id={`att-${g.id}`} type="file" name="attachment" accept="image/jpeg,image/png,image/webp" className="file-input" />
                    <Button type="submit" size="lg" variant="outline" color="red" w="fit-content">
                      提出异议
                    </Button>
                  </Stack>
                </Form>
              ) : (
                <Text size="sm">
                  <Anchor component={Link} to={`/login?redirectTo=/calls/${call.id}/publicity`}>
                    登录
                  </Anchor>
                  后可提出异议。
                </Text>
              )
            ) : null}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}
