import { sql } from "kysely";
import type { RetentionAction } from "../../../db/schema";
import { audit } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import { getDb, type Executor } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { fileStore, type FileStore } from "../../platform/uploads.server";

/**
 * Retention: how long each kind of record is kept lives in one table (retention_policies, seeded
 * by migration 0016, documented in docs/security.md), and a daily job purges or anonymises what is
 * past its date and writes one audit row saying what it did. The audit log and the ledger are
 * append-only and kept ("keep"); network access logs are kept by the log platform ("external").
 */

export interface RetentionPolicy {
  kind: string;
  label: string;
  days: number | null;
  action: RetentionAction;
  basis: string;
}

export async function listPolicies(db: Executor): Promise<RetentionPolicy[]> {
  return db.selectFrom("retention_policies").selectAll().orderBy("kind").execute();
}

const DAY = 86_400_000;

/** Legal or practical minimums (the table's check constraint holds the first too). */
export const MIN_DAYS: Record<string, number> = { access_logs: 180, care_targets_after_match: 365, grant_evidence: 1825 };

type Purge = (db: Executor, cutoff: Date, now: Date) => Promise<{ count: number; files?: string[] }>;

/** What each kind's policy does; a policy row without a purge here is reported as skipped. */
const PURGES: Record<string, Purge> = {
  // 重点关爱对象: three years after the last match ended (and none active), the person is anonymised:
  // name, identity number, phones, address, needs, guardian and service notes go; counts stay.
  async care_targets_after_match(db, cutoff, now) {
    const cutoffDate = cutoff.toISOString().slice(0, 10);
    const rows = await sql<{ id: string }>`
      update care_targets t set
        name = '（已匿名）', id_number_enc = '', id_number_hash = 'anonymised:' || t.id::text,
        phone_enc = null, address = '', needs = '',
        guardian_name = case when t.guardian_name is null then null else '（已匿名）' end,
        guardian_relation = null, guardian_phone_enc = null, anonymised_at = ${now}
      where t.anonymised_at is null
        and exists (select 1 from care_matches m where m.target_id = t.id)
        and not exists (select 1 from care_matches m where m.target_id = t.id and (m.status = 'active' or m.ended_on >= ${cutoffDate}::date))
      returning t.id`.execute(db);
    const ids = rows.rows.map((r) => r.id);
    if (ids.length > 0) await db.updateTable("care_services").set({ notes: "" }).where("target_id", "in", ids).execute();
    return { count: ids.length };
  },
  // Evidence files of milestone reports, ten years after the grant was closed or ended.
  async grant_evidence(db, cutoff) {
    const rows = await db
      .deleteFrom("report_evidence")
      .where("report_id", "in", (eb) =>
        eb
          .selectFrom("milestone_reports as r")
          .innerJoin("grants as g", "g.id", "r.grant_id")
          .select("r.id")
          .where((w) => w.or([w("g.closed_at", "<", cutoff), w.and([w("g.closed_at", "is", null), w("g.ended_at", "<", cutoff)])])),
      )
      .returning("storage_key")
      .execute();
    return { count: rows.length, files: rows.map((r) => r.storage_key) };
  },
  async draft_photos(db, cutoff) {
    const rows = await db.deleteFrom("issue_photos").where("issue_id", "is", null).where("created_at", "<", cutoff).returning(["storage_key", "thumb_key"]).execute();
    return { count: rows.length, files: rows.flatMap((r) => (r.thumb_key ? [r.storage_key, r.thumb_key] : [r.storage_key])) };
  },
  async sessions(db, cutoff) {
    const r = await db.deleteFrom("user_sessions").where("expires_at", "<", cutoff).executeTakeFirst();
    return { count: Number(r.numDeletedRows) };
  },
  async login_throttle(db, cutoff) {
    const r = await db.deleteFrom("rate_limits").where("window_started_at", "<", cutoff).executeTakeFirst();
    return { count: Number(r.numDeletedRows) };
  },
  async login_challenges(db, cutoff) {
    const r = await db.deleteFrom("login_challenges").where("expires_at", "<", cutoff).executeTakeFirst();
    return { count: Number(r.numDeletedRows) };
  },
};

export interface RetentionReport {
  at: string;
  done: Record<string, { action: RetentionAction; days: number; cutoff: string; count: number }>;
  kept: string[];
}

/**
 * One pass: every delete/anonymise policy applied with its cutoff (now − days), in one transaction
 * with its audit row; files of deleted rows are removed after the commit (a file without a row is
 * harmless, a row without its file would not be).
 */
export async function runRetention(clock: Clock, store: FileStore = fileStore()): Promise<RetentionReport> {
  const now = clock.now();
  const files: string[] = [];
  const report = await getDb()
    .transaction()
    .execute(async (trx) => {
      // One run at a time across app servers; a second concurrent run waits and finds nothing left.
      await sql`select pg_advisory_xact_lock(hashtext('retention'))`.execute(trx);
      const out: RetentionReport = { at: now.toISOString(), done: {}, kept: [] };
      for (const p of await listPolicies(trx)) {
        const purge = PURGES[p.kind];
        if (p.days == null || !purge || (p.action !== "delete" && p.action !== "anonymise")) {
          out.kept.push(p.kind);
          continue;
        }
        const cutoff = new Date(now.getTime() - p.days * DAY);
        const r = await purge(trx, cutoff, now);
        files.push(...(r.files ?? []));
        out.done[p.kind] = { action: p.action, days: p.days, cutoff: cutoff.toISOString(), count: r.count };
      }
      await audit(trx, { userId: null, role: "system" }, { action: "retention.run", entityType: "system", summary: { ...out } });
      return out;
    });
  for (const key of files) await store.delete(key).catch(() => {});
  return report;
}

/** Changing a period (privacy officer): never below the legal minimum the table's checks hold. */
export async function setRetentionDays(db: Executor, ctx: { userId: string | null; role?: string | null; requestId?: string | null; ip?: string | null }, kind: string, days: number): Promise<void> {
  const before = await db.selectFrom("retention_policies").select(["days", "action"]).where("kind", "=", kind).executeTakeFirst();
  if (!before || before.action === "keep") throw new DomainError("invalid", "这类记录永久保存，不能设置期限");
  const min = MIN_DAYS[kind] ?? 1;
  if (days < min || days > 36_500) throw new DomainError("invalid", `保存期限应在 ${min}–36500 天之间`, { days: `至少 ${min} 天` });
  await db.updateTable("retention_policies").set({ days }).where("kind", "=", kind).execute();
  await audit(db, ctx, { action: "retention.set", entityType: "retention_policy", entityId: kind, summary: { before: { days: before.days }, after: { days } } });
}
