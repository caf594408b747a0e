import { Stack, Text, Title } from "@mantine/core";
import { Link } from "@remix-run/react";
import { GRANT_STATUS_LABELS } from "../domain/grants/rules";
import { ACTION_KEYS, ACTION_LABELS, METRIC_KEYS, METRICS, formatScore, PROJECT_STATUSES, type Area, type FiguresView, type PageFigures } from "../domain/reports/rules";
import { ACTION_TYPES } from "../domain/vocabulary";
import { formatMoney, formatYuan } from "../lib/money";
import { DonutChart, LineChart, StackedBarChart } from "./charts";

/**
 * The programme figures of a place and period, as the dashboard, the public page and the report
 * show them: key figures, charts (each with its table), and the tables by area and action type.
 */
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
    <Stack gap="lg">
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
    </Stack>
  );
}

export function AreaTable({ view, linkFor }: { view: PageFigures; linkFor?: (a: Area) => string | null }) {
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        按地区
      </Title>
      <div className="dtable-scroll" tabIndex={0}>
<div style={{ minWidth: 900 }}>
        <table className="dtable">
          <thead>
            <tr>
              <th scope="col">地区</th>
              {METRIC_KEYS.map((k) => (
                <th key={k} scope="col" className="num">
                  {METRICS[k].label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.areas.map((a) => {
              const to = linkFor?.(a);
              return (
                <tr key={a.key}>
                  <th scope="row" className="th-normal">
                    {to ? (
                      <Link to={to} className="link cell-link">
                        {a.name}
                      </Link>
                    ) : (
                      a.name
                    )}
                  </th>
                  {METRIC_KEYS.map((k) => (
                    <td key={k} className="num">
                      {view.shown[k].byArea[a.key] ?? "0"}
                    </td>
                  ))}
                </tr>
              );
            })}
            <tr className="total">
              <th scope="row">合计</th>
              {METRIC_KEYS.map((k) => (
                <td key={k} className="num">
                  {view.shown[k].total}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
</div>
    </Stack>
  );
}

export function ActionTable({ view }: { view: PageFigures }) {
  const keys = METRIC_KEYS.filter((k) => METRICS[k].byAction);
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        按四项行动
      </Title>
      <div className="dtable-scroll" tabIndex={0}>
<div style={{ minWidth: 480 }}>
        <table className="dtable">
          <thead>
            <tr>
              <th scope="col">行动类型</th>
              {keys.map((k) => (
                <th key={k} scope="col" className="num">
                  {METRICS[k].label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ACTION_KEYS.map((a) => (
              <tr key={a}>
                <th scope="row" className="th-normal">
                  {ACTION_LABELS[a]}
                </th>
                {keys.map((k) => (
                  <td key={k} className="num">
                    {view.shown[k].byAction[a]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
</div>
    </Stack>
  );
}

export function MonthTable({ view }: { view: PageFigures }) {
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        逐月
      </Title>
      <div className="dtable-scroll" tabIndex={0}>
<div style={{ minWidth: 900 }}>
        <table className="dtable">
          <thead>
            <tr>
              <th scope="col">月份</th>
              {METRIC_KEYS.map((k) => (
                <th key={k} scope="col" className="num">
                  {METRICS[k].label}
                  {METRICS[k].kind === "stock" ? "（累计）" : ""}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {view.months.map((m) => (
              <tr key={m}>
                <th scope="row" className="th-normal">
                  {m}
                </th>
                {METRIC_KEYS.map((k) => (
                  <td key={k} className="num">
                    {view.shown[k].byMonth[m] ?? "0"}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
</div>
    </Stack>
  );
}

/** Projects by their status, per area: the counts of 资助项目 at the end of the period. */
export function ProjectStatusTable({ view }: { view: PageFigures }) {
  const statuses = PROJECT_STATUSES;
  const sum = (c: Partial<Record<string, number>>) => statuses.reduce((n, st) => n + (c[st] ?? 0), 0);
  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        资助项目按状态
      </Title>
      <div className="dtable-scroll" tabIndex={0}>
<div style={{ minWidth: 640 }}>
        <table className="dtable">
          <thead>
            <tr>
              <th scope="col">地区</th>
              {statuses.map((st) => (
                <th key={st} scope="col" className="num">
                  {GRANT_STATUS_LABELS[st]}
                </th>
              ))}
              <th scope="col" className="num">
                合计
              </th>
            </tr>
          </thead>
          <tbody>
            {view.areas.map((a) => {
              const c = view.projectStatus.byArea[a.key] ?? {};
              return (
                <tr key={a.key}>
                  <th scope="row" className="th-normal">
                    {a.name}
                  </th>
                  {statuses.map((st) => (
                    <td key={st} className="num">
                      {c[st] ?? 0}
                    </td>
                  ))}
                  <td className="num">{sum(c)}</td>
                </tr>
              );
            })}
            <tr className="total">
              <th scope="row">合计</th>
              {statuses.map((st) => (
                <td key={st} className="num" data-testid={`projects-${st}`}>
                  {view.projectStatus.total[st] ?? 0}
                </td>
              ))}
              <td className="num">{sum(view.projectStatus.total)}</td>
            </tr>
          </tbody>
        </table>
      </div>
</div>
    </Stack>
  );
}

function ProjectTable({ caption, lines }: { caption: string; lines: FiguresView["topProjects"] }) {
  return (
    <div className="dtable-scroll" tabIndex={0}>
<div style={{ minWidth: 900 }}>
      <table className="dtable">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">项目</th>
            <th scope="col">承接组织</th>
            <th scope="col">地区</th>
            <th scope="col">行动类型</th>
            <th scope="col">状态</th>
            <th scope="col" className="num">
              资助金额
            </th>
            <th scope="col" className="num">
              撬动资源
            </th>
            <th scope="col" className="num">
              受益人次
            </th>
            <th scope="col" className="num">
              满意度（评价人数）
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((p, i) => (
            <tr key={`${p.projectName}-${i}`}>
              <th scope="row" className="th-normal">
                {p.projectName}
              </th>
              <td>{p.organisationName}</td>
              <td>{p.placeName}</td>
              <td>{ACTION_LABELS[p.actionType]}</td>
              <td>{GRANT_STATUS_LABELS[p.status]}</td>
              <td className="num">{formatYuan(p.amountFen)}</td>
              <td className="num">{formatYuan(p.leveragedFen)}</td>
              <td className="num">{p.beneficiaries}</td>
              <td className="num">
                {formatScore(p.satisfaction)}（{p.evaluations}）
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
</div>
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
