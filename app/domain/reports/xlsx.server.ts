import ExcelJS from "exceljs";
import { formatDateTime } from "../../lib/dates";
import { fenToYuanString, formatYuan } from "../../lib/money";
import type { GrantStatus } from "../../../db/schema";
import { GRANT_STATUS_LABELS } from "../grants/rules";
import { ACTION_KEYS, ACTION_LABELS, METRIC_KEYS, METRICS, PROJECT_STATUSES, completeFigures, showMetric, type MetricKey, type ProjectLine, type StoryLine } from "./rules";
import type { ReportView } from "./reports.server";

/**
 * The 总结报告 as an XLSX workbook: one sheet per table, Chinese headers, amounts as numbers in 元
 * with two decimals (taken from the exact decimal text of the 分, never from float arithmetic on
 * 元), care counts below 5 shown as "<5" as everywhere outside the care pages.
 */

export const SHEETS = {
  info: "报告信息",
  calls: "工作部署-招贤榜",
  pools: "工作部署-资金池",
  sources: "资金来源",
  totals: "进展成效-主要指标",
  areas: "按地区",
  actions: "按行动类型",
  months: "按月",
  projectStatus: "进展成效-项目状态",
  topProjects: "进展成效-重点项目",
  stories: "进展成效-典型案例",
  suggestions: "意见建议",
} as const;

const YUAN_FORMAT = "#,##0.00";

/** 分 → 元 as a number whose decimal text is exactly the two-decimal amount. */
export function yuanNumber(fen: number): number {
  return Number(fenToYuanString(fen));
}

function header(ws: ExcelJS.Worksheet, titles: string[]) {
  ws.addRow(titles).font = { bold: true };
  ws.columns.forEach((c, i) => {
    c.width = Math.max(12, titles[i].length * 2 + 4);
  });
  ws.views = [{ state: "frozen", ySplit: 1 }];
}

function metricHeader(key: MetricKey): string {
  return METRICS[key].unit === "fen" ? `${METRICS[key].label}（元）` : METRICS[key].label;
}

/** A cell of a figure: 元 as a number for money, an average as a number with two decimals ("—" without any), a count as a number, "<5" as text. */
function cell(key: MetricKey, fen: number, shown: string): number | string {
  if (METRICS[key].unit === "fen") return yuanNumber(fen);
  if (METRICS[key].unit === "score") return fen > 0 ? fen / 100 : "—";
  return /^\d+$/.test(shown) ? Number(shown) : shown;
}

function formatMoneyColumns(ws: ExcelJS.Worksheet, keys: readonly MetricKey[], firstCol: number) {
  keys.forEach((k, i) => {
    if (METRICS[k].unit === "fen") ws.getColumn(firstCol + i).numFmt = YUAN_FORMAT;
    if (METRICS[k].unit === "score") ws.getColumn(firstCol + i).numFmt = "0.00";
  });
}

const UNIT_LABELS = { fen: "元", count: "个/人/次", score: "分（满分 5 分）" } as const;

export async function reportWorkbook(report: ReportView): Promise<Buffer> {
  const f = completeFigures(report.figures);
  const wb = new ExcelJS.Workbook();
  wb.creator = "邻里守望";
  wb.created = new Date(report.createdAt);
  const shown = Object.fromEntries(METRIC_KEYS.map((k) => [k, showMetric(k, f.metrics[k], { suppressCare: true, format: formatYuan })])) as Record<
    MetricKey,
    ReturnType<typeof showMetric>
  >;

  const info = wb.addWorksheet(SHEETS.info);
  header(info, ["项目", "内容"]);
  info.addRows([
    ["报告名称", `${report.placeName}社区社会组织参与基层治理总结报告`],
    ["地区", report.placeName],
    ["统计期间", `${report.from} 至 ${report.to}`],
    ["生成人", report.createdByName],
    ["生成时间", formatDateTime(report.createdAt)],
  ]);
  info.getColumn(2).width = 50;

  const calls = wb.addWorksheet(SHEETS.calls);
  header(calls, ["招贤榜", "地区", "行动类型", "资金池", "资金来源", "发布日期", "状态", "总预算（元）"]);
  for (const c of f.calls) calls.addRow([c.title, c.placeName, ACTION_LABELS[c.actionType], c.poolName, c.poolSource, c.publishedAt, c.withdrawn ? "已撤回" : "已发布", yuanNumber(c.totalBudgetFen)]);
  calls.addRow(["合计", "", "", "", "", "", `${f.calls.length} 个`, yuanNumber(f.calls.reduce((s, c) => s + c.totalBudgetFen, 0))]).font = { bold: true };
  calls.getColumn(1).width = 44;
  calls.getColumn(8).numFmt = YUAN_FORMAT;

  const pools = wb.addWorksheet(SHEETS.pools);
  header(pools, ["资金池", "资金来源", "所属地区", "期间注入金额（元）"]);
  for (const p of f.pools) pools.addRow([p.name, p.source, p.placeName, yuanNumber(p.fen)]);
  pools.addRow(["合计", "", "", yuanNumber(f.pools.reduce((s, p) => s + p.fen, 0))]).font = { bold: true };
  pools.getColumn(1).width = 44;
  pools.getColumn(4).numFmt = YUAN_FORMAT;

  const sources = wb.addWorksheet(SHEETS.sources);
  header(sources, ["资金来源", "金额（元）"]);
  for (const s of f.poolsBySource) sources.addRow([s.source, yuanNumber(s.fen)]);
  sources.addRow(["合计", yuanNumber(f.poolsBySource.reduce((s, p) => s + p.fen, 0))]).font = { bold: true };
  sources.getColumn(2).numFmt = YUAN_FORMAT;

  const totals = wb.addWorksheet(SHEETS.totals);
  header(totals, ["指标", "数值", "单位", "口径说明"]);
  for (const k of METRIC_KEYS) totals.addRow([METRICS[k].label, cell(k, f.metrics[k].total, shown[k].total), UNIT_LABELS[METRICS[k].unit], METRICS[k].definition]);
  totals.getColumn(1).width = 20;
  totals.getColumn(4).width = 80;
  METRIC_KEYS.forEach((k, i) => {
    totals.getCell(i + 2, 2).numFmt = METRICS[k].unit === "fen" ? YUAN_FORMAT : METRICS[k].unit === "score" ? "0.00" : "0";
  });

  const areas = wb.addWorksheet(SHEETS.areas);
  header(areas, ["地区", ...METRIC_KEYS.map(metricHeader)]);
  for (const a of f.areas) areas.addRow([a.name, ...METRIC_KEYS.map((k) => cell(k, f.metrics[k].byArea[a.key] ?? 0, shown[k].byArea[a.key] ?? "0"))]);
  areas.addRow(["合计", ...METRIC_KEYS.map((k) => cell(k, f.metrics[k].total, shown[k].total))]).font = { bold: true };
  formatMoneyColumns(areas, METRIC_KEYS, 2);

  const actionKeys = METRIC_KEYS.filter((k) => METRICS[k].byAction);
  const actions = wb.addWorksheet(SHEETS.actions);
  header(actions, ["行动类型", ...actionKeys.map(metricHeader)]);
  for (const a of ACTION_KEYS) actions.addRow([ACTION_LABELS[a], ...actionKeys.map((k) => cell(k, f.metrics[k].byAction[a], shown[k].byAction[a]))]);
  actions.addRow(["合计", ...actionKeys.map((k) => cell(k, f.metrics[k].total, shown[k].total))]).font = { bold: true };

  const months = wb.addWorksheet(SHEETS.months);
  header(months, ["月份", ...METRIC_KEYS.map((k) => (METRICS[k].kind === "stock" ? `${metricHeader(k)}（月末累计）` : metricHeader(k)))]);
  for (const m of f.months) months.addRow([m, ...METRIC_KEYS.map((k) => cell(k, f.metrics[k].byMonth[m] ?? 0, shown[k].byMonth[m] ?? "0"))]);
  formatMoneyColumns(months, METRIC_KEYS, 2);
  formatMoneyColumns(actions, actionKeys, 2);

  const status = wb.addWorksheet(SHEETS.projectStatus);
  header(status, ["地区", ...PROJECT_STATUSES.map((st) => GRANT_STATUS_LABELS[st]), "合计"]);
  const statusRow = (name: string, counts: Partial<Record<GrantStatus, number>>) => {
    const cells = PROJECT_STATUSES.map((st) => counts[st] ?? 0);
    return [name, ...cells, cells.reduce((a, b) => a + b, 0)];
  };
  for (const a of f.areas) status.addRow(statusRow(a.name, f.projectStatus.byArea[a.key] ?? {}));
  status.addRow(statusRow("合计", f.projectStatus.total)).font = { bold: true };

  const projectHeader = ["项目名称", "承接组织", "地区", "行动类型", "状态", "资助金额（元）", "撬动资源（元）", "服务受益人次", "评价人数", "满意度（分）"];
  const projectRow = (p: ProjectLine) => [
    p.projectName,
    p.organisationName,
    p.placeName,
    ACTION_LABELS[p.actionType],
    GRANT_STATUS_LABELS[p.status],
    yuanNumber(p.amountFen),
    yuanNumber(p.leveragedFen),
    p.beneficiaries,
    p.evaluations,
    p.satisfaction > 0 ? p.satisfaction / 100 : "—",
  ];
  const projectSheet = (name: string, lines: ProjectLine[], extra?: { title: string; of: (p: ProjectLine) => string }) => {
    const ws = wb.addWorksheet(name);
    header(ws, extra ? [...projectHeader, extra.title] : projectHeader);
    for (const p of lines) ws.addRow(extra ? [...projectRow(p), extra.of(p)] : projectRow(p));
    ws.addRow(["合计", `${lines.length} 个项目`, "", "", "", yuanNumber(lines.reduce((s, p) => s + p.amountFen, 0)), yuanNumber(lines.reduce((s, p) => s + p.leveragedFen, 0)), lines.reduce((s, p) => s + p.beneficiaries, 0), lines.reduce((s, p) => s + p.evaluations, 0)]).font = { bold: true };
    ws.getColumn(1).width = 36;
    ws.getColumn(2).width = 30;
    ws.getColumn(6).numFmt = YUAN_FORMAT;
    ws.getColumn(7).numFmt = YUAN_FORMAT;
    ws.getColumn(10).numFmt = "0.00";
    if (extra) {
      ws.getColumn(11).width = 80;
      ws.getColumn(11).alignment = { wrapText: true, vertical: "top" };
    }
  };
  projectSheet(SHEETS.topProjects, f.topProjects);
  projectSheet(SHEETS.stories, f.stories, { title: "项目成效（最近一期审批通过的报告）", of: (p) => (p as StoryLine).narrative });

  const suggestions = wb.addWorksheet(SHEETS.suggestions);
  header(suggestions, ["意见建议"]);
  suggestions.addRow([report.suggestions]).alignment = { wrapText: true, vertical: "top" };
  suggestions.getColumn(1).width = 100;

  return Buffer.from(await wb.xlsx.writeBuffer());
}
