import { Alert, Anchor, Button, Card, Group, Paper, Radio, Stack, Text, Textarea, TextInput, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { BidView } from "../components/BidView";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { declareConflict, getReviewerView, saveReview } from "../domain/review/review.server";
import { ASSIGNMENT_STATUS_LABELS, reviewTotal } from "../domain/review/rules";
import { declareSchema, parseScores } from "../domain/review/schema";
import { parseForm } from "../lib/form";
import { requirePermission } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid, notFound } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "评审 · 邻里守望" }];

async function load(request: Request, context: LoaderFunctionArgs["context"], id: string) {
  const { actor, audit } = await requirePermission(request, context, "review.score");
  const view = /^[0-9a-f-]{36}$/.test(id) ? await getReviewerView(getDb(), actor.user.id, id) : undefined;
  if (!view) notFound("评审任务不存在");
  return { view, audit };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { view } = await load(request, context, params.assignmentId ?? "");
  return { view };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { view, audit } = await load(request, context, params.assignmentId ?? "");
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const values = formValues(form);
  const db = getDb();
  try {
    if (intent === "declare") {
      const parsed = parseForm(declareSchema, form);
      if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, formError: parsed.formError ?? "请选择是否需要回避", values });
      const conflict = parsed.data.conflict === "yes";
      const r = await db.transaction().execute((trx) => declareConflict(trx, audit, view.id, { conflict, reason: "reason" in parsed.data ? parsed.data.reason : undefined }, systemClock));
      return data({ ok: true as const, message: conflict ? (r.reassignedTo ? "已回避，申报书已改派其他专家" : "已回避；暂无其他专家可改派，已通知工作人员") : "已确认无需回避，请评分" });
    }
    if (intent === "save" || intent === "submit") {
      const { scores, fieldErrors } = parseScores(form, view.criteria.map((c) => c.position));
      if (Object.keys(fieldErrors).length) return invalid({ fieldErrors, values });
      await db.transaction().execute((trx) => saveReview(trx, audit, view.id, scores, intent === "submit", systemClock));
      return data({ ok: true as const, message: intent === "submit" ? `评分已提交，总分 ${reviewTotal(scores)} 分` : "评分已保存（尚未提交）" });
    }
    return invalid({ formError: "未知操作" });
  } catch (e) {
    return domainErrorResponse(e, values);
  }
}

export default function Review() {
  const { view } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result : undefined;
  const v = (errors?.values ?? {}) as Record<string, string>;
  const e = errors?.fieldErrors ?? {};
  const mine = new Map(view.scores.map((s) => [s.position, s]));
  return (
    <Stack maw={1000} mx="auto" gap="lg">
      <Stack gap={4}>
        <Title order={1}>
          评审：{view.organisationName}「{view.projectName}」
        </Title>
        <Text>
          <Anchor component={Link} to={`/calls/${view.callId}`}>
            {view.callTitle}
          </Anchor>{" "}
          · 状态：<span data-testid="assignment-status">{ASSIGNMENT_STATUS_LABELS[view.status]}</span>
        </Text>
      </Stack>
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : null}
      <FormErrorSummary formError={errors?.formError} fieldErrors={e} />

      {view.status === "pending" ? (
        <Card withBorder component="section" aria-labelledby="declare-title">
          <Title order={2} size="h3" id="declare-title" mb="sm">
            回避声明
          </Title>
          <Text mb="sm">阅读申报书前，请声明您与「{view.organisationName}」是否存在利害关系（任职、顾问、亲属、合作等）。</Text>
          <Form method="post">
            <input type="hidden" name="intent" value="declare" />
            <Stack>
              <Radio.Group name="conflict" label="是否需要回避" defaultValue={v.conflict}>
                <Stack gap="xs" mt="xs">
                  <Radio size="md" value="no" label="无利害关系，不需要回避" />
                  <Radio size="md" value="yes" label="存在利害关系，申请回避" />
                </Stack>
              </Radio.Group>
              <TextInput size="lg" label="回避原因（申请回避时填写）" name="reason" defaultValue={v.reason ?? ""} error={e.reason} />
              <Group>
                <Button type="submit" size="lg" loading={busy}>
                  提交声明
                </Button>
              </Group>
            </Stack>
          </Form>
        </Card>
      ) : null}

      {view.status === "conflict" ? <Alert color="gray">您已申请回避（{view.conflictReason}），不参与这份申报书的评审。</Alert> : null}

      {view.bid ? (
        <Paper withBorder p="lg" component="section" aria-label="申报书">
          <BidView bid={view.bid} />
        </Paper>
      ) : null}

      {view.status === "accepted" || view.status === "submitted" ? (
        <Card withBorder component="section" aria-labelledby="score-title">
          <Title order={2} size="h3" id="score-title" mb="sm">
            评分（满分 100）
          </Title>
          <Form method="post">
            <Stack>
              {view.criteria.map((c) => (
                <Stack key={c.position} gap={4}>
                  <TextInput
                    size="lg"
                    label={`${c.name}（0–${c.weight} 分）`}
                    description={c.description}
                    name={`score.${c.position}`}
                    inputMode="numeric"
                    defaultValue={v[`score.${c.position}`] ?? (mine.has(c.position) ? String(mine.get(c.position)!.score) : "")}
                    error={e[`score.${c.position}`]}
                    readOnly={view.status === "submitted"}
                  />
                  <Textarea
                    size="md"
                    label={`${c.name}评语`}
                    name={`comment.${c.position}`}
                    autosize
                    minRows={2}
                    defaultValue={v[`comment.${c.position}`] ?? mine.get(c.position)?.comment ?? ""}
                    error={e[`comment.${c.position}`]}
                    readOnly={view.status === "submitted"}
                  />
                </Stack>
              ))}
              {view.status === "accepted" ? (
                <Group>
                  <Button type="submit" name="intent" value="save" size="lg" variant="light" loading={busy}>
                    保存评分
                  </Button>
                  <Button type="submit" name="intent" value="submit" size="lg" loading={busy}>
                    提交评分
                  </Button>
                </Group>
              ) : (
                <Text fw={700} data-testid="review-total">
                  已提交，总分 {reviewTotal(view.scores)} 分
                </Text>
              )}
            </Stack>
          </Form>
        </Card>
      ) : null}
    </Stack>
  );
}
