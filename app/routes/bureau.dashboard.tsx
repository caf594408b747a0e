import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LightButton } from "../components/LightButton";
import { ActionTable, AreaTable, Definitions, FigureCharts, FiguresFilter, KeyFigures, ProjectStatusTable, MonthTable } from "../components/FiguresPanel";
import { todayOf } from "../domain/care/care.server";
import { placeOptionsInScope, placeSelectOptions, trailAmong } from "../domain/places/places.server";
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

/** Officers and liaisons: their place's programme figures, drilled down place by place, for a period (figures-cache.server.ts: at most two minutes old). */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { placePaths } = await requirePlaceScopes(request, context, "dashboard.view");
  const query = figuresQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const db = getDb();
  try {
    const place = await placeForFigures(db, query.place ?? widestPlaceId(placePaths)!);
    const { actor } = await requirePermission(request, context, "dashboard.view", { placePath: place.path });
    const period = periodFrom(query, todayOf(systemClock), MAX_PERIOD_DAYS);
    const [{ figures, computedAt }, options] = await Promise.all([cachedProgrammeFigures(db, place.id, period), placeOptionsInScope(db, placePaths, place)]);
    const view = cachedPageFigures(figures, !can(actor, "care.read", { placePath: place.path }));
    return data(
      {
        view,
        period,
        computedAt: formatDateTime(computedAt),
        trail: trailAmong(options, place).map((p) => ({ id: p.id, name: p.name })),
        options: placeSelectOptions(options),
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
    <div className="stack stack-lg page-wide">
      <nav aria-label="地区层级">
        <ol className="crumbs">
          {trail.map((p) => (
            <li key={p.id}>
              {p.id === view.place.id ? (
                <span aria-current="page">{p.name}</span>
              ) : (
                <Link to={qs(p.id)} className="link">
                  {p.name}
                </Link>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <div className="group group-between">
        <div className="stack" style={{ gap: 4 }}>
          <h1 className="h1">项目数据看板 · {view.place.name}</h1>
          <p className="text text-dimmed">
            {period.from} 至 {period.to}。数字由业务数据汇总于 {computedAt}（数据量大的地区最多延迟 2 分钟）。点击地区名称可查看下一级。
          </p>
        </div>
        {canReport ? (
          <LightButton component={Link} to={`/bureau/reports${qs(view.place.id)}`} variant="filled" size="lg">
            生成总结报告
          </LightButton>
        ) : null}
      </div>
      <FiguresFilter placeId={view.place.id} options={options} period={period} />
      <KeyFigures view={view} />
      <FigureCharts view={view} />
      <AreaTable view={view} linkFor={(a) => (a.key === SELF ? null : qs(a.placeId))} />
      <ActionTable view={view} />
      <ProjectStatusTable view={view} />
      <MonthTable view={view} />
      <Definitions />
    </div>
  );
}
