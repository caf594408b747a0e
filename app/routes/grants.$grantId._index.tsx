import { Anchor, Badge, Button, Group, List, Stack, Table, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GuidanceNotes } from "../components/GuidanceNotes";
import { getGrant } from "../domain/grants/queries.server";
import { listGuidanceNotes, mayReadGuidance } from "../domain/liaison/guidance.server";
import { GRANT_STATUS_LABELS, MILESTONE_STATUS_LABELS } from "../domain/grants/rules";
import { ACTION_TYPE_INFO } from "../domain/vocabulary";
import { PLEDGE_KIND_LABELS } from "../domain/calls/rules";
import { formatDate } from "../lib/dates";
import { formatYuan } from "../lib/money";
import { getActor } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { notFound } from "../platform/http.server";
import { can } from "../platform/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `资助协议：${data?.grant.projectName ?? ""} · 邻里守望` }];

/** The grant agreement (资助协议): public, printable (the print stylesheet in global.css hides the navigation). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const grant = await getGrant(getDb(), params.grantId ?? "");
  if (!grant) notFound("项目不存在");
  const actor = await getActor(request, context);
  // Guidance notes are for the organisation and the bureau: everyone else gets none, not even an empty list's worth of them.
  const readsGuidance = mayReadGuidance(actor, { placePath: grant.placePath, organisationId: grant.organisationId });
  return {
    grant,
    notes: readsGuidance ? await listGuidanceNotes(getDb(), grant.id) : null,
    mayReport: can(actor, "grant.report", { organisationId: grant.organisationId }) && grant.status === "in_progress",
    mayManage: can(actor, "grant.manage", { placePath: grant.placePath }) || can(actor, "grant.liaison_review", { placePath: grant.placePath }),
  };
}

export default function Agreement() {
  const { grant: g, mayReport, mayManage, notes } = useLoaderData<typeof loader>();
  return (
    <Stack maw={900} mx="auto" gap="md" className="print-document">
      <Group justify="space-between" wrap="wrap">
        <Title order={1}>资助协议</Title>
        <Badge size="lg" variant="light">
          {GRANT_STATUS_LABELS[g.status]}
        </Badge>
      </Group>
      <Group className="no-print" gap="sm">
        <Button component={Link} to={`/projects/${g.id}`} variant="default" size="md">
          公开项目页
        </Button>
        {mayManage ? (
          <Button component={Link} to={`/grants/${g.id}/manage`} size="md">
            审核与拨付
          </Button>
        ) : null}
        <Text size="sm" c="dimmed">
          打印：使用浏览器的“打印”（Ctrl+P），导航栏不会打印。
        </Text>
      </Group>
      <Table withTableBorder variant="vertical" aria-label="协议要点">
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={160}>项目名称</Table.Th>
            <Table.Td>{g.projectName}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>资助方</Table.Th>
            <Table.Td>
              {g.placeName}民政局 · 资金池「{g.poolName}」 · 招贤榜「{g.callTitle}」
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>承接方</Table.Th>
            <Table.Td>{g.organisationName}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>行动类型</Table.Th>
            <Table.Td>{ACTION_TYPE_INFO[g.actionType].name}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>资助金额</Table.Th>
            <Table.Td>
              <strong>{formatYuan(g.amountFen)}</strong>（按里程碑分 {g.milestones.length} 期拨付）
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>公示与立项</Table.Th>
            <Table.Td>
              {formatDate(g.awardedAt)} 确定资助，公示至 {formatDate(new Date(new Date(g.publicityEndsAt).getTime() - 1))}
              {g.establishedAt ? `；${formatDate(g.establishedAt)} 正式立项` : ""}
            </Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>回应的居民议题</Table.Th>
            <Table.Td>{g.issues.map((i) => `${i.title}（${i.placeName}）`).join("、") || "—"}</Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>

      <Title order={2} size="h3">
        里程碑与分期拨付
      </Title>
      <Table.ScrollContainer minWidth={640}>
        <Table withTableBorder striped aria-label="里程碑与分期拨付">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>期次</Table.Th>
              <Table.Th>里程碑与交付成果</Table.Th>
              <Table.Th>完成期限</Table.Th>
              <Table.Th ta="right">拨付比例</Table.Th>
              <Table.Th ta="right">拨付金额</Table.Th>
              <Table.Th className="no-print">状态</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {g.milestones.map((m) => (
              <Table.Tr key={m.position}>
                <Table.Td>第 {m.position} 期</Table.Td>
                <Table.Td>
                  <Text fw={600}>{m.title}</Text>
                  <Text size="sm">{m.deliverable}</Text>
                </Table.Td>
                <Table.Td>{formatDate(`${m.dueDate}T00:00:00+08:00`)}</Table.Td>
                <Table.Td ta="right">{m.tranchePct}%</Table.Td>
                <Table.Td ta="right">{formatYuan(m.trancheFen)}</Table.Td>
                <Table.Td className="no-print">
                  {m.paid ? "已拨付" : MILESTONE_STATUS_LABELS[m.status]}
                  {mayReport && (m.status === "open" || m.status === "returned") ? (
                    <>
                      {" "}
                      <Anchor component={Link} to={`/grants/${g.id}/report?position=${m.position}`}>
                        提交报告
                      </Anchor>
                    </>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>

      {g.budgetLines.length > 0 ? (
        <>
          <Title order={2} size="h3">
            预算（申报书）
          </Title>
          <List>
            {g.budgetLines.map((l, i) => (
              <List.Item key={i}>
                {l.category}：{l.description} {formatYuan(l.amountFen)}
              </List.Item>
            ))}
          </List>
        </>
      ) : null}
      {g.pledges.length > 0 ? (
        <>
          <Title order={2} size="h3">
            配套资源（撬动资金与实物）
          </Title>
          <List>
            {g.pledges.map((p, i) => (
              <List.Item key={i}>
                {p.source}（{PLEDGE_KIND_LABELS[p.kind]}）：{p.description}，折合 {formatYuan(p.valueFen)}
              </List.Item>
            ))}
          </List>
        </>
      ) : null}

      <Title order={2} size="h3">
        双方义务
      </Title>
      <List type="ordered" spacing="xs">
        <List.Item>承接方按申报书和本协议的里程碑实施项目，每个里程碑完成后在平台提交报告：进展说明、服务人数与对象、活动及日期、对照预算的支出、照片和签到表等佐证、实际收到的实物支持。</List.Item>
        <List.Item>报告先由区联络员审核，再由民政局审批；审批通过后，资助方按上表拨付该期款项，每笔拨付记入资金流水并附支付凭证号。单笔超过资金池设定额度的拨付须经两名工作人员审批。</List.Item>
        <List.Item>资金专款专用，不得用于与项目无关的支出；未按约实施的，资助方可暂停或终止资助，未拨付资金收回资金池，已拨付资金视情况退回。</List.Item>
        <List.Item>全部里程碑通过后进入群众评价期（14 天），由议题所在社区的认证居民评价满意度和问题解决情况；评价结束后项目办结，结果公开。</List.Item>
      </List>
      <Group grow mt="xl" className="print-signatures">
        <Text>资助方（盖章）：＿＿＿＿＿＿＿＿</Text>
        <Text>承接方（盖章）：＿＿＿＿＿＿＿＿</Text>
      </Group>
      {notes ? (
        <div className="no-print">
          <GuidanceNotes notes={notes} canWrite={false} />
        </div>
      ) : null}
    </Stack>
  );
}
