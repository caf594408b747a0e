import { sql } from "kysely";
import type { Executor } from "../../platform/db.server";
import { fenToYuanString } from "../../lib/money";
import { placeForFigures, programmeFigures, type Period } from "./figures.server";
import { TIME_ZONE } from "../../lib/dates";
import { ACTION_KEYS, formatScore, formatValue, meanHundredths, METRIC_KEYS, METRICS, showMetric } from "./rules";

/**
 * Open data: CSV files of public figures with a documented column list that does not change
 * (new columns are only ever added at the end). Nothing personal: no names of people, no
 * phones, no addresses of people, and care counts below 5 as "<5".
 */

export interface Column {
  key: string;
  description: string;
}

export interface Dataset {
  title: string;
  description: string;
  columns: Column[];
}

export const DATASETS = {
  figures: {
    title: "项目数字（按地区、行动类型）",
    description: "所选地区的下一级地区（及本级、合计）每项指标的数值，按四项行动拆分；统计期间默认当年 1 月 1 日至今天，可用 from、to、place 参数指定。",
    columns: [
      { key: "place_code", description: "行政区划代码（街道、社区可能为空）" },
      { key: "place_name", description: "地区名称；“合计”为所选地区的总数" },
      { key: "period_from", description: "统计开始日期（YYYY-MM-DD，北京时间）" },
      { key: "period_to", description: "统计结束日期（含当日）" },
      { key: "metric", description: `指标代码：${METRIC_KEYS.join("、")}` },
      { key: "metric_name", description: "指标名称" },
      { key: "action_type", description: "行动类型代码：all（全部）、qin、he、fu、mei、none（未定/不适用）" },
      { key: "value", description: "数值：个数，或金额（元，两位小数）；关爱服务类 1–4 显示为“<5”" },
      { key: "unit", description: "单位：count（个/人/次）或 yuan（元）" },
    ],
  },
  pools: {
    title: "资金池",
    description: "各级资金池及其来源和注资合计（截至下载时）。",
    columns: [
      { key: "pool_name", description: "资金池名称" },
      { key: "source", description: "资金来源" },
      { key: "place_code", description: "所属地区行政区划代码" },
      { key: "place_name", description: "所属地区" },
      { key: "period_start", description: "资金使用期开始（YYYY-MM-DD）" },
      { key: "period_end", description: "资金使用期结束" },
      { key: "topped_up_yuan", description: "注资合计（元，两位小数）" },
    ],
  },
  calls: {
    title: "招贤榜（创投公告）",
    description: "统计期间内发布的招贤榜（不含草稿），按发布日期；可用 from、to、place 参数指定。撤回的招贤榜保留并标明状态。",
    columns: [
      { key: "call_id", description: "招贤榜编号（与网站 /calls/编号 对应）" },
      { key: "title", description: "标题" },
      { key: "place_code", description: "发布地区行政区划代码（街道、社区可能为空）" },
      { key: "place_name", description: "发布地区" },
      { key: "action_type", description: "行动类型代码：qin、he、fu、mei" },
      { key: "pool_name", description: "资金池" },
      { key: "pool_source", description: "资金来源" },
      { key: "total_budget_yuan", description: "总预算（元，两位小数）" },
      { key: "cap_yuan", description: "单个项目资助上限（元，两位小数）" },
      { key: "published_on", description: "发布日期（YYYY-MM-DD，北京时间）" },
      { key: "closes_on", description: "申报截止日期（YYYY-MM-DD，北京时间）" },
      { key: "status", description: "状态：published（已发布）、withdrawn（已撤回）" },
      { key: "bids", description: "已提交的申报数" },
      { key: "awarded", description: "确定资助的项目数（不含公示期内撤销的资助）" },
    ],
  },
  grants: {
    title: "资助项目（立项）",
    description: "统计期间内确定资助的创投项目（含公示中的项目，不含公示期内撤销的资助），按确定资助日期；可用 from、to、place 参数指定。",
    columns: [
      { key: "project_id", description: "项目编号（与网站项目页 /projects/编号 对应）" },
      { key: "project_name", description: "项目名称" },
      { key: "organisation_name", description: "承接社会组织名称" },
      { key: "organisation_uscc", description: "承接组织统一社会信用代码" },
      { key: "place_code", description: "项目所属地区行政区划代码（街道、社区可能为空）" },
      { key: "place_name", description: "项目所属地区" },
      { key: "action_type", description: "行动类型代码：qin、he、fu、mei" },
      { key: "call_title", description: "所属招贤榜" },
      { key: "pool_name", description: "资金池" },
      { key: "pool_source", description: "资金来源" },
      { key: "amount_yuan", description: "资助金额（元，两位小数）" },
      { key: "leveraged_yuan", description: "撬动资源：承诺的配套资金与实物折价合计（元，两位小数）" },
      { key: "awarded_on", description: "确定资助日期（YYYY-MM-DD，北京时间）" },
      { key: "established_on", description: "公示期满正式立项日期；公示中为空" },
      { key: "status", description: "状态：publicity（公示中）、in_progress（实施中）、awaiting_evaluation（待评价）、closed（已办结）、suspended（已暂停）、terminated（已终止）" },
    ],
  },
  projects: {
    title: "已办结项目（成效）",
    description: "统计期间内办结的项目及其成效：拨付资金、服务人次和居民评价，按办结日期；可用 from、to、place 参数指定。",
    columns: [
      { key: "project_id", description: "项目编号（与网站项目页 /projects/编号 对应）" },
      { key: "project_name", description: "项目名称" },
      { key: "organisation_name", description: "承接社会组织名称" },
      { key: "place_code", description: "项目所属地区行政区划代码（街道、社区可能为空）" },
      { key: "place_name", description: "项目所属地区" },
      { key: "action_type", description: "行动类型代码：qin、he、fu、mei" },
      { key: "amount_yuan", description: "资助金额（元，两位小数）" },
      { key: "disbursed_yuan", description: "已拨付资金（元，两位小数；拨付减退回）" },
      { key: "leveraged_yuan", description: "撬动资源（元，两位小数）" },
      { key: "beneficiaries", description: "服务受益人次（审批通过的里程碑报告所填人数之和）" },
      { key: "evaluations", description: "居民评价人数" },
      { key: "satisfaction", description: "满意度平均分（1–5，两位小数；无评价为空）" },
      { key: "awarded_on", description: "确定资助日期（YYYY-MM-DD）" },
      { key: "closed_on", description: "办结日期（YYYY-MM-DD）" },
    ],
  },
} as const satisfies Record<string, Dataset>;

export type DatasetName = keyof typeof DATASETS;

export function isDataset(name: string): name is DatasetName {
  return Object.hasOwn(DATASETS, name);
}

/** The rows of a dataset, first the header of column keys, each row in the documented column order. */
export async function datasetRows(db: Executor, name: DatasetName, params: { placeId: number; period: Period }): Promise<string[][]> {
  const header = DATASETS[name].columns.map((c) => c.key);
  if (name === "pools") {
    const place = await placeForFigures(db, params.placeId);
    const rows = await sql<{ name: string; source: string; code: string | null; place_name: string; period_start: string; period_end: string; fen: string }>`
      select f.name, f.source, p.code, p.name as place_name, to_char(f.period_start, 'YYYY-MM-DD') as period_start,
             to_char(f.period_end, 'YYYY-MM-DD') as period_end, coalesce(sum(l.amount_fen) filter (where l.kind = 'topup'), 0)::bigint as fen
      from funding_pools f join places p on p.id = f.place_id left join ledger_entries l on l.pool_id = f.id
      where p.path like ${`${place.path}%`}
      group by f.id, p.id order by p.path, f.name`.execute(db);
    return [header, ...rows.rows.map((r) => [r.name, r.source, r.code ?? "", r.place_name, r.period_start, r.period_end, fenToYuanString(Number(r.fen))])];
  }
  if (name === "calls") return [header, ...(await callRows(db, params))];
  if (name === "grants") return [header, ...(await grantRows(db, params))];
  if (name === "projects") return [header, ...(await deliveredRows(db, params))];
  const f = await programmeFigures(db, params.placeId, params.period);
  const codes = new Map(
    (await db.selectFrom("places").select(["id", "code"]).where("id", "in", [f.place.id, ...f.areas.map((a) => a.placeId)]).execute()).map((p) => [p.id, p.code ?? ""]),
  );
  const out: string[][] = [header];
  for (const k of METRIC_KEYS) {
    const info = METRICS[k];
    const m = f.metrics[k];
    const shown = showMetric(k, m, { suppressCare: true, format: fenToYuanString });
    const unit = info.unit === "fen" ? "yuan" : "count";
    const line = (code: string, placeName: string, action: string, value: string) => [code, placeName, f.from, f.to, k, info.label, action, value, unit];
    // Figures split by action type are never care figures, so their cells need no suppression.
    const plain = (n: number) => formatValue(k, n, fenToYuanString);
    for (const a of f.areas) {
      out.push(line(codes.get(a.placeId) ?? "", a.name, "all", shown.byArea[a.key] ?? "0"));
      if (info.byAction) for (const act of ACTION_KEYS) out.push(line(codes.get(a.placeId) ?? "", a.name, act, plain(m.byAreaAction[a.key]?.[act] ?? 0)));
    }
    out.push(line(codes.get(f.place.id) ?? "", "合计", "all", shown.total));
    if (info.byAction) for (const act of ACTION_KEYS) out.push(line(codes.get(f.place.id) ?? "", "合计", act, shown.byAction[act]));
  }
  return out;
}

const day = (col: string) => sql.raw(`to_char(${col} at time zone '${TIME_ZONE}', 'YYYY-MM-DD')`);
const startOf = (d: string) => sql`(${d}::date::timestamp at time zone ${TIME_ZONE})`;
const endOf = (d: string) => sql`((${d}::date + 1)::timestamp at time zone ${TIME_ZONE})`;

/** Calls published within the period, in the documented column order. One query. */
async function callRows(db: Executor, params: { placeId: number; period: Period }): Promise<string[][]> {
  const place = await placeForFigures(db, params.placeId);
  const rows = await sql<Record<string, string | null>>`
    select c.id, c.title, p.code, p.name as place_name, c.action_type, f.name as pool_name, f.source, c.total_budget_fen, c.cap_fen,
           ${day("c.published_at")} as published_on, ${day("c.closes_at")} as closes_on, c.status,
           (select count(*) from bids b where b.call_id = c.id and b.status <> 'draft') as bids,
           (select count(*) from grants g where g.call_id = c.id and g.status <> 'withdrawn') as awarded
    from calls c
    join places p on p.id = c.place_id
    join funding_pools f on f.id = c.pool_id
    where p.path like ${`${place.path}%`} and c.status <> 'draft' and c.published_at is not null
      and c.published_at >= ${startOf(params.period.from)} and c.published_at < ${endOf(params.period.to)}
    order by c.published_at, c.title, c.id`.execute(db);
  return rows.rows.map((r) => [
    r.id!, r.title!, r.code ?? "", r.place_name!, r.action_type!, r.pool_name!, r.source!,
    fenToYuanString(Number(r.total_budget_fen)), fenToYuanString(Number(r.cap_fen)), r.published_on!, r.closes_on!, r.status!,
    String(r.bids), String(r.awarded),
  ]);
}

/** Grants awarded within the period, in the documented column order. One query. */
async function grantRows(db: Executor, params: { placeId: number; period: Period }): Promise<string[][]> {
  const place = await placeForFigures(db, params.placeId);
  const rows = await sql<Record<string, string | null>>`
    select g.id, g.project_name, o.name as org_name, o.uscc, p.code, p.name as place_name, g.action_type, c.title as call_title,
           f.name as pool_name, f.source, g.amount_fen, coalesce(lev.fen, 0)::bigint as leveraged_fen,
           ${day("g.awarded_at")} as awarded_on, ${day("g.established_at")} as established_on, g.status
    from grants g
    join organisations o on o.id = g.organisation_id
    join places p on p.id = g.place_id
    join calls c on c.id = g.call_id
    join funding_pools f on f.id = g.pool_id
    left join lateral (select sum(value_fen) as fen from bid_pledges where bid_id = g.bid_id) lev on true
    where p.path like ${`${place.path}%`} and g.status <> 'withdrawn'
      and g.awarded_at >= ${startOf(params.period.from)} and g.awarded_at < ${endOf(params.period.to)}
    order by g.awarded_at, g.project_name, g.id`.execute(db);
  return rows.rows.map((r) => [
    r.id!, r.project_name!, r.org_name!, r.uscc ?? "", r.code ?? "", r.place_name!, r.action_type!, r.call_title!, r.pool_name!, r.source!,
    fenToYuanString(Number(r.amount_fen)), fenToYuanString(Number(r.leveraged_fen)), r.awarded_on!, r.established_on ?? "", r.status!,
  ]);
}

/** Projects closed within the period with what they delivered, in the documented column order. One query. */
async function deliveredRows(db: Executor, params: { placeId: number; period: Period }): Promise<string[][]> {
  const place = await placeForFigures(db, params.placeId);
  const rows = await sql<Record<string, string | null>>`
    select g.id, g.project_name, o.name as org_name, p.code, p.name as place_name, g.action_type, g.amount_fen,
           coalesce(pay.fen, 0)::bigint as disbursed_fen, coalesce(lev.fen, 0)::bigint as leveraged_fen,
           coalesce(ben.n, 0)::bigint as beneficiaries, coalesce(ev.n, 0)::bigint as evaluations, coalesce(ev.points, 0)::bigint as points,
           ${day("g.awarded_at")} as awarded_on, ${day("g.closed_at")} as closed_on
    from grants g
    join organisations o on o.id = g.organisation_id
    join places p on p.id = g.place_id
    left join lateral (select sum(value_fen) as fen from bid_pledges where bid_id = g.bid_id) lev on true
    left join lateral (select sum(case when kind = 'disburse' then amount_fen else -amount_fen end) as fen
               from ledger_entries where grant_id = g.id and kind in ('disburse', 'refund')) pay on true
    left join lateral (select sum(beneficiary_count) as n from milestone_reports where grant_id = g.id and status = 'approved') ben on true
    left join lateral (select count(*) as n, sum(satisfaction) as points from grant_evaluations where grant_id = g.id) ev on true
    where p.path like ${`${place.path}%`} and g.status = 'closed'
      and g.closed_at >= ${startOf(params.period.from)} and g.closed_at < ${endOf(params.period.to)}
    order by g.closed_at, g.project_name, g.id`.execute(db);
  return rows.rows.map((r) => {
    const score = meanHundredths(Number(r.points), Number(r.evaluations));
    return [
      r.id!, r.project_name!, r.org_name!, r.code ?? "", r.place_name!, r.action_type!, fenToYuanString(Number(r.amount_fen)),
      fenToYuanString(Number(r.disbursed_fen)), fenToYuanString(Number(r.leveraged_fen)), String(r.beneficiaries), String(r.evaluations),
      score > 0 ? formatScore(score) : "", r.awarded_on!, r.closed_on!,
    ];
  });
}
