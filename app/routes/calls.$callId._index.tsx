import { Alert, Anchor, Button, Card, Group, List, SimpleGrid, Stack, Text, Timeline, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CallPhaseBadge } from "../components/calls";
import { ActionTypeBadge } from "../components/issues";
import { ResponsiveTable } from "../components/ResponsiveTable";
import { BID_STATUS_LABELS, callPhase } from "../domain/calls/rules";
import { bidderOrganisations } from "../domain/calls/bids.server";
import { getCall, listCallChanges, type CallChange } from "../domain/calls/calls.server";
import { ACTION_TYPE_INFO } from "../domain/vocabulary";
import { formatCalendarDate, formatDateTime } from "../lib/dates";
import { formatMoney } from "../lib/money";
import { getActor } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { notFound } from "../platform/http.server";
import { can } from "../platform/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.call.title ?? "招贤榜"} · 邻里守望` }];

const ID = /^[0-9a-f-]{36}$/;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = params.callId ?? "";
  const db = getDb();
  const call = ID.test(id) ? await getCall(db, id) : undefined;
  if (!call) notFound("招贤榜不存在");
  const actor = await getActor(request, context);
  const canManage = can(actor, "call.publish", { placePath: call.placePath });
  // A draft is visible only to those who may publish it.
  if (call.status === "draft" && !canManage) notFound("招贤榜不存在");
  const [changes, orgs] = await Promise.all([
    listCallChanges(db, id),
    actor.user && call.status === "published" ? bidderOrganisations(db, id, actor.user.id) : Promise.resolve([]),
  ]);
  return {
    call,
    phase: callPhase(call, systemClock.now()),
    changes,
    orgs,
    canManage,
    canReview: can(actor, "review.manage", { placePath: call.placePath }),
  };
}

function describeChange(c: CallChange): string {
  switch (c.kind) {
    case "publish":
      return "发布招贤榜";
    case "extend":
      return `截止时间由 ${formatDateTime(String(c.before.closesAt))} 延长至 ${formatDateTime(String(c.after.closesAt))}`;
    case "withdraw":
      return "撤回招贤榜";
  }
}

export default function CallPage() {
  const { call, phase, changes, orgs, canManage, canReview } = useLoaderData<typeof loader>();
  return (
    <Stack maw={1000} mx="auto" gap="lg">
      <Stack gap="xs">
        <Group gap="xs">
          <CallPhaseBadge phase={phase} />
          <ActionTypeBadge code={call.actionType} />
        </Group>
        <Title order={1}>{call.title}</Title>
        <Text c="dimmed">
          {call.placeName} · 资金来源：{call.poolName}（{call.poolSource}）
        </Text>
        {canManage || canReview ? (
          <Group>
            <Button component={Link} to={`/calls/${call.id}/manage`} variant="light" size="md">
              管理招贤榜
            </Button>
            {canReview && call.status !== "draft" ? (
              <Button component={Link} to={`/calls/${call.id}/ranking`} variant="light" size="md">
                评审排名
              </Button>
            ) : null}
          </Group>
        ) : null}
      </Stack>
      {call.status === "withdrawn" ? (
        <Alert color="red" title="本招贤榜已撤回">
          {call.withdrawnReason}
        </Alert>
      ) : null}

      <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
        {[
          ["总预算", formatMoney(call.totalBudgetFen)],
          ["单个项目上限", formatMoney(call.capFen)],
          ["申报截止", formatDateTime(call.closesAt)],
          ["项目周期", `${formatCalendarDate(call.projectStart)} 至 ${formatCalendarDate(call.projectEnd)}`],
        ].map(([label, value]) => (
          <Card key={label} withBorder>
            <Text c="dimmed" size="sm">
              {label}
            </Text>
            <Text fw={700} size="lg">
              {value}
            </Text>
          </Card>
        ))}
      </SimpleGrid>

      {orgs.length > 0 ? (
        <Card withBorder component="section" aria-labelledby="bid-title">
          <Title order={2} size="h3" id="bid-title" mb="sm">
            申报
          </Title>
          <Stack gap="sm">
            {orgs.map((o) => (
              <Group key={o.id} justify="space-between">
                <Text>
                  {o.name}
                  {o.bidStatus ? `（申报书：${BID_STATUS_LABELS[o.bidStatus]}）` : ""}
                  {o.ineligible ? ` — 不能申报：${o.ineligible}` : ""}
                </Text>
                {!o.ineligible && (phase === "open" || o.bidId) ? (
                  <Button component={Link} to={`/calls/${call.id}/bid?org=${o.id}`} size="md">
                    {o.bidId ? `查看申报书：${o.name}` : `填写申报书：${o.name}`}
                  </Button>
                ) : null}
              </Group>
            ))}
          </Stack>
        </Card>
      ) : null}

      <section aria-labelledby="desc-title">
        <Title order={2} size="h3" id="desc-title" mb="xs">
          榜单说明
        </Title>
        <Text style={{ whiteSpace: "pre-wrap" }}>{call.description}</Text>
        <Text mt="xs">
          行动类型：{ACTION_TYPE_INFO[call.actionType].name} — {ACTION_TYPE_INFO[call.actionType].summary}
        </Text>
        <Text>开始申报：{formatDateTime(call.opensAt)}（北京时间）</Text>
      </section>

      <section aria-labelledby="issues-title">
        <Title order={2} size="h3" id="issues-title" mb="xs">
          回应的居民议题
        </Title>
        {call.issues.length === 0 ? (
          <Text>开放申报：不限定议题。</Text>
        ) : (
          <List>
            {call.issues.map((i) => (
              <List.Item key={i.id}>
                <Anchor component={Link} to={`/issues/${i.id}`}>
                  {i.title}
                </Anchor>
                （{i.placeName}）
              </List.Item>
            ))}
          </List>
        )}
      </section>

      <section aria-labelledby="elig-title">
        <Title order={2} size="h3" id="elig-title" mb="xs">
          申报条件
        </Title>
        <List>
          <List.Item>已通过民政局查验的社会组织</List.Item>
          <List.Item>组织类型：{call.eligibleOrgTypes.length ? call.eligibleOrgTypes.join("、") : "不限"}</List.Item>
          <List.Item>所在区县：{call.eligibleDistricts.length ? call.eligibleDistricts.map((d) => d.name).join("、") : "不限"}</List.Item>
          <List.Item>必需附件：{call.requiredAttachments.length ? call.requiredAttachments.join("、") : "无"}</List.Item>
        </List>
      </section>

      <section aria-labelledby="rubric-title">
        <Title order={2} size="h3" id="rubric-title" mb="xs">
          评分标准（每份申报书由 {call.reviewersPerBid} 位专家评审）
        </Title>
        <ResponsiveTable
          label="评分标准"
          rows={call.criteria}
          rowKey={(c) => c.position}
          columns={[
            { header: "评分项", cell: (c) => c.name },
            { header: "说明", cell: (c) => c.description },
            { header: "分值", cell: (c) => c.weight, numeric: true },
          ]}
        />
      </section>

      <section aria-labelledby="changes-title">
        <Title order={2} size="h3" id="changes-title" mb="xs">
          变更记录
        </Title>
        {changes.length === 0 ? (
          <Text c="dimmed">尚未发布。</Text>
        ) : (
          <Timeline bulletSize={16} lineWidth={2}>
            {changes.map((c) => (
              <Timeline.Item key={c.id} title={describeChange(c)}>
                <Text size="sm" c="dimmed">
                  {formatDateTime(c.at)} · {c.actorName ?? "系统"}
                </Text>
                {c.reason ? <Text size="sm">原因：{c.reason}</Text> : null}
              </Timeline.Item>
            ))}
          </Timeline>
        )}
      </section>
    </Stack>
  );
}
