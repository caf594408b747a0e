import type { LedgerKind } from "../../../db/schema";
import type { Fen } from "../../lib/money";

/**
 * How ledger rows add up. Every balance is a sum over rows; this is the arithmetic, written once
 * for rows held in memory (the recompute check) and mirrored by the SQL in ledger.server.ts.
 *
 * - total: everything put into the pool (top-ups)
 * - committed: awarded to grants and not released (commit − release)
 * - disbursed: paid out to grants and not refunded (disburse − refund)
 * - available: what a new commitment may still take (total − committed)
 */
export interface PoolBalance {
  total: Fen;
  committed: Fen;
  disbursed: Fen;
  available: Fen;
}

/** A grant's side of the ledger: awarded (commit − release), disbursed, remaining to pay. */
export interface GrantBalance {
  awarded: Fen;
  disbursed: Fen;
  remaining: Fen;
}

export const LEDGER_KIND_LABELS: Record<LedgerKind, string> = {
  topup: "注资",
  commit: "承诺（立项）",
  release: "释放承诺",
  disburse: "拨付",
  refund: "退回",
};

export function sumByKind(rows: ReadonlyArray<{ kind: LedgerKind; amount_fen: number }>): Record<LedgerKind, Fen> {
  const out: Record<LedgerKind, number> = { topup: 0, commit: 0, release: 0, disburse: 0, refund: 0 };
  for (const r of rows) out[r.kind] += r.amount_fen;
  return out as Record<LedgerKind, Fen>;
}

export function poolBalanceOf(sums: Record<LedgerKind, number>): PoolBalance {
  const committed = sums.commit - sums.release;
  return { total: sums.topup, committed, disbursed: sums.disburse - sums.refund, available: sums.topup - committed };
}

export function grantBalanceOf(sums: Record<LedgerKind, number>): GrantBalance {
  const awarded = sums.commit - sums.release;
  const disbursed = sums.disburse - sums.refund;
  return { awarded, disbursed, remaining: awarded - disbursed };
}
