import type { SummaryPeriodKind } from "../../../db/schema";

/** Periods of the liaisons' progress summaries and when they are due: pure date arithmetic on "YYYY-MM-DD". */

export const PERIOD_KIND_LABELS: Record<SummaryPeriodKind, string> = { weekly: "周报", monthly: "月报" };

/** Days after the end of a period by which its summary is due: the next Tuesday for a week, the 5th for a month. */
export const DUE_AFTER_DAYS: Record<SummaryPeriodKind, number> = { weekly: 2, monthly: 5 };

const DAY_MS = 86_400_000;

function toTime(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function toDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return toDay(toTime(day) + n * DAY_MS);
}

export interface SummaryPeriod {
  kind: SummaryPeriodKind;
  start: string;
  end: string;
}

/** The week (Monday to Sunday) or calendar month containing the day. */
export function periodContaining(kind: SummaryPeriodKind, day: string): SummaryPeriod {
  if (kind === "weekly") {
    const weekday = (new Date(toTime(day)).getUTCDay() + 6) % 7;
    const start = addDays(day, -weekday);
    return { kind, start, end: addDays(start, 6) };
  }
  const start = `${day.slice(0, 7)}-01`;
  const next = new Date(toTime(start));
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { kind, start, end: addDays(toDay(next.getTime()), -1) };
}

/** The last period that has ended by the given day: the one a summary is now expected for. */
export function lastEndedPeriod(kind: SummaryPeriodKind, today: string): SummaryPeriod {
  return periodContaining(kind, addDays(periodContaining(kind, today).start, -1));
}

export function dueDate(p: SummaryPeriod): string {
  return addDays(p.end, DUE_AFTER_DAYS[p.kind]);
}

export type SummaryState = "submitted" | "submitted_late" | "draft" | "not_started" | "late";

export const SUMMARY_STATE_LABELS: Record<SummaryState, string> = {
  submitted: "已按时提交",
  submitted_late: "逾期提交",
  draft: "草稿未提交",
  not_started: "尚未开始",
  late: "逾期未交",
};

/** Where a liaison's summary of a period stands on a given day (dates in Asia/Shanghai). */
export function summaryState(p: SummaryPeriod, summary: { status: "draft" | "submitted"; submittedOn: string | null } | undefined, today: string): SummaryState {
  const due = dueDate(p);
  if (summary?.status === "submitted") return summary.submittedOn != null && summary.submittedOn > due ? "submitted_late" : "submitted";
  if (today > due) return "late";
  return summary ? "draft" : "not_started";
}
