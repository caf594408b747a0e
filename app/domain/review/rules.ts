import type { AssignmentStatus } from "../../../db/schema";
import type { Fen } from "../../lib/money";

/**
 * Expert review (评审): the pure parts — which reviewer gets which bid, and how scores become a
 * ranking. review.server.ts reads the rows and calls these.
 */

export const ASSIGNMENT_STATUS_LABELS: Record<AssignmentStatus, string> = {
  pending: "待声明回避",
  accepted: "评审中",
  conflict: "已回避",
  submitted: "已提交",
};

/** Assignments that count towards a bid's N reviewers and a reviewer's load (a declared conflict does not). */
export const ACTIVE_STATUSES: readonly AssignmentStatus[] = ["pending", "accepted", "submitted"];

/** Reviewers whose totals differ by more than this many points (out of 100) disagree: the ranking flags it. */
export const SPREAD_FLAG = 20;

export interface AssignBid {
  id: string;
  organisationId: string;
  /** Reviewers already on this bid, or who declared a conflict on it: never assigned again. */
  excluded: readonly string[];
  /** How many more reviewers the bid needs. */
  needed: number;
}

export interface AssignReviewer {
  id: string;
  /** Organisations the reviewer is a member of: never assigned their bids. */
  organisationIds: readonly string[];
  /** Bids already assigned on this call. */
  load: number;
}

export interface AssignmentPlan {
  assignments: Array<{ bidId: string; reviewerId: string }>;
  /** Bids for which not enough eligible reviewers exist, with how many are missing. */
  shortfalls: Array<{ bidId: string; missing: number }>;
}

/**
 * Gives each bid, in the order given, the reviewers it needs: the least-loaded eligible reviewers
 * (ties by id). Taking the N lowest loads keeps loads within one of each other (if they differ by
 * at most one before a bid, they do after it), so with no exclusions max − min load ≤ 1. A
 * reviewer is eligible for a bid unless a member of the bidding organisation, already on the bid,
 * or excluded from it (a declared conflict).
 */
export function planAssignments(bids: readonly AssignBid[], reviewers: readonly AssignReviewer[]): AssignmentPlan {
  const load = new Map(reviewers.map((r) => [r.id, r.load]));
  const assignments: AssignmentPlan["assignments"] = [];
  const shortfalls: AssignmentPlan["shortfalls"] = [];
  for (const bid of bids) {
    if (bid.needed <= 0) continue;
    const picks = reviewers
      .filter((r) => !bid.excluded.includes(r.id) && !r.organisationIds.includes(bid.organisationId))
      .sort((a, b) => load.get(a.id)! - load.get(b.id)! || a.id.localeCompare(b.id))
      .slice(0, bid.needed);
    for (const r of picks) {
      assignments.push({ bidId: bid.id, reviewerId: r.id });
      load.set(r.id, load.get(r.id)! + 1);
    }
    if (picks.length < bid.needed) shortfalls.push({ bidId: bid.id, missing: bid.needed - picks.length });
  }
  return { assignments, shortfalls };
}

/** A reviewer's total for one bid: the sum of the criterion scores, out of 100 (weights sum to 100). */
export function reviewTotal(scores: ReadonlyArray<{ score: number }>): number {
  return scores.reduce((s, c) => s + c.score, 0);
}

export interface RankInput {
  bidId: string;
  projectName: string;
  organisationName: string;
  requestedFen: Fen;
  /** Totals of the submitted reviews only. */
  totals: readonly number[];
  /** Active assignments not yet submitted. */
  missing: number;
}

export interface RankRow extends RankInput {
  rank: number | null;
  /** Mean of the submitted totals, one decimal; null with no submitted review. */
  average: number | null;
  spread: number | null;
  disagreement: boolean;
  /** Requested budgets of this bid and every bid ranked above it. */
  cumulativeFen: Fen;
  withinBudget: boolean;
}

/**
 * The officer's ranking: bids by average submitted total (highest first; ties by the lower
 * requested amount, then name), then bids with no submitted review. Spread is max − min of the
 * totals, flagged above SPREAD_FLAG; the running total of requested budgets shows where the
 * call's total budget runs out.
 */
export function rankBids(rows: readonly RankInput[], totalBudgetFen: Fen): RankRow[] {
  const scored = rows.map((r) => {
    const n = r.totals.length;
    const average = n === 0 ? null : Math.round((r.totals.reduce((s, t) => s + t, 0) * 10) / n) / 10;
    const spread = n === 0 ? null : Math.max(...r.totals) - Math.min(...r.totals);
    return { ...r, average, spread, disagreement: spread !== null && spread > SPREAD_FLAG };
  });
  scored.sort((a, b) => {
    if (a.average === null || b.average === null) return a.average === null ? (b.average === null ? a.projectName.localeCompare(b.projectName) : 1) : -1;
    return b.average - a.average || a.requestedFen - b.requestedFen || a.projectName.localeCompare(b.projectName);
  });
  let cumulative = 0;
  return scored.map((r, i) => {
    cumulative += r.requestedFen;
    return { ...r, rank: r.average === null ? null : i + 1, cumulativeFen: cumulative, withinBudget: cumulative <= totalBudgetFen };
  });
}
