import { Stack, Text, Title } from "@mantine/core";
import { Form, Link } from "@remix-run/react";
import { GRANT_STATUS_LABELS } from "../domain/grants/rules";
import { ACTION_KEYS, ACTION_LABELS, METRIC_KEYS, METRICS, formatScore, PROJECT_STATUSES, type Area, type FiguresView, type MetricKey, type PageFigures } from "../domain/reports/rules";
import { ACTION_TYPES } from "../domain/vocabulary";
import { formatMoney, formatYuan } from "../lib/money";
import { DonutChart, LineChart, StackedBarChart } from "./charts";
import { FigureTable, type FigureColumn, type FigureRow } from "./FigureTable";
import { LightButton } from "./LightButton";
import { LightNativeSelect, LightTextInput } from "./LightInput";

/*
 * The programme figures of a place and period, as the dashboard, the public page and the report
 * show them: key figures, charts (each with its table), and the tables by area and action type.
 */

/** The place and period chooser above the figures (a GET form: the choice is in the address). */
export function FiguresFilter({ placeId, options, period }: { placeId: number; options: Array<{ value: string; label: string }>; period: { from: string; to: string } }) {
  return (
    <Form method="get">
      <div className="group">
        <LightNativeSelect label="地区" name="place" defaultValue={String(placeId)} data={options} />
        <LightTextInput label="开始日期" name="from" type="date" defaultValue={period.from} />
        <LightTextInput label="结束日期" name="to" type="date" defaultValue={period.to} />
        <LightButton type="submit" variant="default" size="md">
          查看
        </LightButton>
      </div>
    </Form>
  );
}

export function KeyFigures({ view }: { view: PageFigures }) {
  return (
    <ul className="figure-grid">
      {METRIC_KEYS.map((k) => (
        <li key={k} className="card">
          <p className="text text-sm text-dimmed">{METRICS[k].label}</p>
          <p className="text figure-value" data-testid={`figure-${k}`}>
            {view.shown[k].total}
          </p>
        </li>
      ))}
    </ul>
  );
}

const ACTION_SERIES = [...ACTION_TYPES.map((a) => ({ key: a, label: ACTION_LABELS[a] })), { key: "none", label: ACTION_LABELS.none }];

export function FigureCharts({ view }: { view: PageFigures }) {
  const decided = view.charts.byAreaAction.issuesDecided;
  const awarded = view.charts.byAreaAction.grantsAwarded;
  const lineKeys = ["issuesRaised", "issuesDecided", "issuesClosed"] as const;
  const moneyKeys = ["grantsAwarded", "disbursed", "leveraged"] as const;
  return (
    <div className="stack stack-lg">
      {awarded && (
        <div className="card card-lg">
          <StackedBarChart
            title={`资助金额：按地区、按四项行动（${view.from} 至 ${view.to}）`}
            series={ACTION_SERIES.filter((s) => s.key !== "none")}
            rows={view.areas.map((a) => ({ label: a.name, values: awarded[a.key] ?? {} }))}
            format={formatMoney}
          />
        </div>
      )}
      <div className="chart-grid">
        <div className="card card-lg">
          <LineChart
            title="资金逐月变化（资助、拨付、撬动）"
            months={view.months}
            series={moneyKeys.filter((k) => view.charts.byMonth[k]).map((k) => ({ key: k, label: METRICS[k].label }))}
            values={Object.fromEntries(moneyKeys.map((k) => [k, view.charts.byMonth[k] ?? {}]))}
            format={formatMoney}
          />
        </div>
        <div className="card card-lg">
          <DonutChart title="资助金额按资金来源" slices={view.awardedBySource.map((s) => ({ label: s.source, value: s.fen }))} format={formatMoney} />
        </div>
      </div>
      {decided && (
        <div className="card card-lg">
          <StackedBarChart
            title={`议定议题：按地区、按四项行动（${view.from} 至 ${view.to}）`}
            series={ACTION_SERIES}
            rows={view.areas.map((a) => ({ label: a.name, values: decided[a.key] ?? {} }))}
          />
        </div>
      )}
      <div className="chart-grid">
        <div className="card card-lg">
          <LineChart
            title="居民议题逐月变化"
            months={view.months}
            series={lineKeys.filter((k) => view.charts.byMonth[k]).map((k) => ({ key: k, label: METRICS[k].label }))}
            values={Object.fromEntries(lineKeys.map((k) => [k, view.charts.byMonth[k] ?? {}]))}
          />
        </div>
        <div className="card card-lg">
          <DonutChart title="资金来源（期间注入资金池）" slices={view.poolsBySource.map((s) => ({ label: s.source, value: s.fen }))} format={formatMoney} />
        </div>
      </div>
    </div>
  );
}

const metricColumns = (keys: readonly MetricKey[], suffix = false) =>
  keys.map((k) => ({ label: `${METRICS[k].label}${suffix && METRICS[k].kind === "stock" ? "（累计）" : ""}`, num: true }));

export function AreaTable({ view, linkFor }: { view: PageFigures; linkFor?: (a: Area) => string | null }) {
  const rows: FigureRow[] = view.areas.map((a) => {
    const to = linkFor?.(a);
    return {
      key: a.key,
      label: to ? (
        <Link to={to} className="link cell-link">
          {a.name}
        </Link>
      ) : (
        a.name
      ),
      cells: METRIC_KEYS.map((k) => view.shown[k].byArea[a.key] ?? "0"),
    };
  });
  rows.push({ key: "total", label: "合计", total: true, cells: METRIC_KEYS.map((k) => view.shown[k].total) });
  return (
    <section className="stack stack-xs">
      <h2 className="h3">按地区</h2>
      <FigureTable rowLabel="地区" columns={metricColumns(METRIC_KEYS)} rows={rows} minWidth={900} />
    </section>
  );
}

export function ActionTable({ view }: { view: PageFigures }) {
  const keys = METRIC_KEYS.filter((k) => METRICS[k].byAction);
  return (
    <section className="stack stack-xs">
      <h2 className="h3">按四项行动</h2>
      <FigureTable
        rowLabel="行动类型"
        columns={metricColumns(keys)}
        rows={ACTION_KEYS.map((a) => ({ key: a, label: ACTION_LABELS[a], cells: keys.map((k) => view.shown[k].byAction[a]) }))}
        minWidth={480}
      />
    </section>
  );
}

export function MonthTable({ view }: { view: PageFigures }) {
  return (
    <section className="stack stack-xs">
      <h2 className="h3">逐月</h2>
      <FigureTable
        rowLabel="月份"
        columns={metricColumns(METRIC_KEYS, true)}
        rows={view.months.map((m) => ({ key: m, label: m, cells: METRIC_KEYS.map((k) => view.shown[k].byMonth[m] ?? "0") }))}
        minWidth={900}
      />
    </section>
  );
}

/** Projects by their status, per area: the counts of 资助项目 at the end of the period. */
export function ProjectStatusTable({ view }: { view: PageFigures }) {
  const statuses = PROJECT_STATUSES;
  const counts = (c: Partial<Record<string, number>>) => {
    const each = statuses.map((st) => c[st] ?? 0);
    return [...each, each.reduce((n, x) => n + x, 0)];
  };
  const rows: FigureRow[] = view.areas.map((a) => ({ key: a.key, label: a.name, cells: counts(view.projectStatus.byArea[a.key] ?? {}) }));
  rows.push({ key: "total", label: "合计", total: true, cells: counts(view.projectStatus.total), testIds: statuses.map((st) => `projects-${st}`) });
  return (
    <section className="stack stack-xs">
      <h2 className="h3">资助项目按状态</h2>
      <FigureTable rowLabel="地区" columns={[...statuses.map((st) => ({ label: GRANT_STATUS_LABELS[st], num: true })), { label: "合计", num: true }]} rows={rows} minWidth={640} />
    </section>
  );
}

const PROJECT_COLUMNS: FigureColumn[] = [
  { label: "承接组织" },
  { label: "地区" },
  { label: "行动类型" },
  { label: "状态" },
  { label: "资助金额", num: true },
  { label: "撬动资源", num: true },
  { label: "受益人次", num: true },
  { label: "满意度（评价人数）", num: true },
];

function ProjectTable({ caption, lines }: { caption: string; lines: FiguresView["topProjects"] }) {
  return (
    <FigureTable
      caption={caption}
      rowLabel="项目"
      columns={PROJECT_COLUMNS}
      rows={lines.map((p, i) => ({
        key: `${p.projectName}-${i}`,
        label: p.projectName,
        cells: [
          p.organisationName,
          p.placeName,
          ACTION_LABELS[p.actionType],
          GRANT_STATUS_LABELS[p.status],
          formatYuan(p.amountFen),
          formatYuan(p.leveragedFen),
          p.beneficiaries,
          `${formatScore(p.satisfaction)}（${p.evaluations}）`,
        ],
      }))}
      minWidth={900}
    />
  );
}

/** 进展成效 of the 总结报告: the largest projects, and stories — the projects residents rated best. */
export function ProjectLists({ view }: { view: FiguresView }) {
  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        重点项目（期间资助金额最大的 {view.topProjects.length} 个）
      </Title>
      {view.topProjects.length === 0 ? <Text c="dimmed">期间内没有确定资助的项目。</Text> : <ProjectTable caption="重点项目" lines={view.topProjects} />}
      <Title order={3} size="h4">
        典型案例（居民评价最好的项目）
      </Title>
      {view.stories.length === 0 ? (
        <Text c="dimmed">期间内没有居民评价。</Text>
      ) : (
        <Stack gap="sm" component="ol" style={{ paddingLeft: 20 }}>
          {view.stories.map((p, i) => (
            <li key={`${p.projectName}-${i}`}>
              <Text fw={600}>
                {p.projectName}（{p.organisationName}，{p.placeName}，{ACTION_LABELS[p.actionType]}）
              </Text>
              <Text size="sm">
                满意度 {formatScore(p.satisfaction)} 分（{p.evaluations} 人评价），资助 {formatYuan(p.amountFen)}，撬动 {formatYuan(p.leveragedFen)}，服务 {p.beneficiaries} 人次。
              </Text>
              {p.narrative ? <Text size="sm">{p.narrative}</Text> : null}
            </li>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

export function Definitions() {
  return (
    <details>
      <summary className="disclosure">指标口径说明</summary>
      <dl>
        {METRIC_KEYS.map((k) => (
          <div key={k}>
            <dt style={{ fontWeight: 600 }}>{METRICS[k].label}</dt>
            <dd style={{ marginLeft: 0, marginBottom: 8 }}>{METRICS[k].definition}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
