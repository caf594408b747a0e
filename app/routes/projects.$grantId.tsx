import { Alert, Anchor, Badge, Button, Card, Group, Image, Progress, Radio, SimpleGrid, Stack, Text, Textarea, Timeline, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { PLEDGE_KIND_LABELS } from "../domain/calls/rules";
import { evaluateGrant, mayEvaluate } from "../domain/grants/grants.server";
import { getGrant, listReports } from "../domain/grants/queries.server";
import { GRANT_STATUS_LABELS } from "../domain/grants/rules";
import { evaluationSchema } from "../domain/grants/schema";
import { ISSUE_STATUS_LABELS } from "../domain/issues/rules";
import { ACTION_TYPE_INFO } from "../domain/vocabulary";
import { formatDate, formatDateTime } from "../lib/dates";
import { parseForm } from "../lib/form";
import { formatYuan } from "../lib/money";
import { auditContext, getActor, requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, formValues, invalid, notFound } from "../platform/http.server";
import type { IssueStatus } from "../../db/schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.grant.projectName ?? "项目"} · 邻里守望` }];

/** The public project page: an accountability tracker, and the residents' evaluation while it is open. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const db = getDb();
  const grant = await getGrant(db, params.grantId ?? "");
  if (!grant || grant.status === "withdrawn") notFound("项目不存在");
  const actor = await getActor(request, context);
  const reports = await listReports(db, grant.id, { approvedOnly: true });
  const evaluating = grant.status === "awaiting_evaluation";
  let evaluation: "form" | "done" | "not_resident" | "anonymous" | null = null;
  if (evaluating) {
    if (!actor.user) evaluation = "anonymous";
    else {
      const done = await db.selectFrom("grant_evaluations").select("id").where("grant_id", "=", grant.id).where("user_id", "=", actor.user.id).executeTakeFirst();
      evaluation = done ? "done" : (await mayEvaluate(db, actor.user.id, grant.id)) ? "form" : "not_resident";
    }
  }
  return { grant, reports, evaluation };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = await requireUser(request, context);
  const form = await request.formData();
  const parsed = parseForm(evaluationSchema, form);
  if (!parsed.ok) return invalid({ fieldErrors: parsed.fieldErrors, values: parsed.values });
  try {
    await getDb()
      .transaction()
      .execute((trx) => evaluateGrant(trx, auditContext(actor, "resident"), params.grantId ?? "", parsed.data, systemClock));
    return data({ ok: true as const, message: "感谢您的评价！评价结果将在评价期结束后汇总公布。" });
  } catch (e) {
    return domainErrorResponse(e, formValues(form));
  }
}

const RATING_LABELS = ["很不满意", "不满意", "一般", "满意", "非常满意"];
const SOLVED_LABELS = ["完全没有解决", "基本没有解决", "部分解决", "基本解决", "彻底解决"];

export default function Project() {
  const { grant: g, reports, evaluation } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result : undefined;
  const photos = reports.flatMap((r) => r.evidence);
  return (
    <Stack maw={1000} mx="auto" gap="lg">
      <Stack gap={4}>
        <Group gap="sm">
          <Badge size="lg" variant="filled" color={g.status === "closed" ? "teal" : g.status === "suspended" || g.status === "terminated" ? "red" : "blue"}>
            {GRANT_STATUS_LABELS[g.status]}
          </Badge>
          <Badge size="lg" variant="light">
            {ACTION_TYPE_INFO[g.actionType].name}
          </Badge>
        </Group>
        <Title order={1}>{g.projectName}</Title>
        <Text>
          承接：
          <Anchor component={Link} to={`/organisations/${g.organisationId}`}>
            {g.organisationName}
          </Anchor>{" "}
          · {g.placeName} · 招贤榜「{g.callTitle}」 ·{" "}
          <Anchor component={Link} to={`/grants/${g.id}`}>
            资助协议
          </Anchor>
        </Text>
        {g.summary ? <Text>{g.summary}</Text> : null}
        {g.endedReason ? <Alert color="red">{g.endedReason}</Alert> : null}
      </Stack>

      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Card withBorder>
          <Text size="sm">资助金额</Text>
          <Text fw={700} size="xl">
            {formatYuan(g.balance.awarded)}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm">已拨付</Text>
          <Text fw={700} size="xl">
            {formatYuan(g.balance.disbursed)}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm">撬动资源</Text>
          <Text fw={700} size="xl">
            {formatYuan(g.leveragedFen)}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm">进度（已通过里程碑）</Text>
          <Text fw={700} size="xl">
            {g.progress}%
          </Text>
          <Progress value={g.progress} aria-label={`进度 ${g.progress}%`} mt={4} />
        </Card>
      </SimpleGrid>

      {g.status === "closed" || g.evaluation.count > 0 ? (
        <Card withBorder component="section" aria-labelledby="eval-result">
          <Title order={2} size="h3" id="eval-result">
            群众评价
          </Title>
          <Text>
            {g.evaluation.count === 0
              ? "没有居民评价。"
              : `${g.evaluation.count} 位居民评价：满意度 ${g.evaluation.satisfaction!.toFixed(1)} 分，问题解决 ${g.evaluation.solved!.toFixed(1)} 分（满分 5 分）`}
          </Text>
        </Card>
      ) : null}

      {evaluation ? (
        <Card withBorder padding="lg" component="section" aria-labelledby="evaluate">
          <Title order={2} size="h3" id="evaluate" mb="xs">
            评价这个项目
          </Title>
          <Text size="sm" mb="sm">
            评价期至 {formatDate(new Date(new Date(g.evaluationEndsAt!).getTime() - 1))}。项目所涉社区的认证居民每人可评价一次。
          </Text>
          {result?.ok ? (
            <Alert color="teal" role="status">
              {result.message}
            </Alert>
          ) : evaluation === "done" ? (
            <Text>您已评价过这个项目，谢谢！</Text>
          ) : evaluation === "anonymous" ? (
            <Text>
              请
              <Anchor component={Link} to={`/login?redirectTo=/projects/${g.id}`}>
                登录
              </Anchor>
              后评价。
            </Text>
          ) : evaluation === "not_resident" ? (
            <Text>只有项目所涉社区的认证居民才能评价。</Text>
          ) : (
            <Form method="post" noValidate>
              <Stack>
                <FormErrorSummary formError={errors?.formError} fieldErrors={errors?.fieldErrors} />
                <Radio.Group name="satisfaction" label="您对项目的满意度" error={errors?.fieldErrors?.satisfaction}>
                  <Group mt="xs">
                    {RATING_LABELS.map((l, i) => (
                      <Radio key={i} value={String(i + 1)} label={`${i + 1} 分 ${l}`} size="md" />
                    ))}
                  </Group>
                </Radio.Group>
                <Radio.Group name="solved" label="问题是否得到解决" error={errors?.fieldErrors?.solved}>
                  <Group mt="xs">
                    {SOLVED_LABELS.map((l, i) => (
                      <Radio key={i} value={String(i + 1)} label={`${i + 1} 分 ${l}`} size="md" />
                    ))}
                  </Group>
                </Radio.Group>
                <Textarea name="comment" label="意见和建议（可选）" minRows={2} defaultValue={String(errors?.values?.comment ?? "")} />
                <Button type="submit" size="lg" w="fit-content">
                  提交评价
                </Button>
              </Stack>
            </Form>
          )}
        </Card>
      ) : null}

      <section aria-labelledby="issues">
        <Title order={2} size="h3" id="issues" mb="xs">
          回应的居民议题
        </Title>
        <Stack gap={4}>
          {g.issues.map((i) => (
            <Text key={i.id}>
              <Anchor component={Link} to={`/issues/${i.id}`}>
                {i.title}
              </Anchor>
              （{i.placeName} · {ISSUE_STATUS_LABELS[i.status as IssueStatus]}）
            </Text>
          ))}
          {g.issues.length === 0 ? <Text c="dimmed">—</Text> : null}
        </Stack>
      </section>

      {g.pledges.length > 0 ? (
        <section aria-labelledby="leverage">
          <Title order={2} size="h3" id="leverage" mb="xs">
            撬动资源
          </Title>
          <Stack gap={4}>
            {g.pledges.map((p, i) => (
              <Text key={i}>
                {p.source}（{PLEDGE_KIND_LABELS[p.kind]}）：{p.description}，折合 {formatYuan(p.valueFen)}
              </Text>
            ))}
          </Stack>
        </section>
      ) : null}

      <section aria-labelledby="milestones">
        <Title order={2} size="h3" id="milestones" mb="xs">
          里程碑
        </Title>
        <Stack gap={4}>
          {g.milestones.map((m) => (
            <Text key={m.position}>
              {m.status === "approved" ? "✔" : "○"} 第 {m.position} 期「{m.title}」（{formatDate(`${m.dueDate}T00:00:00+08:00`)} 前，{formatYuan(m.trancheFen)}）
              {m.paid ? " · 已拨付" : ""}
            </Text>
          ))}
        </Stack>
      </section>

      {reports.length > 0 ? (
        <section aria-labelledby="reports">
          <Title order={2} size="h3" id="reports" mb="xs">
            进展报告
          </Title>
          <Stack>
            {reports.map((r) => (
              <Card key={r.id} withBorder>
                <Text fw={600}>
                  第 {r.position} 期「{r.milestoneTitle}」 · 服务 {r.beneficiaryCount} 人（{r.beneficiaryGroup}）
                </Text>
                <Text>{r.narrative}</Text>
                {r.inKindReceived ? <Text size="sm">收到实物支持：{r.inKindReceived}</Text> : null}
              </Card>
            ))}
          </Stack>
        </section>
      ) : null}

      {photos.length > 0 ? (
        <section aria-labelledby="photos">
          <Title order={2} size="h3" id="photos" mb="xs">
            照片
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            {photos.map((p) => (
              <a key={p.id} href={`/grant-evidence/${p.id}`}>
                <Image src={`/grant-evidence/${p.id}`} alt={p.name} className="thumb" />
              </a>
            ))}
          </SimpleGrid>
        </section>
      ) : null}

      <section aria-labelledby="timeline">
        <Title order={2} size="h3" id="timeline" mb="sm">
          项目时间线
        </Title>
        <Timeline bulletSize={16} lineWidth={2}>
          {g.events.map((e) => (
            <Timeline.Item key={e.id} title={e.note || e.kind}>
              <Text size="sm" c="dimmed">
                {formatDateTime(e.at)}
                {e.actorName ? ` · ${e.actorName}` : ""}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      </section>
    </Stack>
  );
}
