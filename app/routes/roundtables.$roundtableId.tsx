import { Alert, Anchor, Badge, Button, Card, Group, List, Stack, Text, Title } from "@mantine/core";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormErrorSummary } from "../components/FormErrorSummary";
import { StatusBadge } from "../components/issues";
import { RichText } from "../components/RichText";
import { describeDecision } from "../domain/issues/issues.server";
import { cancelSignup, getRoundtable, roundtablePlacePath, ROUNDTABLE_STATUS_LABELS, signUp } from "../domain/roundtables/roundtables.server";
import { formatDateTime } from "../lib/dates";
import { getActor, requirePermission } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { domainErrorResponse, invalid, notFound } from "../platform/http.server";
import { can } from "../platform/permissions";

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: `${d?.rt.title ?? "圆桌会"} · 邻里守望` }];

const ID = /^[0-9a-f-]{36}$/;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = await getActor(request, context);
  const id = params.roundtableId ?? "";
  const rt = ID.test(id) ? await getRoundtable(getDb(), id, actor.user?.id ?? null) : undefined;
  if (!rt) notFound("圆桌会不存在");
  const isStaff = can(actor, "roundtable.manage", { placePath: rt.placePath });
  if (rt.status === "draft" && !isStaff) notFound("圆桌会不存在");
  const { signups: _s, attendance, ...pub } = rt;
  return {
    rt: { ...pub, attendanceCount: attendance.length },
    isStaff,
    canSignUp: can(actor, "roundtable.signup", { placePath: rt.placePath }),
    signedIn: actor.user !== null,
    open: rt.status === "published" && new Date(rt.startsAt).getTime() > systemClock.now().getTime(),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const id = params.roundtableId ?? "";
  const placePath = ID.test(id) ? await roundtablePlacePath(getDb(), id) : undefined;
  if (!placePath) notFound("圆桌会不存在");
  const { actor, audit } = await requirePermission(request, context, "roundtable.signup", { placePath });
  const intent = (await request.formData()).get("intent");
  try {
    if (intent === "signup") {
      const r = await getDb()
        .transaction()
        .execute((trx) => signUp(trx, audit, actor.user.id, id, systemClock));
      return data({ ok: true as const, message: r.status === "confirmed" ? "报名成功" : "名额已满，您已进入候补名单" });
    }
    if (intent === "cancel") {
      await getDb()
        .transaction()
        .execute((trx) => cancelSignup(trx, audit, actor.user.id, id, systemClock));
      return data({ ok: true as const, message: "已取消报名" });
    }
    return invalid({ formError: "未知操作" });
  } catch (e) {
    return domainErrorResponse(e);
  }
}

export default function RoundtablePage() {
  const { rt, isStaff, canSignUp, signedIn, open } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const decisionOf = (issueId: string) => rt.decisions.find((d) => d.issueId === issueId);
  return (
    <Stack maw={900} mx="auto" gap="lg">
      {result?.ok ? (
        <Alert color="teal" role="status">
          {result.message}
        </Alert>
      ) : (
        <FormErrorSummary formError={result?.formError} />
      )}
      <Stack gap={4}>
        <Group gap="xs">
          <Badge variant="light" size="lg" radius="sm">
            {ROUNDTABLE_STATUS_LABELS[rt.status]}
          </Badge>
          <Text c="dimmed">{rt.placeName}</Text>
        </Group>
        <Title order={1}>{rt.title}</Title>
        <Text size="lg">
          {formatDateTime(rt.startsAt)} · {rt.venue}
        </Text>
        {rt.invited ? <Text>受邀：{rt.invited}</Text> : null}
        {rt.description ? <Text style={{ whiteSpace: "pre-wrap" }}>{rt.description}</Text> : null}
        {isStaff ? (
          <Button component={Link} to={`/roundtables/${rt.id}/manage`} variant="default" w="fit-content">
            管理本次圆桌会
          </Button>
        ) : null}
      </Stack>

      <Card withBorder>
        <Text fw={700} data-testid="signup-count">
          已报名 {rt.confirmedCount} / {rt.capacity}
          {rt.waitlistCount ? `，候补 ${rt.waitlistCount} 人` : ""}
          {rt.attendanceCount ? ` · 实际到会 ${rt.attendanceCount} 人` : ""}
        </Text>
        {rt.viewerSignup ? (
          <Group mt="xs">
            <Text>{rt.viewerSignup.status === "confirmed" ? "您已报名。" : `您在候补名单第 ${rt.viewerSignup.waitlistPosition} 位。`}</Text>
            {open ? (
              <Form method="post">
                <input type="hidden" name="intent" value="cancel" />
                <Button type="submit" variant="default" loading={busy}>
                  取消报名
                </Button>
              </Form>
            ) : null}
          </Group>
        ) : open ? (
          canSignUp ? (
            <Form method="post">
              <input type="hidden" name="intent" value="signup" />
              <Button type="submit" mt="xs" loading={busy}>
                {rt.confirmedCount >= rt.capacity ? "报名候补" : "报名参加"}
              </Button>
            </Form>
          ) : (
            <Text mt="xs" size="sm" c="dimmed">
              本社区认证居民可报名。{signedIn ? <Anchor component={Link} to="/residents/verify">申请居民认证</Anchor> : <Anchor component={Link} to={`/login?redirectTo=/roundtables/${rt.id}`}>登录</Anchor>}
            </Text>
          )
        ) : null}
      </Card>

      <section aria-labelledby="agenda-title">
        <Title order={2} size="h3" id="agenda-title" mb="sm">
          议程与议定结果
        </Title>
        <Stack gap="xs">
          {rt.agenda.map((a, i) => {
            const d = decisionOf(a.id);
            return (
              <Card key={a.id} withBorder padding="sm">
                <Group gap="xs">
                  <Text fw={700}>{i + 1}.</Text>
                  <Anchor component={Link} to={`/issues/${a.id}`}>
                    {a.title}
                  </Anchor>
                  <StatusBadge status={a.status} />
                </Group>
                {d ? <Text mt={4}>{describeDecision(d)}</Text> : null}
                {d && d.votesFor !== null ? (
                  <Text size="sm">
                    举手表决：赞成 {d.votesFor}，反对 {d.votesAgainst ?? 0}，弃权 {d.votesAbstain ?? 0}
                  </Text>
                ) : null}
              </Card>
            );
          })}
        </Stack>
      </section>

      {rt.minutes ? (
        <section aria-labelledby="minutes-title">
          <Title order={2} size="h3" id="minutes-title" mb="sm">
            会议纪要
          </Title>
          {rt.minutesPublishedAt ? (
            <Text size="sm" c="dimmed" mb="xs">
              公布于 {formatDateTime(rt.minutesPublishedAt)}
            </Text>
          ) : null}
          <Card withBorder>
            <RichText source={rt.minutes} />
          </Card>
        </section>
      ) : null}
      {rt.status !== "draft" && !rt.minutes ? (
        <List>
          <List.Item>会后将在此公布会议纪要。</List.Item>
        </List>
      ) : null}
    </Stack>
  );
}
