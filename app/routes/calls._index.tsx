import { Anchor, Button, Card, Group, NativeSelect, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CallPhaseBadge } from "../components/calls";
import { ActionTypeBadge } from "../components/issues";
import { listCalls } from "../domain/calls/calls.server";
import { getPlace, placeOptions, placeSelectOptions } from "../domain/places/places.server";
import { formatDateTime } from "../lib/dates";
import { formatMoney } from "../lib/money";
import { getActor } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { placeScopes } from "../platform/permissions";

export const meta: MetaFunction = () => [{ title: "招贤榜 · 邻里守望" }];

const querySchema = z.object({
  place: z.coerce.number().int().positive().optional().catch(undefined),
  open: z.enum(["1"]).optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const db = getDb();
  const actor = await getActor(request, context);
  const q = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const place = q.place ? await getPlace(db, q.place) : undefined;
  const draftsFor = placeScopes(actor, "call.publish");
  const [calls, options] = await Promise.all([
    listCalls(db, { placePath: place?.path, openOnly: q.open === "1", draftsFor }, systemClock),
    placeOptions(db, { maxLevel: "district" }),
  ]);
  return {
    calls,
    place: place ? String(place.id) : "",
    open: q.open === "1",
    options: placeSelectOptions(options),
    canPublish: draftsFor.length > 0,
  };
}

export default function Calls() {
  const { calls, place, open, options, canPublish } = useLoaderData<typeof loader>();
  return (
    <Stack maw={1100} mx="auto" gap="lg">
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>招贤榜</Title>
          <Text>民政部门围绕居民议定的需求发布招贤榜，邀请社会组织申报项目。</Text>
        </Stack>
        {canPublish ? (
          <Button component={Link} to="/calls/new" size="lg">
            发布招贤榜
          </Button>
        ) : null}
      </Group>
      <Form method="get">
        <Group align="flex-end">
          <NativeSelect label="地区" name="place" defaultValue={place} data={[{ value: "", label: "全部地区" }, ...options]} style={{ flex: "1 1 240px", maxWidth: 400 }} />
          <NativeSelect
            label="状态"
            name="open"
            defaultValue={open ? "1" : ""}
            data={[
              { value: "", label: "全部" },
              { value: "1", label: "征集中" },
            ]}
          />
          <Button type="submit">筛选</Button>
        </Group>
      </Form>
      {calls.length === 0 ? <Text c="dimmed">暂无招贤榜。</Text> : null}
      <SimpleGrid cols={{ base: 1, md: 2 }} component="section" aria-label="招贤榜列表">
        {calls.map((c) => (
          <Card key={c.id} withBorder padding="lg" component="article" aria-label={c.title}>
            <Group gap="xs" mb="xs">
              <CallPhaseBadge phase={c.phase} />
              <ActionTypeBadge code={c.actionType} />
            </Group>
            <Anchor component={Link} to={`/calls/${c.id}`} size="lg" fw={700}>
              {c.title}
            </Anchor>
            <Text c="dimmed" mt={4}>
              {c.placeName} · 总预算 {formatMoney(c.totalBudgetFen)} · 单项上限 {formatMoney(c.capFen)}
            </Text>
            <Text>
              截止 {formatDateTime(c.closesAt)} · 已收到 {c.bidCount} 份申报
            </Text>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
