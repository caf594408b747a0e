import { Anchor, Badge, Stack, Table, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { callScope, getCall } from "../domain/calls/calls.server";
import { callRanking } from "../domain/review/review.server";
import { SPREAD_FLAG } from "../domain/review/rules";
import { formatYuan } from "../lib/money";
import { requirePermission } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { notFound } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "评审排名 · 邻里守望" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = params.callId ?? "";
  const scope = /^[0-9a-f-]{36}$/.test(id) ? await callScope(getDb(), id) : undefined;
  if (!scope) notFound("招贤榜不存在");
  await requirePermission(request, context, "review.manage", scope);
  const [call, ranking] = await Promise.all([getCall(getDb(), id), callRanking(getDb(), id)]);
  return { call: call!, ranking };
}

export default function Ranking() {
  const { call, ranking } = useLoaderData<typeof loader>();
  return (
    <Stack maw={1200} mx="auto" gap="md">
      <Title order={1}>评审排名：{call.title}</Title>
      <Text>
        只计入已提交的评分（每位专家总分满分 100）。专家之间分差超过 {SPREAD_FLAG} 分时标记“分歧较大”。累计申请金额与本榜总预算 {formatYuan(ranking.totalBudgetFen)} 对照。{" "}
        <Anchor component={Link} to={`/calls/${call.id}/manage`}>
          返回管理
        </Anchor>
      </Text>
      <Table.ScrollContainer minWidth={900}>
        <Table striped aria-label="评审排名">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>名次</Table.Th>
              <Table.Th>项目</Table.Th>
              <Table.Th>组织</Table.Th>
              <Table.Th>各专家总分</Table.Th>
              <Table.Th>平均分</Table.Th>
              <Table.Th>分差</Table.Th>
              <Table.Th>未交评分</Table.Th>
              <Table.Th>申请金额</Table.Th>
              <Table.Th>累计金额</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ranking.rows.map((r) => (
              <Table.Tr key={r.bidId}>
                <Table.Td>{r.rank ?? "—"}</Table.Td>
                <Table.Td>{r.projectName}</Table.Td>
                <Table.Td>{r.organisationName}</Table.Td>
                <Table.Td>{r.totals.length ? r.totals.join("、") : "—"}</Table.Td>
                <Table.Td fw={700}>{r.average === null ? "—" : r.average.toFixed(1)}</Table.Td>
                <Table.Td>
                  {r.spread ?? "—"}
                  {r.disagreement ? (
                    <Badge color="red" variant="light" ml="xs">
                      分歧较大
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td>{r.missing}</Table.Td>
                <Table.Td>{formatYuan(r.requestedFen)}</Table.Td>
                <Table.Td c={r.withinBudget ? undefined : "red"}>
                  {formatYuan(r.cumulativeFen)}
                  {r.withinBudget ? "" : "（超出总预算）"}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {ranking.rows.length === 0 ? <Text c="dimmed">暂无已提交的申报书。</Text> : null}
    </Stack>
  );
}
