import { sql } from "kysely";
import type { Executor } from "../../platform/db.server";
import { fenToYuanString } from "../../lib/money";
import { placeForFigures, programmeFigures, type Period } from "./figures.server";
import { ACTION_KEYS, METRIC_KEYS, METRICS, showMetric } from "./rules";

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
    const plain = (n: number) => (info.unit === "fen" ? fenToYuanString(n) : String(n));
    for (const a of f.areas) {
      out.push(line(codes.get(a.placeId) ?? "", a.name, "all", shown.byArea[a.key] ?? "0"));
      if (info.byAction) for (const act of ACTION_KEYS) out.push(line(codes.get(a.placeId) ?? "", a.name, act, plain(m.byAreaAction[a.key]?.[act] ?? 0)));
    }
    out.push(line(codes.get(f.place.id) ?? "", "合计", "all", shown.total));
    if (info.byAction) for (const act of ACTION_KEYS) out.push(line(codes.get(f.place.id) ?? "", "合计", act, shown.byAction[act]));
  }
  return out;
}
