import { suppressCount, suppressPartition } from "../care/rules";
import { ACTION_TYPE_INFO, ACTION_TYPES, type ActionType } from "../vocabulary";
import type { GrantStatus } from "../../../db/schema";

/**
 * The programme's figures as pure data: what each figure counts, how a "cube" of aggregate rows
 * (area × action type × month, from one GROUP BY query per figure) becomes totals and splits, and
 * how counts of care targets are hidden below 5.
 */

export type MetricKey =
  | "organisations"
  | "issuesRaised"
  | "issuesDecided"
  | "issuesClosed"
  | "callsPublished"
  | "poolFunds"
  | "careMatched"
  | "careServices"
  | "projects"
  | "grantsAwarded"
  | "disbursed"
  | "leveraged"
  | "beneficiaries"
  | "satisfaction";

export interface MetricInfo {
  label: string;
  /** score: an average in hundredths of a point (1–5 scale); 0 means nothing to average. */
  unit: "count" | "fen" | "score";
  /**
   * flow: what happened within the period; stock: what exists at its end (months show the running
   * total); mean: an average of what happened within the period (sum ÷ count, cell by cell).
   */
  kind: "flow" | "stock" | "mean";
  /** Care figures: shown as "<5" below 5 to anyone who may not read care records (docs/decisions/0004). */
  care?: boolean;
  /** Whether the figure can be split by the four action types. */
  byAction: boolean;
  definition: string;
}

export const METRICS: Record<MetricKey, MetricInfo> = {
  organisations: {
    label: "参与社会组织",
    unit: "count",
    kind: "stock",
    byAction: false,
    definition: "在平台登记并通过民政部门查验的社会组织数（截至期末，按组织所在区县）；按月为当月新通过查验后的累计数。",
  },
  issuesRaised: {
    label: "居民提出议题",
    unit: "count",
    kind: "flow",
    byAction: true,
    definition: "期间内居民提出的议题数（不含因违规被隐藏的议题）；行动类型为圆桌会议定时确定的类型，未议定的计入“未定”。",
  },
  issuesDecided: {
    label: "圆桌会议定议题",
    unit: "count",
    kind: "flow",
    byAction: true,
    definition: "期间内经幸福圆桌会协商议定的议题数。",
  },
  issuesClosed: {
    label: "办结议题",
    unit: "count",
    kind: "flow",
    byAction: true,
    definition: "期间内经居民评价后办结的议题数。",
  },
  callsPublished: {
    label: "发布招贤榜",
    unit: "count",
    kind: "flow",
    byAction: true,
    definition: "期间内发布的招贤榜（创投项目征集）数，按招贤榜所属地区和行动类型；发布后撤回的仍计入。",
  },
  poolFunds: {
    label: "资金池注入资金",
    unit: "fen",
    kind: "flow",
    byAction: false,
    definition: "期间内注入本地区及下级资金池的资金（资金流水中的注资合计，按资金池所属地区）。",
  },
  careMatched: {
    label: "关爱对象精准对接",
    unit: "count",
    kind: "flow",
    care: true,
    byAction: false,
    definition: "期间内开始精准对接的重点关爱对象人数（只统计人数，不含任何个人信息）。",
  },
  careServices: {
    label: "关爱服务记录",
    unit: "count",
    kind: "flow",
    care: true,
    byAction: false,
    definition: "期间内记录的关爱服务次数。",
  },
  projects: {
    label: "资助项目",
    unit: "count",
    kind: "stock",
    byAction: true,
    definition: "确定资助的创投项目数（截至期末，按项目所属地区和行动类型；含公示中、实施中、待评价、已办结、暂停和终止的项目，不含公示期内撤销的资助）；按月为累计数。",
  },
  grantsAwarded: {
    label: "资助金额",
    unit: "fen",
    kind: "flow",
    byAction: true,
    definition: "期间内确定资助的金额合计（按确定资助的日期，不含公示期内撤销的资助）。",
  },
  disbursed: {
    label: "已拨付资金",
    unit: "fen",
    kind: "flow",
    byAction: true,
    definition: "期间内按里程碑拨付给承接组织的资金（资金流水中的拨付减去退回），按项目所属地区。",
  },
  leveraged: {
    label: "撬动社会资源",
    unit: "fen",
    kind: "flow",
    byAction: true,
    definition: "期间内确定资助的项目在申报书中承诺的配套资金与实物折价合计（撬动资源），按确定资助的日期。",
  },
  beneficiaries: {
    label: "服务受益人次",
    unit: "count",
    kind: "flow",
    byAction: true,
    definition: "期间内经民政局审批通过的里程碑报告所填服务对象人数之和（人次，同一居民参加多个阶段会重复计算）。",
  },
  satisfaction: {
    label: "居民满意度",
    unit: "score",
    kind: "mean",
    byAction: true,
    definition: "期间内居民对项目评价的满意度平均分（1–5 分，保留两位小数）；没有评价时显示“—”。",
  },
};

export const METRIC_KEYS = Object.keys(METRICS) as MetricKey[];

/** Figures with no action type (organisations, pools, care, issues not yet decided) go under "none". */
export type ActionKey = ActionType | "none";
export const ACTION_KEYS: ActionKey[] = [...ACTION_TYPES, "none"];
export const ACTION_LABELS: Record<ActionKey, string> = {
  ...(Object.fromEntries(ACTION_TYPES.map((a) => [a, ACTION_TYPE_INFO[a].name])) as Record<ActionType, string>),
  none: "未定",
};

/** One row of a figure's aggregate query. area: the id of the place directly below the chosen one, null for the place itself. */
export interface CubeRow {
  area: number | null;
  action: string | null;
  /** "YYYY-MM"; null for a stock figure's rows from before the period. */
  month: string | null;
  n: number;
  /** The count an average divides by (mean figures only). */
  d?: number;
}

export interface Area {
  /** The child place's id as text, or "self" for what belongs to the chosen place itself. */
  key: string;
  placeId: number;
  name: string;
}

export interface MetricFigures {
  total: number;
  byArea: Record<string, number>;
  byAction: Record<ActionKey, number>;
  byMonth: Record<string, number>;
  byAreaAction: Record<string, Record<ActionKey, number>>;
}

export interface PoolLine {
  name: string;
  source: string;
  placeName: string;
  /** 分 put in within the period. */
  fen: number;
}

export interface CallLine {
  title: string;
  placeName: string;
  actionType: ActionType;
  poolName: string;
  poolSource: string;
  totalBudgetFen: number;
  publishedAt: string;
  withdrawn: boolean;
}

export interface Figures {
  place: { id: number; name: string; level: string };
  from: string;
  to: string;
  areas: Area[];
  months: string[];
  metrics: Record<MetricKey, MetricFigures>;
  poolsBySource: Array<{ source: string; fen: number }>;
  pools: PoolLine[];
  /** Calls published within the period (工作部署). */
  calls: CallLine[];
  /** Projects awarded by the end of the period, by their status now: per area and in all. */
  projectStatus: { total: Partial<Record<GrantStatus, number>>; byArea: Record<string, Partial<Record<GrantStatus, number>>> };
  /** Money awarded within the period, by the source of the pool it came from. */
  awardedBySource: Array<{ source: string; fen: number }>;
  /** 进展成效: the largest projects awarded within the period. */
  topProjects: ProjectLine[];
  /** 进展成效: stories — the projects residents rated best within the period. */
  stories: StoryLine[];
}

export interface ProjectLine {
  projectName: string;
  organisationName: string;
  placeName: string;
  actionType: ActionType;
  status: GrantStatus;
  amountFen: number;
  leveragedFen: number;
  beneficiaries: number;
  /** Average satisfaction in hundredths; 0 without evaluations. */
  satisfaction: number;
  evaluations: number;
}

export interface StoryLine extends ProjectLine {
  /** What the organisation reported of its last approved milestone. */
  narrative: string;
}

/** The statuses a project can be in once awarded (a grant withdrawn in 公示 never became a project). */
export const PROJECT_STATUSES: readonly GrantStatus[] = ["publicity", "in_progress", "awaiting_evaluation", "closed", "suspended", "terminated"];

/**
 * Figures kept in a report before a figure existed lack it: they read as zero (empty lists),
 * so a report generated earlier still opens and downloads.
 */
export function completeFigures(f: Figures): Figures {
  const missing = METRIC_KEYS.filter((k) => !f.metrics[k]);
  const metrics = { ...f.metrics };
  for (const k of missing) metrics[k] = foldCube([], f.areas, f.months, METRICS[k].kind);
  return {
    ...f,
    metrics,
    projectStatus: f.projectStatus ?? { total: {}, byArea: {} },
    awardedBySource: f.awardedBySource ?? [],
    topProjects: f.topProjects ?? [],
    stories: f.stories ?? [],
  };
}

export const SELF = "self";

export function areaKey(area: number | null): string {
  return area == null ? SELF : String(area);
}

function actionKey(a: string | null): ActionKey {
  return a != null && (ACTION_TYPES as readonly string[]).includes(a) ? (a as ActionType) : "none";
}

const zeroActions = (): Record<ActionKey, number> => ({ qin: 0, he: 0, fu: 0, mei: 0, none: 0 });

/** Every month touched by the period, "YYYY-MM", in order. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const endY = Number(to.slice(0, 4));
  const endM = Number(to.slice(5, 7));
  while (y < endY || (y === endY && m <= endM)) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** Sums a cube into the total and its splits. A stock figure's months show the running total; a mean figure divides cell by cell. */
export function foldCube(rows: readonly CubeRow[], areas: readonly Area[], months: readonly string[], kind: MetricInfo["kind"]): MetricFigures {
  if (kind === "mean") return foldMean(rows, areas, months);
  const byArea: Record<string, number> = Object.fromEntries(areas.map((a) => [a.key, 0]));
  const byAreaAction: Record<string, Record<ActionKey, number>> = Object.fromEntries(areas.map((a) => [a.key, zeroActions()]));
  const byAction = zeroActions();
  const flowByMonth: Record<string, number> = Object.fromEntries(months.map((m) => [m, 0]));
  let before = 0;
  let total = 0;
  for (const r of rows) {
    const n = Number(r.n);
    const a = areaKey(r.area);
    const act = actionKey(r.action);
    total += n;
    byArea[a] = (byArea[a] ?? 0) + n;
    byAreaAction[a] ??= zeroActions();
    byAreaAction[a][act] += n;
    byAction[act] += n;
    if (r.month == null) before += n;
    else flowByMonth[r.month] = (flowByMonth[r.month] ?? 0) + n;
  }
  let running = before;
  const byMonth: Record<string, number> = {};
  for (const m of months) {
    running += flowByMonth[m] ?? 0;
    byMonth[m] = kind === "stock" ? running : (flowByMonth[m] ?? 0);
  }
  return { total, byArea, byAction, byMonth, byAreaAction };
}

/** An average in hundredths, rounded half up; 0 when there is nothing to average. */
export function meanHundredths(sum: number, count: number): number {
  return count > 0 ? Math.round((sum * 100) / count) : 0;
}

function foldMean(rows: readonly CubeRow[], areas: readonly Area[], months: readonly string[]): MetricFigures {
  const cell = () => ({ s: 0, d: 0 });
  const total = cell();
  const byArea = new Map<string, { s: number; d: number }>(areas.map((a) => [a.key, cell()]));
  const byAction = new Map<ActionKey, { s: number; d: number }>(ACTION_KEYS.map((k) => [k, cell()]));
  const byMonth = new Map<string, { s: number; d: number }>(months.map((m) => [m, cell()]));
  const byAreaAction = new Map<string, { s: number; d: number }>();
  const add = <K>(m: Map<K, { s: number; d: number }>, k: K, s: number, d: number) => {
    const c = m.get(k) ?? cell();
    c.s += s;
    c.d += d;
    m.set(k, c);
  };
  for (const r of rows) {
    const s = Number(r.n);
    const d = Number(r.d ?? 0);
    const a = areaKey(r.area);
    const act = actionKey(r.action);
    total.s += s;
    total.d += d;
    add(byArea, a, s, d);
    add(byAction, act, s, d);
    add(byAreaAction, `${a}|${act}`, s, d);
    if (r.month != null) add(byMonth, r.month, s, d);
  }
  const mean = (c: { s: number; d: number } | undefined) => (c ? meanHundredths(c.s, c.d) : 0);
  const areaKeys = [...byArea.keys()];
  return {
    total: mean(total),
    byArea: Object.fromEntries(areaKeys.map((k) => [k, mean(byArea.get(k))])),
    byAction: Object.fromEntries(ACTION_KEYS.map((k) => [k, mean(byAction.get(k))])) as Record<ActionKey, number>,
    byMonth: Object.fromEntries(months.map((m) => [m, mean(byMonth.get(m))])),
    byAreaAction: Object.fromEntries(areaKeys.map((a) => [a, Object.fromEntries(ACTION_KEYS.map((k) => [k, mean(byAreaAction.get(`${a}|${k}`))])) as Record<ActionKey, number>])),
  };
}

/** The areas that hold something, in the order given (children by code, then the place itself). */
export function areasWithData(areas: readonly Area[], metrics: Record<MetricKey, MetricFigures>): Area[] {
  return areas.filter((a) => a.key !== SELF || METRIC_KEYS.some((k) => (metrics[k].byArea[SELF] ?? 0) !== 0));
}

/** An average in hundredths as text: "4.35", or "—" when there was nothing to average. */
export function formatScore(hundredths: number): string {
  return hundredths > 0 ? (hundredths / 100).toFixed(2) : "—";
}

/** A figure's value as text: money through the given formatter, averages with two decimals, counts as digits. */
export function formatValue(key: MetricKey, n: number, format: (fen: number) => string): string {
  const unit = METRICS[key].unit;
  return unit === "fen" ? format(n) : unit === "score" ? formatScore(n) : String(n);
}

/**
 * The text of every cell of a figure for the person looking: a care figure is suppressed (1–4 →
 * "<5", and a second cell hidden when one of a partition is) unless they may read care records.
 */
export interface ShownMetric {
  total: string;
  byArea: Record<string, string>;
  byAction: Record<ActionKey, string>;
  byMonth: Record<string, string>;
}

export function showMetric(key: MetricKey, m: MetricFigures, opts: { suppressCare: boolean; format: (fen: number) => string }): ShownMetric {
  const info = METRICS[key];
  const plain = (n: number) => formatValue(key, n, opts.format);
  const entries = <K extends string>(o: Record<K, number>, f: (n: number) => string) =>
    Object.fromEntries(Object.entries<number>(o).map(([k, v]) => [k, f(v)])) as Record<K, string>;
  if (!(info.care && opts.suppressCare)) {
    return { total: plain(m.total), byArea: entries(m.byArea, plain), byAction: entries(m.byAction, plain), byMonth: entries(m.byMonth, plain) };
  }
  const areas = suppressPartition(Object.entries(m.byArea).map(([key, count]) => ({ key, count })));
  const months = suppressPartition(Object.entries(m.byMonth).map(([key, count]) => ({ key, count })));
  return {
    total: suppressCount(m.total),
    byArea: Object.fromEntries(areas.cells.map((c) => [c.key, c.shown])),
    byAction: entries(m.byAction, suppressCount),
    byMonth: Object.fromEntries(months.cells.map((c) => [c.key, c.shown])),
  };
}

/** The period a dashboard opens with: from 1 January of this year to today. */
export function defaultPeriod(today: string): { from: string; to: string } {
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

/** The period asked for in the address, or the default when a bound is missing, reversed or too long. */
export function periodFrom(query: { from?: string; to?: string }, today: string, maxDays: number): { from: string; to: string } {
  const d = defaultPeriod(today);
  const from = query.from ?? d.from;
  const to = query.to ?? d.to;
  if (from > to || (Date.parse(to) - Date.parse(from)) / 86_400_000 > maxDays) return d;
  return { from, to };
}

/**
 * What a page sends to the browser: every figure as text for its tables, and raw numbers (for
 * charts) only of figures that are not suppressed, so exact care counts never leave the server
 * for someone who may not read care records.
 */
/** The figures whose raw numbers the charts draw (FigureCharts): monthly lines, and area × action bars. */
export const CHART_MONTH_KEYS = ["grantsAwarded", "disbursed", "leveraged", "issuesRaised", "issuesDecided", "issuesClosed"] as const satisfies readonly MetricKey[];
export const CHART_AREA_ACTION_KEYS = ["grantsAwarded", "issuesDecided"] as const satisfies readonly MetricKey[];

export interface ChartFigures {
  byMonth: Partial<Record<(typeof CHART_MONTH_KEYS)[number], Record<string, number>>>;
  byAreaAction: Partial<Record<(typeof CHART_AREA_ACTION_KEYS)[number], Record<string, Record<ActionKey, number>>>>;
}

/**
 * What a page shows: every figure as text (`shown`, care counts suppressed where asked) and only
 * the raw numbers the charts need. Sending the whole cube as well doubled the dashboard's page
 * data (docs/performance.md), and raw care counts must not reach a page that suppresses them.
 */
export interface FiguresView extends Omit<Figures, "metrics"> {
  charts: ChartFigures;
  shown: Record<MetricKey, ShownMetric>;
}

export function viewFigures(f: Figures, opts: { suppressCare: boolean; format: (fen: number) => string }): FiguresView {
  const open = (k: MetricKey) => !(METRICS[k].care && opts.suppressCare);
  const charts: ChartFigures = { byMonth: {}, byAreaAction: {} };
  for (const k of CHART_MONTH_KEYS) if (open(k)) charts.byMonth[k] = f.metrics[k].byMonth;
  for (const k of CHART_AREA_ACTION_KEYS) if (open(k)) charts.byAreaAction[k] = f.metrics[k].byAreaAction;
  const shown = Object.fromEntries(METRIC_KEYS.map((k) => [k, showMetric(k, f.metrics[k], opts)])) as Record<MetricKey, ShownMetric>;
  const { metrics: _raw, ...rest } = f;
  return { ...rest, charts, shown };
}

/** What the dashboard and the public figures page render: no lists of calls, pools or projects (the 总结报告 has those). */
export type PageFigures = Omit<FiguresView, "calls" | "pools" | "topProjects" | "stories">;

export function pageFigures(view: FiguresView): PageFigures {
  const { calls: _calls, pools: _pools, topProjects: _top, stories: _stories, ...rest } = view;
  return rest;
}

/** The place a materialised path ends with: "/1/5/23/" → 23. */
export function placeIdOfPath(path: string): number {
  const ids = path.split("/").filter(Boolean);
  return Number(ids[ids.length - 1]);
}

/** Where someone's dashboard opens: the widest of their places (the shortest path). */
export function widestPlaceId(paths: readonly string[]): number | undefined {
  const widest = [...paths].sort((a, b) => a.length - b.length || a.localeCompare(b))[0];
  return widest ? placeIdOfPath(widest) : undefined;
}
