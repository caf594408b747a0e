import type { BidStatus, BudgetCategory, CallStatus, PledgeKind } from "../../../db/schema";
import { formatYuan, type Fen } from "../../lib/money";

/**
 * Calls (招贤榜) and bids (项目申报书): the pure rules — a call's phase at a moment, who may bid,
 * and what a bid must satisfy before it is submitted.
 */

export type CallPhase = "draft" | "upcoming" | "open" | "closed" | "withdrawn";

export const CALL_PHASE_LABELS: Record<CallPhase, string> = {
  draft: "草稿",
  upcoming: "即将开始",
  open: "征集中",
  closed: "已截止",
  withdrawn: "已撤回",
};

/** Submission is open from opens_at (inclusive) to closes_at (exclusive), by server time. */
export function callPhase(call: { status: CallStatus; opensAt: Date; closesAt: Date }, now: Date): CallPhase {
  if (call.status === "draft") return "draft";
  if (call.status === "withdrawn") return "withdrawn";
  if (now.getTime() < call.opensAt.getTime()) return "upcoming";
  if (now.getTime() < call.closesAt.getTime()) return "open";
  return "closed";
}

export const BUDGET_CATEGORIES = ["人员", "活动", "物资", "宣传", "其他"] as const satisfies readonly BudgetCategory[];

export const PLEDGE_KIND_LABELS: Record<PledgeKind, string> = { cash: "配套资金", in_kind: "实物/服务" };

export const BID_STATUS_LABELS: Record<BidStatus, string> = { draft: "草稿", submitted: "已提交", withdrawn: "已撤回" };

/** Nobody is left out by an empty list: no types or no districts named means any. */
export interface Eligibility {
  eligibleOrgTypes: readonly string[];
  eligibleDistrictIds: readonly number[];
}

/** Why the organisation may not bid on the call, or null when it may. */
export function ineligibility(org: { type: string | null; placeId: number; status: string }, call: Eligibility): string | null {
  if (org.status !== "verified") return "组织尚未通过民政局查验";
  if (call.eligibleOrgTypes.length > 0 && !call.eligibleOrgTypes.includes(org.type ?? "")) {
    return `本榜只接受以下类型的组织申报：${call.eligibleOrgTypes.join("、")}`;
  }
  if (call.eligibleDistrictIds.length > 0 && !call.eligibleDistrictIds.includes(org.placeId)) return "本榜只接受指定区县的组织申报";
  return null;
}

export interface BidForCheck {
  projectName: string;
  summary: string;
  beneficiaryGroup: string;
  beneficiaryCount: number | null;
  plan: string;
  leadName: string;
  lines: ReadonlyArray<{ amountFen: number }>;
  milestones: ReadonlyArray<{ title: string; dueDate: string; tranchePct: number }>;
  attachmentNames: readonly string[];
}

export interface CallForCheck {
  capFen: number;
  projectStart: string;
  projectEnd: string;
  requiredAttachments: readonly string[];
}

export function bidTotal(lines: ReadonlyArray<{ amountFen: number }>): Fen {
  return lines.reduce((s, l) => s + l.amountFen, 0);
}

export function trancheSum(milestones: ReadonlyArray<{ tranchePct: number }>): number {
  return milestones.reduce((s, m) => s + m.tranchePct, 0);
}

/**
 * Everything a bid must satisfy to be submitted, as field errors keyed like the form's fields
 * (empty when it may be submitted). Drafts may be incomplete; submission may not.
 */
export function submissionErrors(bid: BidForCheck, call: CallForCheck): Record<string, string> {
  const e: Record<string, string> = {};
  if (!bid.summary.trim()) e.summary = "请填写项目概述";
  if (!bid.beneficiaryGroup.trim()) e.beneficiaryGroup = "请填写服务对象";
  if (!bid.beneficiaryCount || bid.beneficiaryCount <= 0) e.beneficiaryCount = "请填写服务对象人数";
  if (!bid.plan.trim()) e.plan = "请填写实施计划";
  if (!bid.leadName.trim()) e.leadName = "请填写项目负责人";
  if (bid.lines.length === 0) e.lines = "请至少填写一条预算明细";
  const total = bidTotal(bid.lines);
  if (total > call.capFen) e.lines = `申请金额合计 ${formatYuan(total)}，超过本榜单个项目上限 ${formatYuan(call.capFen)}`;
  if (bid.milestones.length === 0) e.milestones = "请至少填写一个里程碑";
  else if (trancheSum(bid.milestones) !== 100) e.milestones = `各里程碑拨付比例合计应为 100%，现为 ${trancheSum(bid.milestones)}%`;
  bid.milestones.forEach((m, i) => {
    if (m.dueDate < call.projectStart || m.dueDate > call.projectEnd) {
      e[`milestone.${i}.dueDate`] = `里程碑「${m.title}」的完成日期应在项目周期 ${call.projectStart} 至 ${call.projectEnd} 之内`;
    }
  });
  const missing = call.requiredAttachments.filter((n) => !bid.attachmentNames.includes(n));
  if (missing.length > 0) e.attachments = `缺少必需的附件：${missing.join("、")}`;
  return e;
}

/** Rubric weights must add up to 100 so that every reviewer's total is out of 100. */
export function weightSum(criteria: ReadonlyArray<{ weight: number }>): number {
  return criteria.reduce((s, c) => s + c.weight, 0);
}
