import type { Clock } from "./clock";
import type { Executor } from "./db.server";
import { DomainError } from "./errors";
import { sql, type RawBuilder } from "kysely";
import { hitStatement, toState, type RateLimitRule } from "./rate-limit.server";

/**
 * The one table of limits on what a signed-in person may write, per person, counted in PostgreSQL
 * (`rate_limits`, the same upsert as the log-in throttle) so the limit holds across app servers.
 * Generous: a real resident, the e2e suite and a benchmark spreading writes over many accounts never
 * meet them; a script hammering one account does.
 */
export const WRITE_LIMITS = {
  support: { limit: 120, windowSeconds: 10 * 60, what: "附议" },
  comment: { limit: 20, windowSeconds: 10 * 60, what: "评论" },
  objection: { limit: 5, windowSeconds: 60 * 60, what: "异议" },
} as const satisfies Record<string, RateLimitRule & { what: string }>;

export type WriteKind = keyof typeof WRITE_LIMITS;

export function writeLimitKey(kind: WriteKind, userId: string): string {
  return `write:${kind}:user:${userId}`;
}

/** "10 分钟" / "1 小时" */
function windowText(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} 小时` : `${Math.round(seconds / 60)} 分钟`;
}

/** "3 分钟" / "45 秒" */
export function retryText(seconds: number): string {
  return seconds >= 60 ? `${Math.ceil(seconds / 60)} 分钟` : `${Math.max(1, seconds)} 秒`;
}

/**
 * Counts one write of `kind` by `userId`; over the limit it throws `rate_limited` (HTTP 429) with a
 * Chinese message saying when to try again. Called inside the command's transaction, so a write
 * that is refused for another reason (and rolled back) is not counted. (A one-statement command,
 * `limitedWrite`, commits its count even when it is refused for being over the limit.)
 */
export async function throttleWrite(db: Executor, kind: WriteKind, userId: string, clock: Clock): Promise<void> {
  const now = clock.now();
  const { rows } = await hitStatement(writeLimitKey(kind, userId), WRITE_LIMITS[kind], now).execute(db);
  refuseOverLimit(kind, rows[0], now);
}

/**
 * A limited write as one statement, its target read in it too: `with target (the one row the write
 * is about, or none; its boolean column \`ok\` says whether the write may go ahead), allowed (target
 * if ok), hit (the count, only when allowed), added (the write: selects from allowed and hit, with
 * the condition "within the limit" for its WHERE), logged (its audit row, selected from added)`,
 * returning \`result\` (expressions over target and added) and the count (null when not allowed);
 * no row when there is no target. The caller then runs `refuseOverLimit` on an allowed row. A
 * refused attempt within the limit's reach is counted too (the statement commits); the window does
 * not move, so the wait it is told is the same.
 */
export function limitedWrite<R>(
  kind: WriteKind,
  userId: string,
  now: Date,
  parts: { target: RawBuilder<unknown>; added: (withinLimit: RawBuilder<boolean>) => RawBuilder<unknown>; logged: RawBuilder<unknown>; result: RawBuilder<unknown> },
): RawBuilder<{ hits: number | null; window_started_at: Date | null } & R> {
  const withinLimit = sql<boolean>`hit.hits <= ${WRITE_LIMITS[kind].limit}`;
  return sql<{ hits: number | null; window_started_at: Date | null } & R>`
    with target as (${parts.target}),
    allowed as (select * from target where ok),
    hit as (${hitStatement(writeLimitKey(kind, userId), WRITE_LIMITS[kind], now, sql`allowed`)}),
    added as (${parts.added(withinLimit)}),
    logged as (${parts.logged})
    select hit.hits, hit.window_started_at, ${parts.result} from target left join hit on true`;
}

/** Throws `rate_limited` (HTTP 429) with the Chinese message when the counted hit is over the limit. */
export function refuseOverLimit(kind: WriteKind, row: { hits: number | null; window_started_at: Date | null }, now: Date): void {
  // A limitedWrite row with no count was not allowed: the caller answers that before asking this.
  if (row.hits === null || row.window_started_at === null) throw new Error(`refuseOverLimit(${kind}): the write was not counted`);
  const rule = WRITE_LIMITS[kind];
  const state = toState({ hits: row.hits, window_started_at: row.window_started_at }, rule, now);
  if (!state.allowed) {
    throw new DomainError(
      "rate_limited",
      `操作过于频繁：每 ${windowText(rule.windowSeconds)}最多${rule.what} ${rule.limit} 次，请 ${retryText(state.retryAfterSeconds)}后再试`,
    );
  }
}
