import { Anchor, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listPools } from "../domain/pools/pools.server";
import { formatMoney } from "../lib/money";
import { requirePlaceScopes } from "../platform/auth.server";
import { getDb } from "../platform/db.server";

export const meta: MetaFunction = () => [{ title: "资金池 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { placePaths } = await requirePlaceScopes(request, context, "pool.manage");
  return { pools: await listPools(getDb(), placePaths) };
}

export default function Pools() {
  const { pools } = useLoaderData<typeof loader>();
  return (
    <Stack maw={1100} mx="auto" gap="lg">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>资金池</Title>
          <Text c="dimmed">各项资金的总额、已承诺、已拨付和可用余额，均由资金流水逐笔汇总得出。</Text>
        </Stack>
        <Button component={Link} to="/bureau/pools/new" size="lg">
          设立资金池
        </Button>
      </Group>
      {pools.length === 0 ? (
        <Text c="dimmed">暂无资金池。</Text>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>名称</Table.Th>
                <Table.Th>来源</Table.Th>
                <Table.Th>地区</Table.Th>
                <Table.Th ta="right">总额</Table.Th>
                <Table.Th ta="right">已承诺</Table.Th>
                <Table.Th ta="right">已拨付</Table.Th>
                <Table.Th ta="right">可用余额</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {pools.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/bureau/pools/${p.id}`} display="inline-block" py={10}>
                      {p.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{p.source}</Table.Td>
                  <Table.Td>{p.placeName}</Table.Td>
                  <Table.Td ta="right">{formatMoney(p.balance.total)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(p.balance.committed)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(p.balance.disbursed)}</Table.Td>
                  <Table.Td ta="right">{formatMoney(p.balance.available)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
