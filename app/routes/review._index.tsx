import { Anchor, Badge, Card, Group, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { myAssignments } from "../domain/review/review.server";
import { ASSIGNMENT_STATUS_LABELS } from "../domain/review/rules";
import { formatDateTime } from "../lib/dates";
import { requirePermission } from "../platform/auth.server";
import { getDb } from "../platform/db.server";

export const meta: MetaFunction = () => [{ title: "我的评审 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, context, "review.score");
  return { assignments: await myAssignments(getDb(), actor.user.id) };
}

export default function MyReviews() {
  const { assignments } = useLoaderData<typeof loader>();
  return (
    <Stack maw={900} mx="auto" gap="md">
      <Title order={1}>我的评审</Title>
      <Text>每份申报书请先声明是否需要回避（与申报组织有利害关系时请回避），再阅读并评分。评分提交前只有您自己能看到。</Text>
      {assignments.length === 0 ? <Text c="dimmed">暂无评审任务。</Text> : null}
      {assignments.map((a) => (
        <Card key={a.id} withBorder component="article" aria-label={`${a.organisationName}：${a.projectName}`}>
          <Group justify="space-between">
            <Stack gap={2}>
              <Anchor component={Link} to={`/review/${a.id}`} fw={700} size="lg">
                {a.organisationName}：{a.projectName}
              </Anchor>
              <Text size="sm" c="dimmed">
                {a.callTitle} · 分配于 {formatDateTime(a.assignedAt)}
              </Text>
            </Stack>
            <Badge size="lg" variant="light" color={a.status === "submitted" ? "teal" : a.status === "conflict" ? "gray" : "orange"}>
              {ASSIGNMENT_STATUS_LABELS[a.status]}
            </Badge>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
