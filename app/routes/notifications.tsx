import { Anchor, Badge, Card, Group, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listNotifications, markRead } from "../domain/notifications/notifications.server";
import { RelativeTime } from "../components/RelativeTime";
import { requireUser } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";

export const meta: MetaFunction = () => [{ title: "消息 · 邻里守望" }];

/** Shows the latest messages and marks those shown as read; the ones unread until now stay highlighted on this view. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireUser(request, context);
  const db = getDb();
  const items = await listNotifications(db, actor.user.id);
  await markRead(db, actor.user.id, systemClock.now(), items.filter((n) => !n.readAt).map((n) => n.id));
  return { items };
}

export default function Notifications() {
  const { items } = useLoaderData<typeof loader>();
  const unread = items.filter((n) => !n.readAt).length;
  return (
    <Stack maw={800} mx="auto">
      <Title order={1}>消息</Title>
      {unread > 0 ? <Text>{unread} 条新消息（现已标为已读）</Text> : null}
      {items.length === 0 ? <Text c="dimmed">暂无消息。</Text> : null}
      {items.map((n) => (
        <Card key={n.id} withBorder padding="sm" component="article" bg={n.readAt ? undefined : "teal.0"}>
          <Group gap="xs">
            {!n.readAt ? (
              <Badge color="red" size="sm">
                未读
              </Badge>
            ) : null}
            <Text fw={700}>{n.link ? <Anchor component={Link} to={n.link}>{n.title}</Anchor> : n.title}</Text>
          </Group>
          {n.body ? <Text>{n.body}</Text> : null}
          <Text size="sm" c="dimmed">
            <RelativeTime value={n.createdAt} />
          </Text>
        </Card>
      ))}
    </Stack>
  );
}
