import { Anchor, Badge, Button, Card, Group, NativeSelect, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listCalls } from "../domain/calls/calls.server";
import { listRecentGrants } from "../domain/grants/queries.server";
import { GRANT_STATUS_LABELS } from "../domain/grants/rules";
import { listIssues } from "../domain/issues/issues.server";
import { ancestry, getPlace, placeOptionsNear, placeSelectOptions } from "../domain/places/places.server";
import { ACTION_TYPE_INFO, ACTION_TYPES } from "../domain/vocabulary";
import { formatDateTime } from "../lib/dates";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  // Read without zod: zod declares side effects, so importing it here would put ≈ 90 KB gzip into
  // the home page's browser bundle (scripts/home-js-size.js).
  const requested = Number(new URL(request.url).searchParams.get("place"));
  const placeId = Number.isSafeInteger(requested) && requested > 0 ? requested : undefined;
  const place = placeId ? await getPlace(db, placeId) : undefined;
  const options = await placeOptionsNear(db, place);
  const trail = place ? await ancestry(db, place) : [];
  const [open, calls, projects] = await Promise.all([
    listIssues(db, { sort: "supported", placePath: place?.path, communityId: place?.level === "community" ? place.id : undefined, openOnly: true, limit: 8 }),
    listCalls(db, { placePath: place?.path, openOnly: true, limit: 8 }, systemClock),
    listRecentGrants(db, { place, limit: 8 }),
  ]);
  return {
    options: placeSelectOptions(options),
    place: place ? { id: place.id, name: trail.map((p) => p.name).join(" · ") } : null,
    // The loop's lists fill in as issues, calls and projects land; the page already shows where.
    openIssues: open.items.map((i) => ({ id: i.id, title: `${i.title}（附议 ${i.supportCount}）`, href: `/issues/${i.id}` })),
    openCalls: calls.map((c) => ({ id: c.id, title: `${c.title}（截止 ${formatDateTime(c.closesAt)}）`, href: `/calls/${c.id}` })),
    recentProjects: projects.map((g) => ({
      id: g.id,
      title: `${g.projectName}（${g.organisationName} · ${GRANT_STATUS_LABELS[g.status]}）`,
      href: g.status === "publicity" ? `/calls/${g.callId}/publicity` : `/projects/${g.id}`,
    })),
  };
}

function EmptyList({ title, items, empty }: { title: string; items: Array<{ id: string; title: string; href?: string }>; empty: string }) {
  return (
    <Card withBorder padding="lg" component="section" aria-label={title}>
      <Title order={3} size="h4" mb="sm">
        {title}
      </Title>
      {items.length === 0 ? (
        <Text c="dimmed">{empty}</Text>
      ) : (
        <Stack gap="xs">
          {items.map((i) =>
            i.href ? (
              <Anchor key={i.id} component={Link} to={i.href}>
                {i.title}
              </Anchor>
            ) : (
              <Text key={i.id}>{i.title}</Text>
            ),
          )}
        </Stack>
      )}
    </Card>
  );
}

export default function Home() {
  const { options, place, openIssues, openCalls, recentProjects } = useLoaderData<typeof loader>();
  return (
    <Stack gap="xl" maw={1100} mx="auto">
      <Stack gap="xs">
        <Title order={1}>邻里守望 · 社区协商与微创投平台</Title>
        <Text size="lg">
          居民提出身边的难事，在“幸福圆桌会”上共同商议；民政部门发布招贤榜，社会组织申报项目、落地服务；项目成效由居民评价。
        </Text>
        <Text fw={700} c="teal.9">
          需求由群众提出 · 过程有群众参与 · 成效由群众评价
        </Text>
      </Stack>

      <section aria-labelledby="action-types">
        <Title order={2} size="h3" id="action-types" mb="sm">
          四项行动
        </Title>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
          {ACTION_TYPES.map((code) => (
            <Card key={code} withBorder padding="lg">
              <Badge size="lg" radius="sm" mb="xs" variant="filled">
                {ACTION_TYPE_INFO[code].name}
              </Badge>
              <Text>{ACTION_TYPE_INFO[code].summary}</Text>
            </Card>
          ))}
        </SimpleGrid>
      </section>

      <section aria-labelledby="place-lists">
        <Title order={2} size="h3" id="place-lists" mb="sm">
          {place ? `${place.name}的动态` : "选择地区，查看身边的议题、招贤榜和项目"}
        </Title>
        <Form method="get">
          <Group align="flex-end" mb="md">
            {/* Keyed: in a large install the options change with the place, and a mounted select keeps its old position. */}
            <NativeSelect
              key={place?.id ?? ""}
              label="地区"
              name="place"
              defaultValue={place ? String(place.id) : ""}
              data={[{ value: "", label: "全部地区" }, ...options]}
              style={{ flex: "1 1 260px", maxWidth: 420 }}
            />
            <Button type="submit">查看</Button>
          </Group>
        </Form>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          <EmptyList title="正在征集的居民议题" items={openIssues} empty="暂无议题。" />
          <EmptyList title="正在招募的招贤榜" items={openCalls} empty="暂无正在招募的招贤榜。" />
          <EmptyList title="最近的项目" items={recentProjects} empty="暂无项目。" />
        </SimpleGrid>
      </section>
    </Stack>
  );
}
