import { Anchor, Stack, Text, Title } from "@mantine/core";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActionTable, AreaTable, Definitions, FigureCharts, FiguresFilter, KeyFigures, ProjectStatusTable } from "../components/FiguresPanel";
import { todayOf } from "../domain/care/care.server";
import { figuresPlaceChoice, placeSelectOptions } from "../domain/places/places.server";
import { programmeFigures } from "../domain/reports/figures.server";
import { pageFigures, periodFrom, SELF, viewFigures } from "../domain/reports/rules";
import { figuresQuerySchema, MAX_PERIOD_DAYS } from "../domain/reports/schema";
import { formatMoney } from "../lib/money";
import { systemClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { notFound, throwAsResponse } from "../platform/http.server";

export const meta: MetaFunction = () => [{ title: "项目公开数据 · 邻里守望" }];

/** Public: the programme's counts and money for a place, care counts below 5 shown as "<5", nothing about any person. */
export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const query = figuresQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { placeId, unknown, options } = await figuresPlaceChoice(db, query.place);
  if (unknown) notFound("地区不存在");
  if (!placeId) notFound("尚无地区数据");
  const period = periodFrom(query, todayOf(systemClock), MAX_PERIOD_DAYS);
  try {
    // Counts and money only: the report's lists of projects (with organisations' own words) stay out of the public page.
    const view = pageFigures(viewFigures(await programmeFigures(db, placeId, period), { suppressCare: true, format: formatMoney }));
    return data(
      { view, period, options: placeSelectOptions(options) },
      { headers: { "Cache-Control": "public, max-age=300" } },
    );
  } catch (e) {
    throwAsResponse(e);
  }
}

export default function PublicFigures() {
  const { view, period, options } = useLoaderData<typeof loader>();
  const qs = (placeId: number) => `?place=${placeId}&from=${period.from}&to=${period.to}`;
  return (
    <Stack maw={1280} mx="auto" gap="lg">
      <Title order={1}>项目公开数据 · {view.place.name}</Title>
      <Text>
        “邻里守望”社区社会组织参与基层治理的汇总数字：参与组织、居民议题、资金和关爱服务，只有数量和金额。为保护个人信息，关爱服务的数字 1 至 4 一律显示为“&lt;5”。
        数据可从<Anchor component={Link} to="/open-data">开放数据</Anchor>下载。
      </Text>
      <FiguresFilter placeId={view.place.id} options={options} period={period} />
      <Text c="dimmed">
        {period.from} 至 {period.to}（页面最多缓存 5 分钟）
      </Text>
      <KeyFigures view={view} />
      <FigureCharts view={view} />
      <AreaTable view={view} linkFor={(a) => (a.key === SELF ? null : qs(a.placeId))} />
      <ActionTable view={view} />
      <ProjectStatusTable view={view} />
      <Definitions />
    </Stack>
  );
}
