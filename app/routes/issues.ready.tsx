import { Anchor, Stack, Table, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listReadyForCall, type ReadyForCallItem } from "../domain/issues/issues.server";
import { ACTION_TYPE_INFO } from "../domain/vocabulary";
import { formatDate } from "../lib/dates";
import { formatYuan } from "../lib/money";
import { requireUser } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { grantingRole } from "../platform/permissions";

export const meta: MetaFunction = () => [{ title: "待转入创投的议题 · 邻里守望" }];

/** Bureau officers and liaisons see the issues decided 转入创投 in every place their roles cover. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireUser(request, context);
  const scopes = actor.roles.filter((r) => r.placePath && grantingRole({ roles: [r] }, "issue.ready.view", { placePath: r.placePath })).map((r) => r.placePath!);
  if (scopes.length === 0) throw new Response("只有民政局工作人员和联络员可以查看", { status: 403 });
  // Nested scopes (city and one of its districts) would list an issue twice: keep the outermost.
  const outer = scopes.filter((p) => !scopes.some((q) => q !== p && p.startsWith(q)));
  const lists = await Promise.all(outer.map((p) => listReadyForCall(getDb(), p)));
  const items: ReadyForCallItem[] = lists.flat().sort((a, b) => +new Date(b.decidedAt) - +new Date(a.decidedAt));
  return { items };
}

export default function ReadyForCall() {
  const { items } = useLoaderData<typeof loader>();
  return (
    <Stack maw={1100} mx="auto">
      <Title order={1}>待转入创投的议题</Title>
      <Text>幸福圆桌会议定“转入创投/招募”、尚未列入招贤榜的议题。</Text>
      {items.length === 0 ? (
        <Text c="dimmed">暂无待转入创投的议题。</Text>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>议题</Table.Th>
                <Table.Th>社区</Table.Th>
                <Table.Th>行动类型</Table.Th>
                <Table.Th>预算估算</Table.Th>
                <Table.Th>附议</Table.Th>
                <Table.Th>议定</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((i) => (
                <Table.Tr key={i.issueId}>
                  <Table.Td>
                    <Anchor component={Link} to={`/issues/${i.issueId}`}>
                      {i.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{i.placeName}</Table.Td>
                  <Table.Td>{ACTION_TYPE_INFO[i.actionType].name}</Table.Td>
                  <Table.Td>{formatYuan(i.budgetEstimateFen)}</Table.Td>
                  <Table.Td>{i.supportCount}</Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/roundtables/${i.roundtableId}`}>
                      {i.roundtableTitle}
                    </Anchor>
                    <Text size="sm">{formatDate(i.decidedAt)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
