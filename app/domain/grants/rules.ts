import type { GrantStatus, MilestoneStatus, ObjectionStatus } from "../../../db/schema";
import type { Fen } from "../../lib/money";

/**
 * Grants (创投立项): the pure rules — 公示 in working days, tranche amounts, progress, the two-person
 * rule and the evaluation figures. grants.server.ts reads the rows and calls these.
 */

export type { GrantStatus, MilestoneStatus, ObjectionStatus };

export const GRANT_STATUS_LABELS: Record<GrantStatus, string> = {
  publicity: "公示中",
  withdrawn: "已撤销",
  in_progress: "实施中",
  awaiting_evaluation: "待评价",
  closed: "已办结",
  suspended: "已暂停",
  terminated: "已终止",
};

export const MILESTONE_STATUS_LABELS: Record<MilestoneStatus, string> = {
  open: "待提交",
  submitted: "待联络员审核",
  returned: "退回修改",
  forwarded: "待民政局审批",
  approved: "已通过",
};

export const OBJECTION_STATUS_LABELS: Record<ObjectionStatus, string> = {
  open: "待答复",
  dismissed: "不予采纳",
  upheld: "异议成立",
};

/** Evidence of a milestone report (and an objection's attachment): images, like issue photos. */
export const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;
export const MAX_EVIDENCE_FILES = 6;

/** Statuses in which the grant still holds an undisbursed commitment that suspension/termination releases. */
export const ACTIVE_GRANT_STATUSES: readonly GrantStatus[] = ["publicity", "in_progress"];

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // China has no daylight saving time.
const DAY_MS = 86_400_000;

/** The Asia/Shanghai calendar day of an instant, as a UTC-midnight timestamp (for day arithmetic). */
function shanghaiDay(at: Date): number {
  const local = at.getTime() + SHANGHAI_OFFSET_MS;
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS);
}

function isWeekend(utcMidnight: number): boolean {
  const dow = new Date(utcMidnight).getUTCDay();
  return dow === 0 || dow === 6;
}

/**
 * When a 公示 published at `publishedAt` ends: at 24:00 Asia/Shanghai of the Nth working day after
 * the day of publication (the day itself does not count, so a notice put up on Friday afternoon
 * still gets N full working days). Saturdays and Sundays are skipped; national holidays and their
 * make-up working days (调休) are not known to the portal and are treated as ordinary days.
 */
export function publicityEndsAt(publishedAt: Date, workingDays: number): Date {
  if (!Number.isInteger(workingDays) || workingDays < 1) throw new RangeError("公示期至少 1 个工作日");
  let day = shanghaiDay(publishedAt);
  let counted = 0;
  while (counted < workingDays) {
    day += DAY_MS;
    if (!isWeekend(day)) counted++;
  }
  return new Date(day + DAY_MS - SHANGHAI_OFFSET_MS);
}

/** Working days of a 公示 still to run at `now` (0 once it has ended), counting today if it is one. */
export function workingDaysLeft(endsAt: Date, now: Date): number {
  if (now.getTime() >= endsAt.getTime()) return 0;
  let n = 0;
  for (let day = shanghaiDay(now); day < endsAt.getTime() + SHANGHAI_OFFSET_MS; day += DAY_MS) if (!isWeekend(day)) n++;
  return n;
}

export const DEFAULT_EVALUATION_DAYS = 14;

export function evaluationEndsAt(startedAt: Date, days = DEFAULT_EVALUATION_DAYS): Date {
  return new Date(startedAt.getTime() + days * DAY_MS);
}

/**
 * The tranche of each milestone in exact 分: every tranche but the last is the percentage of the
 * award rounded down, and the last takes what is left, so the tranches always add up to the award.
 */
export function trancheAmounts(awardFen: Fen, percentages: readonly number[]): Fen[] {
  if (!Number.isSafeInteger(awardFen) || awardFen <= 0) throw new RangeError("资助金额必须是正整数分");
  if (percentages.length === 0) throw new RangeError("至少需要一个里程碑");
  if (percentages.some((p) => !Number.isInteger(p) || p < 1) || percentages.reduce((s, p) => s + p, 0) !== 100) {
    throw new RangeError("各里程碑拨付比例须为正整数且合计 100%");
  }
  const out: Fen[] = [];
  let given = 0;
  percentages.forEach((p, i) => {
    const amount = i === percentages.length - 1 ? awardFen - given : Math.floor((awardFen * p) / 100);
    out.push(amount);
    given += amount;
  });
  return out;
}

/** Progress shown to the public: the share of milestones approved, in whole percent. */
export function progressPct(milestones: ReadonlyArray<{ status: MilestoneStatus }>): number {
  if (milestones.length === 0) return 0;
  return Math.round((milestones.filter((m) => m.status === "approved").length * 100) / milestones.length);
}

/** Two-person rule: a disbursement strictly above the pool's threshold needs a second officer. */
export function needsSecondApproval(amountFen: Fen, thresholdFen: Fen): boolean {
  return amountFen > thresholdFen;
}

/** Mean of 1–5 ratings to one decimal, or null with none. */
export function averageRating(ratings: readonly number[]): number | null {
  if (ratings.length === 0) return null;
  return Math.round((ratings.reduce((s, r) => s + r, 0) * 10) / ratings.length) / 10;
}

/** One line for the issues' timelines when the project closes. */
export function evaluationSummary(e: { count: number; satisfaction: number | null; solved: number | null }): string {
  if (e.count === 0) return "评价期内没有居民评价";
  return `${e.count} 位居民评价：满意度 ${e.satisfaction!.toFixed(1)} 分，问题解决 ${e.solved!.toFixed(1)} 分（满分 5 分）`;
}
