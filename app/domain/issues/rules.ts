import type { ActionTypeCode, DecisionKind, IssueStatus } from "../../../db/schema";
import { formatYuan } from "../../lib/money";
import { ACTION_TYPE_INFO } from "../vocabulary";

export type { IssueStatus };

export const ISSUE_STATUSES = [
  "pending",
  "accepted",
  "declined",
  "merged",
  "scheduled",
  "decided",
  "in_call",
  "in_progress",
  "awaiting_evaluation",
  "closed",
] as const satisfies readonly IssueStatus[];

export const ISSUE_STATUS_LABELS: Record<IssueStatus, string> = {
  pending: "待受理",
  accepted: "已受理",
  declined: "不予受理",
  merged: "已合并",
  scheduled: "已上会",
  decided: "已议定",
  in_call: "招募中",
  in_progress: "实施中",
  awaiting_evaluation: "待评价",
  closed: "已办结",
};

/**
 * The issue lifecycle: from each status, the statuses it may move to. transitionIssue
 * (issues.server.ts) refuses anything not listed here.
 * - scheduled → accepted: a roundtable deferred the item (暂缓) or it was taken off the agenda;
 *   it can be tabled again.
 * - decided → in_progress: 社区自办 or 转介, no call needed; decided → closed: a referral settled it.
 * - in_call → decided: the call was withdrawn without a grant; the issue waits for the next call.
 * - in_progress / awaiting_evaluation → closed before the evaluation period ends: only with a
 *   reason (earlyCloseNeedsReason); the normal close comes from the grant's evaluation job.
 */
export const ISSUE_TRANSITIONS: Record<IssueStatus, readonly IssueStatus[]> = {
  pending: ["accepted", "declined", "merged"],
  accepted: ["scheduled", "declined", "merged"],
  declined: [],
  merged: [],
  scheduled: ["decided", "accepted"],
  decided: ["in_call", "in_progress", "closed"],
  in_call: ["in_progress", "decided"],
  in_progress: ["awaiting_evaluation", "closed"],
  awaiting_evaluation: ["closed"],
  closed: [],
};

export function canTransition(from: IssueStatus, to: IssueStatus): boolean {
  return ISSUE_TRANSITIONS[from].includes(to);
}

/** Closing an issue while its project is still running or being evaluated needs a written reason. */
export function earlyCloseNeedsReason(from: IssueStatus, to: IssueStatus): boolean {
  return to === "closed" && (from === "in_progress" || from === "awaiting_evaluation");
}

export function isTerminal(status: IssueStatus): boolean {
  return ISSUE_TRANSITIONS[status].length === 0;
}

/** The statuses `isTerminal` holds for, for statements that check it in SQL. */
export const TERMINAL_STATUSES = (Object.keys(ISSUE_TRANSITIONS) as IssueStatus[]).filter(isTerminal);

/** Statuses in which residents can still add their support and the issue counts as "being collected". */
export const OPEN_STATUSES: readonly IssueStatus[] = ["pending", "accepted", "scheduled"];

export const DECISION_KINDS = ["community", "to_call", "referral", "deferred"] as const satisfies readonly DecisionKind[];

export const DECISION_LABELS: Record<DecisionKind, string> = {
  community: "社区自办",
  to_call: "转入创投/招募",
  referral: "转介",
  deferred: "暂缓/不予采纳",
};

/** Where a decision moves the issue: deferred items go back to 已受理 so a later roundtable can take them up. */
export function statusAfterDecision(kind: DecisionKind): IssueStatus {
  return kind === "deferred" ? "accepted" : "decided";
}

/** Photos of an issue: how many and how large each (checked again by content on upload). */
export const MAX_PHOTOS = 6;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** A comment may be edited by its author for this long after it was written. */
export const COMMENT_EDIT_WINDOW_MS = 15 * 60 * 1000;

export function canEditComment(comment: { createdAt: Date; authorId: string; deleted: boolean }, userId: string, now: Date): boolean {
  return !comment.deleted && comment.authorId === userId && now.getTime() - comment.createdAt.getTime() <= COMMENT_EDIT_WINDOW_MS;
}

/**
 * Chinese has no spaces between words and PostgreSQL's parser does not segment it, so search
 * works on overlapping 2-character windows (docs/decisions/0002-chinese-search.md). Letters are
 * lower-cased; whitespace and punctuation break windows so "路灯，照明" does not make "灯照".
 */
export function bigrams(text: string): string[] {
  const out = new Set<string>();
  for (const run of text.toLowerCase().split(/[\s\p{P}\p{S}]+/u)) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  }
  return [...out];
}

/** The terms of a search box: split on spaces, at most 5, each at most 20 characters. */
export function searchTerms(q: string): string[] {
  return q
    .split(/[\s\p{P}\p{S}]+/u)
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean)
    .slice(0, 5)
    .map((t) => [...t].slice(0, 20).join(""));
}

/** One line of text for a decision, used on timelines and notifications. */
export function describeDecision(d: {
  kind: DecisionKind;
  responsible?: string | null;
  dueDate?: string | null;
  actionType?: ActionTypeCode | null;
  budgetEstimateFen?: number | null;
  referredTo?: string | null;
  reason?: string | null;
}): string {
  switch (d.kind) {
    case "community":
      return `${DECISION_LABELS.community}：由${d.responsible}负责${d.dueDate ? `，${d.dueDate} 前完成` : ""}`;
    case "to_call":
      return `${DECISION_LABELS.to_call}：${d.actionType ? ACTION_TYPE_INFO[d.actionType].name : ""}，预算估算 ${formatYuan(d.budgetEstimateFen ?? 0)}`;
    case "referral":
      return `${DECISION_LABELS.referral}：转介至${d.referredTo}`;
    case "deferred":
      return `${DECISION_LABELS.deferred}：${d.reason}`;
  }
}
