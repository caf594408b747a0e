import { Button, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput, Title } from "@mantine/core";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { IssueCard } from "../components/issues";
import { listIssues } from "../domain/issues/issues.server";
import { ISSUE_STATUS_LABELS, ISSUE_STATUSES } from "../domain/issues/rules";
import { ISSUE_SORT_LABELS, ISSUE_SORTS, issueListQuerySchema } from "../domain/issues/schema";
import { getPlace, placeOptionsNear, placeSelectOptions } from "../domain/places/places.server";
import { ACTION_TYPE_INFO, ACTION_TYPES, ISSUE_CATEGORIES } from "../domain/vocabulary";
import { getActor } from "../platform/auth.server";
import { getDb } from "../platform/db.server";

export const meta: MetaFunction = () => [{ title: "居民议题 · 邻里守望" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const db = getDb();
  const actor = await getActor(request, context);
  const url = new URL(request.url);
  const query = issueListQuerySchema.parse(Object.fromEntries(url.searchParams));
  const place = query.place ? await getPlace(db, query.place) : undefined;
  const [page, options] = await Promise.all([
    listIssues(db, { ...query, placePath: place?.path, communityId: place?.level === "community" ? place.id : undefined, viewerId: actor.user?.id ?? null }),
    placeOptionsNear(db, place),
  ]);
  const withCursor = (cursor: string | null) => {
    const p = new URLSearchParams(url.searchParams);
    if (cursor) p.set("cursor", cursor);
    else p.delete("cursor");
    return `?${p.toString()}`;
  };
  return {
    query: { ...query, place: place ? String(place.id) : "" },
    items: page.items,
    nextHref: page.next ? withCursor(page.next) : null,
    firstHref: query.cursor ? withCursor(null) : null,
    signedIn: actor.user !== null,
    places: placeSelectOptions(options),
  };
}

export default function IssueList() {
  const { query, items, nextHref, firstHref, signedIn, places } = useLoaderData<typeof loader>();
  return (
    <Stack maw={1100} mx="auto" gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>居民议题</Title>
        <Button component={Link} to={signedIn ? "/issues/new" : "/login?redirectTo=%2Fissues%2Fnew"}>
          提出议题
        </Button>
      </Group>
      <Form method="get" role="search" aria-label="筛选议题">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
          <TextInput label="关键词" name="q" defaultValue={query.q ?? ""} placeholder="例如：路灯、照明、养老" />
          {/* Keyed: in a large install the options change with the place, and a mounted select keeps its old position. */}
          <NativeSelect key={query.place} label="地区" name="place" defaultValue={query.place} data={[{ value: "", label: "全部地区" }, ...places]} />
          <NativeSelect label="类别" name="category" defaultValue={query.category ?? ""} data={[{ value: "", label: "全部类别" }, ...ISSUE_CATEGORIES]} />
          <NativeSelect
            label="状态"
            name="status"
            defaultValue={query.status ?? ""}
            data={[{ value: "", label: "全部状态" }, ...ISSUE_STATUSES.map((s) => ({ value: s, label: ISSUE_STATUS_LABELS[s] }))]}
          />
          <NativeSelect
            label="行动类型"
            name="action"
            defaultValue={query.action ?? ""}
            data={[{ value: "", label: "全部" }, ...ACTION_TYPES.map((a) => ({ value: a, label: ACTION_TYPE_INFO[a].name }))]}
          />
          <NativeSelect label="排序" name="sort" defaultValue={query.sort} data={ISSUE_SORTS.map((s) => ({ value: s, label: ISSUE_SORT_LABELS[s] }))} />
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit">筛选</Button>
          <Button component={Link} to="/issues" variant="default">
            清除条件
          </Button>
        </Group>
      </Form>
      <section aria-label="议题列表">
        {items.length === 0 ? (
          <Text c="dimmed">没有符合条件的议题。</Text>
        ) : (
          <Stack gap="sm">
            {items.map((i) => (
              <IssueCard key={i.id} issue={i} />
            ))}
          </Stack>
        )}
      </section>
      <Group>
        {firstHref ? (
          <Button component={Link} to={firstHref} variant="default">
            回到第一页
          </Button>
        ) : null}
        {nextHref ? (
          <Button component={Link} to={nextHref} variant="default">
            下一页
          </Button>
        ) : null}
      </Group>
    </Stack>
  );
}
