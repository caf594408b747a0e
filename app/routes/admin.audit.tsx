import { Button, Code, Group, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listAuditLog } from "../domain/audit/audit-log.server";
import { formatDateTime } from "../lib/dates";
import { requirePermission } from "../platform/auth.server";
import { getDb } from "../platform/db.server";

export const meta: MetaFunction = () => [{ title: "审计日志 · 邻里守望" }];

const PAGE = 50;
const querySchema = z.object({
  before: z.string().regex(/^\d{1,18}$/).optional().catch(undefined),
  action: z.string().trim().max(60).regex(/^[a-z_.]*$/).optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requirePermission(request, context, "audit.read");
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const rows = await listAuditLog(getDb(), { before: query.before, action: query.action || undefined, limit: PAGE });
  return { rows, action: query.action ?? "", next: rows.length === PAGE ? rows[rows.length - 1].id : null };
}

export default function AuditLog() {
  const { rows, action, next } = useLoaderData<typeof loader>();
  return (
    <Stack maw={1200} mx="auto">
      <Title order={1}>审计日志</Title>
      <Text c="dimmed">所有变更、登录和敏感数据访问都记录在此，记录只能追加，不能修改或删除。</Text>
      <Form method="get">
        <Group align="flex-end">
          <TextInput label="按操作筛选" name="action" defaultValue={action} placeholder="例如 user.login_failed" />
          <Button type="submit" variant="default">
            筛选
          </Button>
        </Group>
      </Form>
      <Table.ScrollContainer minWidth={800}>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>时间</Table.Th>
              <Table.Th>操作人</Table.Th>
              <Table.Th>操作</Table.Th>
              <Table.Th>对象</Table.Th>
              <Table.Th>IP</Table.Th>
              <Table.Th>摘要</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{formatDateTime(r.at)}</Table.Td>
                <Table.Td>
                  {r.actorName ?? "匿名"}
                  {r.actorRole ? `（${r.actorRole}）` : ""}
                </Table.Td>
                <Table.Td>
                  <Code>{r.action}</Code>
                </Table.Td>
                <Table.Td>
                  {r.entityType}
                  {r.entityId ? ` #${r.entityId.slice(0, 8)}` : ""}
                </Table.Td>
                <Table.Td>{r.ip ?? "—"}</Table.Td>
                <Table.Td>
                  <Code block>{JSON.stringify(r.summary)}</Code>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {next ? (
        <Button component={Link} to={`?action=${encodeURIComponent(action)}&before=${next}`} variant="default" w="fit-content">
          更早的记录
        </Button>
      ) : null}
    </Stack>
  );
}
