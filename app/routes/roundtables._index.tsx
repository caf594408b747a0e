import { Anchor, Badge, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listRoundtables, ROUNDTABLE_STATUS_LABELS } from "../domain/roundtables/roundtables.server";
import { formatDateTime } from "../lib/dates";
import { getActor } from "../platform/auth.server";
import { getDb } from "../platform/db.server";

export const meta: MetaFunction = () => [{ title: "幸福圆桌会 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await getActor(request, context);
  const staffPaths = actor.roles.filter((r) => r.role === "community_staff" && r.placePath).map((r) => r.placePath!);
  return { items: await listRoundtables(getDb(), { staffPaths }), isStaff: staffPaths.length > 0 };
}

export default function Roundtables() {
  const { items, isStaff } = useLoaderData<typeof loader>();
  return (
    <Stack maw={900} mx="auto">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>幸福圆桌会</Title>
        {isStaff ? (
          <Button component={Link} to="/roundtables/new">
            安排圆桌会
          </Button>
        ) : null}
      </Group>
      <Text>居民、社区、社会组织围坐一桌，协商社区里的难事，议定由谁来办、怎么办。</Text>
      {items.length === 0 ? <Text c="dimmed">暂无圆桌会。</Text> : null}
      {items.map((r) => (
        <Card key={r.id} withBorder component="article" aria-labelledby={`rt-${r.id}`}>
          <Group gap="xs">
            <Badge variant="light" size="lg" radius="sm" color={r.status === "draft" ? "gray" : r.status === "published" ? "teal" : "blue"}>
              {ROUNDTABLE_STATUS_LABELS[r.status]}
            </Badge>
            <Title order={2} size="h4" id={`rt-${r.id}`}>
              <Anchor component={Link} to={`/roundtables/${r.id}`}>
                {r.title}
              </Anchor>
            </Title>
          </Group>
          <Text>
            {formatDateTime(r.startsAt)} · {r.placeName} · {r.venue}
          </Text>
          <Text size="sm" c="dimmed">
            已报名 {Number(r.confirmed)} / {r.capacity}
          </Text>
        </Card>
      ))}
    </Stack>
  );
}
