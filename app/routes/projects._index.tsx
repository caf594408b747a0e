import { Anchor, Badge, Card, Group, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listRecentGrants } from "../domain/grants/queries.server";
import { GRANT_STATUS_LABELS } from "../domain/grants/rules";
import { ACTION_TYPE_INFO } from "../domain/vocabulary";
import { formatDate } from "../lib/dates";
import { formatYuan } from "../lib/money";
import { getDb } from "../platform/db.server";

export const meta: MetaFunction = () => [{ title: "创投项目 · 邻里守望" }];

export async function loader(_args: LoaderFunctionArgs) {
  return { grants: await listRecentGrants(getDb(), { limit: 100 }) };
}

export default function Projects() {
  const { grants } = useLoaderData<typeof loader>();
  return (
    <Stack maw={1000} mx="auto" gap="md">
      <Title order={1}>创投项目</Title>
      <Text>民政局资助的社区服务项目：进展、拨付和居民评价全部公开。</Text>
      {grants.length === 0 ? <Text c="dimmed">暂无项目。</Text> : null}
      {grants.map((g) => (
        <Card key={g.id} withBorder padding="md" component="article">
          <Group justify="space-between" wrap="wrap">
            <Anchor component={Link} to={g.status === "publicity" ? `/calls/${g.callId}/publicity` : `/projects/${g.id}`} fw={700} size="lg">
              {g.projectName}
            </Anchor>
            <Badge variant="light">{GRANT_STATUS_LABELS[g.status]}</Badge>
          </Group>
          <Text size="sm">
            {g.organisationName} · {g.placeName} · {ACTION_TYPE_INFO[g.actionType].name} · 资助 {formatYuan(g.amountFen)} · {formatDate(g.awardedAt)}
          </Text>
        </Card>
      ))}
    </Stack>
  );
}
