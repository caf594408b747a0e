import { Button, Card, Group, NativeSelect, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { publicStats } from "../domain/care/care.server";
import { figuresPlaceChoice, placeSelectOptions } from "../domain/places/places.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { notFound } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "关爱服务统计 · 邻里守望" }];

const querySchema = z.object({ place: z.coerce.number().int().positive().optional().catch(undefined) });

/** Public: counts only, with every count from 1 to 4 shown as "<5". */
export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { placeId, unknown, options } = await figuresPlaceChoice(db, query.place);
  if (unknown) notFound("地区不存在");
  if (!placeId) notFound("尚无地区数据");
  const stats = await publicStats(db, systemClock, placeId);
  return {
    stats,
    options: placeSelectOptions(options),
  };
}

function CountTable({ title, rows }: { title: string; rows: Array<{ name: string; shown: string }> }) {
  return (
    <Card withBorder padding="lg" component="section" aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      <Table striped>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.name}>
              <Table.Td>{r.name}</Table.Td>
              <Table.Td ta="right" fw={600}>
                {r.shown}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

export default function CareStats() {
  const { stats, options } = useLoaderData<typeof loader>();
  return (
    <Stack maw={1100} mx="auto" gap="lg">
      <Title order={1}>关爱服务统计 · {stats.place.name}</Title>
      <Text>
        “数字民政”重点关爱对象与精准对接服务的汇总数字。为保护个人信息，1 至 4 的数字一律显示为“&lt;5”，必要时相邻数字也一并隐藏，不显示任何姓名或明细。
      </Text>
      <Form method="get">
        <Group align="flex-end">
          <NativeSelect key={stats.place.id} label="地区" name="place" defaultValue={String(stats.place.id)} data={options} />
          <Button type="submit" variant="default">
            查看
          </Button>
        </Group>
      </Form>
      <Card withBorder padding="lg">
        <Text c="dimmed">关爱对象总数</Text>
        <Text fz={36} fw={700} data-testid="care-total">
          {stats.total}
        </Text>
      </Card>
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <CountTable title="按地区" rows={stats.byPlace} />
        <CountTable title="按群体（一人可属多个群体）" rows={stats.byGroup} />
        <CountTable title="近一年接受服务的人数（按服务类型）" rows={stats.byService} />
      </SimpleGrid>
    </Stack>
  );
}
