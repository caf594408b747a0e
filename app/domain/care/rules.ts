/** Pure rules of the care loop: small-cell suppression, service gaps, unusual access volumes. */

/** Counts from 1 to 4 are never shown: one person could be picked out of them (domain.md, Privacy). */
export const SMALL_CELL_LIMIT = 5;
export const SUPPRESSED = "<5";

/**
 * How a public count is shown: 0 stays "0" (it says nobody, it singles out no one), 1–4 become
 * "<5", from 5 up the number itself.
 */
export function suppressCount(n: number): string {
  if (n > 0 && n < SMALL_CELL_LIMIT) return SUPPRESSED;
  return String(n);
}

/**
 * Counts that partition a total shown beside them (targets by district): besides hiding each
 * small cell, when exactly one cell is hidden the next smallest is hidden too, or the hidden
 * one could be worked out as total minus the others.
 */
export function suppressPartition<K>(cells: ReadonlyArray<{ key: K; count: number }>): { cells: Array<{ key: K; shown: string }>; total: string } {
  const hidden = new Set(cells.map((c, i) => (c.count > 0 && c.count < SMALL_CELL_LIMIT ? i : -1)).filter((i) => i >= 0));
  if (hidden.size === 1 && cells.length > 1) {
    let pick = -1;
    cells.forEach((c, i) => {
      if (!hidden.has(i) && (pick < 0 || c.count < cells[pick].count)) pick = i;
    });
    hidden.add(pick);
  }
  const total = cells.reduce((s, c) => s + c.count, 0);
  return {
    cells: cells.map((c, i) => ({ key: c.key, shown: hidden.has(i) ? SUPPRESSED : String(c.count) })),
    total: suppressCount(total),
  };
}

/** Days without a service after which a case is flagged. */
export const SERVICE_GAP_DAYS = 30;

const DAY_MS = 86_400_000;

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export interface ServiceGap {
  from: string;
  to: string;
  days: number;
}

/**
 * Periods longer than SERVICE_GAP_DAYS without a service, from the start of care to today, and
 * whether the case is overdue now (the last service, or the start, is more than 30 days ago).
 */
export function serviceGaps(careStartedOn: string, serviceDays: readonly string[], today: string): { gaps: ServiceGap[]; overdue: boolean; daysSinceLast: number } {
  const points = [careStartedOn, ...[...serviceDays].filter((d) => d >= careStartedOn).sort(), today];
  const gaps: ServiceGap[] = [];
  for (let i = 1; i < points.length; i++) {
    const days = daysBetween(points[i - 1], points[i]);
    if (days > SERVICE_GAP_DAYS) gaps.push({ from: points[i - 1], to: points[i], days });
  }
  const daysSinceLast = daysBetween(points[points.length - 2], today);
  return { gaps, overdue: daysSinceLast > SERVICE_GAP_DAYS, daysSinceLast };
}

/** When a reader's volume of care-record reads in one day is worth a privacy officer's look. */
export const UNUSUAL_ACCESS = {
  /** distinct target records read in one day */
  maxDistinctPerDay: 50,
  /** times the reader's own daily average over the previous baselineDays */
  baselineMultiplier: 3,
  baselineDays: 30,
  /** below this many distinct records a day, the baseline rule stays quiet (a new reader's first day) */
  baselineFloor: 10,
} as const;

export type AccessFlag = "over_daily_limit" | "above_own_baseline";

export const ACCESS_FLAG_LABELS: Record<AccessFlag, string> = {
  over_daily_limit: `单日查看超过 ${UNUSUAL_ACCESS.maxDistinctPerDay} 个对象`,
  above_own_baseline: `超过本人前 ${UNUSUAL_ACCESS.baselineDays} 天日均的 ${UNUSUAL_ACCESS.baselineMultiplier} 倍`,
};

export function accessFlags(distinctToday: number, baselineDailyAverage: number): AccessFlag[] {
  const flags: AccessFlag[] = [];
  if (distinctToday > UNUSUAL_ACCESS.maxDistinctPerDay) flags.push("over_daily_limit");
  if (distinctToday >= UNUSUAL_ACCESS.baselineFloor && distinctToday > UNUSUAL_ACCESS.baselineMultiplier * baselineDailyAverage) flags.push("above_own_baseline");
  return flags;
}

/**
 * One reader's days: for each day in [from, to], the distinct records read, the average over
 * the previous 30 days (days without reads count as 0) and the flags.
 */
export function flagReaderDays(
  days: ReadonlyArray<{ day: string; distinct: number }>,
  from: string,
  to: string,
): Array<{ day: string; distinct: number; baseline: number; flags: AccessFlag[] }> {
  const byDay = new Map(days.map((d) => [d.day, d.distinct]));
  const out: Array<{ day: string; distinct: number; baseline: number; flags: AccessFlag[] }> = [];
  for (const { day, distinct } of [...days].filter((d) => d.day >= from && d.day <= to).sort((a, b) => a.day.localeCompare(b.day))) {
    let sum = 0;
    for (let i = 1; i <= UNUSUAL_ACCESS.baselineDays; i++) sum += byDay.get(addDays(day, -i)) ?? 0;
    const baseline = sum / UNUSUAL_ACCESS.baselineDays;
    out.push({ day, distinct, baseline, flags: accessFlags(distinct, baseline) });
  }
  return out;
}

export const ADULT_AGE = 18;
