import { Anchor, Breadcrumbs, Button, Group, NativeSelect, Stack, Text, TextInput, Title } from "@mantine/core";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ActionTable, AreaTable, Definitions, FigureCharts, KeyFigures, ProjectStatusTable, MonthTable } from "../components/FiguresPanel";
import { todayOf } from "../domain/care/care.server";
import { ancestry, LEVEL_LABELS, placeOptions } from "../domain/places/places.server";
import { cachedPageFigures, cachedProgrammeFigures } from "../domain/reports/figures-cache.server";
import { placeForFigures } from "../domain/reports/figures.server";
import { periodFrom, SELF, widestPlaceId } from "../domain/reports/rules";
import { figuresQuerySchema, MAX_PERIOD_DAYS } from "../domain/reports/schema";
import { formatDateTime } from "../lib/dates";
import { requirePermission, requirePlaceScopes } from "../platform/auth.server";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { throwAsResponse } from "../platform/http.server";
import { can } from "../platform/permissions";

export const meta: MetaFunction = () => [{ title: "项目数据看板 · 邻里守望" }];

/** Officers and liaisons: their place's programme figures, drilled down place by place, for a period (figures-cache.server.ts: at most a minute old). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { placePaths } = await requirePlaceScopes(request, context, "dashboard.view");
  const query = figuresQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  try {
    const place = await placeForFigures(db, query.place ?? widestPlaceId(placePaths)!);
    const { actor } = await requirePermission(request, context, "dashboard.view", { placePath: place.path });
    const period = periodFrom(query, todayOf(systemClock), MAX_PERIOD_DAYS);
    const [{ figures, computedAt }, trail, options] = await Promise.all([
      cachedProgrammeFigures(db, place.id, period),
      ancestry(db, place),
      Promise.all(placePaths.map((under) => placeOptions(db, { under, maxLevel: "street" }))),
    ]);
    const view = cachedPageFigures(figures, !can(actor, "care.read", { placePath: place.path }));
    return data(
      {
        view,
        period,
        computedAt: formatDateTime(computedAt),
        trail: trail.filter((p) => placePaths.some((s) => p.path.startsWith(s))).map((p) => ({ id: p.id, name: p.name })),
        options: options.flat().map((o) => ({ value: String(o.id), label: `${"　".repeat(o.depth)}${o.name}（${LEVEL_LABELS[o.level]}）` })),
        canReport: can(actor, "report.create", { placePath: place.path }),
      },
      { headers: { "Cache-Control": "private, no-store" } },
    );
  } catch (e) {
    throwAsResponse(e);
  }
}

export default function Dashboard() {
  const { view, period, computedAt, trail, options, canReport } = useLoaderData<typeof loader>();
  const qs = (placeId: number) => `?place=${placeId}&from=${period.from}&to=${period.to}`;
  return (
    <Stack maw={1280} mx="auto" gap="lg">
      <nav aria-label="地区层级">
        <Breadcrumbs>
        {trail.map((p) =>
          p.id === view.place.id ? (
            <Text key={p.id} aria-current="page">
              {p.name}
            </Text>
          ) : (
            <Anchor key={p.id} component={Link} to={qs(p.id)} display="inline-block" py={10}>
              {p.name}
            </Anchor>
          ),
        )}
        </Breadcrumbs>
      </nav>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={1}>项目数据看板 · {view.place.name}</Title>
          <Text c="dimmed">
            {period.from} 至 {period.to}。数字由业务数据汇总于 {computedAt}（数据量大的地区最多延迟 1 分钟）。点击地区名称可查看下一级。
          </Text>
        </Stack>
        {canReport ? (
          <Button component={Link} to={`/bureau/reports${qs(view.place.id)}`} size="lg">
            生成总结报告
          </Button>
        ) : null}
      </Group>
      <Form method="get">
        <Group align="flex-end">
          <NativeSelect label="地区" name="place" defaultValue={String(view.place.id)} data={options} />
          <TextInput label="开始日期" name="from" type="date" defaultValue={period.from} />
          <TextInput label="结束日期" name="to" type="date" defaultValue={period.to} />
          <Button type="submit" variant="default" size="md">
            查看
          </Button>
        </Group>
      </Form>
      <KeyFigures view={view} />
      <FigureCharts view={view} />
      <AreaTable view={view} linkFor={(a) => (a.key === SELF ? null : qs(a.placeId))} />
      <ActionTable view={view} />
      <ProjectStatusTable view={view} />
      <MonthTable view={view} />
      <Definitions />
    </Stack>
  );
}
