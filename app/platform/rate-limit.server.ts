import { sql, type RawBuilder } from "kysely";
import type { Executor } from "./db.server";

export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
}

export interface RateLimitState {
  hits: number;
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Counts one hit against `key` in a fixed window, atomically in PostgreSQL (one upsert), so the
 * limit holds across app servers and concurrent requests.
 */
export async function hit(db: Executor, key: string, rule: RateLimitRule, now: Date): Promise<RateLimitState> {
  const row = await hitStatement(key, rule, now).execute(db);
  return toState(row.rows[0], rule, now);
}

export interface HitRow {
  hits: number;
  window_started_at: Date;
}

/** The counting upsert of `hit`, for a command that counts and writes in one statement (a CTE). */
export function hitStatement(key: string, rule: RateLimitRule, now: Date, onlyIf?: RawBuilder<unknown>): RawBuilder<HitRow> {
  // `onlyIf`: a relation (a CTE of the same statement); nothing is counted when it has no row.
  const hit = onlyIf ? sql`select ${key}::text, ${now}::timestamptz, 1 from ${onlyIf}` : sql`values (${key}, ${now}, 1)`;
  return sql<HitRow>`
    insert into rate_limits (key, window_started_at, hits) ${hit}
    on conflict (key) do update set
      hits = case when rate_limits.window_started_at <= ${now}::timestamptz - make_interval(secs => ${rule.windowSeconds})
                  then 1 else rate_limits.hits + 1 end,
      window_started_at = case when rate_limits.window_started_at <= ${now}::timestamptz - make_interval(secs => ${rule.windowSeconds})
                  then ${now} else rate_limits.window_started_at end
    returning hits, window_started_at`;
}

/** Reads the current count without adding to it. */
export async function peek(db: Executor, key: string, rule: RateLimitRule, now: Date): Promise<RateLimitState> {
  const row = await db.selectFrom("rate_limits").select(["hits", "window_started_at"]).where("key", "=", key).executeTakeFirst();
  if (!row || row.window_started_at.getTime() <= now.getTime() - rule.windowSeconds * 1000) {
    return { hits: 0, allowed: true, retryAfterSeconds: 0 };
  }
  return toState(row, rule, now);
}

export async function reset(db: Executor, key: string): Promise<void> {
  await db.deleteFrom("rate_limits").where("key", "=", key).execute();
}

export function toState(row: HitRow, rule: RateLimitRule, now: Date): RateLimitState {
  const windowEnds = new Date(row.window_started_at).getTime() + rule.windowSeconds * 1000;
  return {
    hits: row.hits,
    allowed: row.hits <= rule.limit,
    retryAfterSeconds: Math.max(0, Math.ceil((windowEnds - now.getTime()) / 1000)),
  };
}
