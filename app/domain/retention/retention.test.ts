import { describe, expect, it } from "vitest";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import type { FileStore } from "../../platform/uploads.server";
import { createUser, placeTree } from "../../../tests/support/factories";
import { listPolicies, runRetention, setRetentionDays } from "./retention.server";

const NOW = "2026-11-24T01:00:00Z";
const daysAgo = (n: number) => new Date(new Date(NOW).getTime() - n * 86_400_000);

function memoryStore(): FileStore & { deleted: string[] } {
  const deleted: string[] = [];
  return { deleted, put: async () => "x", get: async () => null, delete: async (k) => void deleted.push(k) };
}

describe("retention periods", () => {
  it("are one table: every kind has a period or is kept, access logs at least six months, audit log and ledger kept", async () => {
    const policies = await listPolicies(getDb());
    const by = Object.fromEntries(policies.map((p) => [p.kind, p]));
    expect(Object.keys(by).sort()).toEqual(
      ["access_logs", "audit_log", "care_targets_after_match", "draft_photos", "grant_evidence", "ledger", "login_challenges", "login_throttle", "sessions"].sort(),
    );
    expect(by.access_logs.days).toBeGreaterThanOrEqual(180);
    expect(by.audit_log).toMatchObject({ action: "keep", days: null });
    expect(by.ledger).toMatchObject({ action: "keep", days: null });
    await expect(getDb().updateTable("retention_policies").set({ days: 90 }).where("kind", "=", "access_logs").execute()).rejects.toThrow(/check/);
  });

  it("refuses a period below the minimum, and logs a change", async () => {
    const db = getDb();
    await expect(setRetentionDays(db, { userId: null }, "access_logs", 30)).rejects.toThrow(/180/);
    await expect(setRetentionDays(db, { userId: null }, "audit_log", 30)).rejects.toThrow(/永久保存/);
    await setRetentionDays(db, { userId: null }, "sessions", 14);
    const row = await db.selectFrom("audit_log").select("summary").where("action", "=", "retention.set").executeTakeFirstOrThrow();
    expect(row.summary).toMatchObject({ before: { days: 7 }, after: { days: 14 } });
    await setRetentionDays(db, { userId: null }, "sessions", 7);
  });
});

describe("the daily retention run, with a fixed clock", () => {
  it("purges sessions, throttle rows, challenges and draft photos past their date, keeps the rest, and audits what it did", async () => {
    const db = getDb();
    const user = await createUser(db);
    const session = (id: string, expires: Date) => ({ id, user_id: user.id, expires_at: expires, created_at: daysAgo(40), ip: "203.0.113.1", user_agent: null });
    await db.insertInto("user_sessions").values([session("old", daysAgo(8)), session("recent", daysAgo(6)), session("live", daysAgo(-10))]).execute();
    await db.insertInto("rate_limits").values([{ key: "login:ip:old", window_started_at: daysAgo(3), hits: 2 }, { key: "login:ip:new", window_started_at: daysAgo(0), hits: 2 }]).execute();
    await db.insertInto("login_challenges").values([{ id: "c-old", user_id: user.id, expires_at: daysAgo(2) }, { id: "c-new", user_id: user.id, expires_at: daysAgo(-1) }]).execute();
    const photo = (key: string, created: Date) => ({ issue_id: null, uploader_id: user.id, storage_key: key, content_type: "image/jpeg" as const, byte_size: 10, original_name: "a.jpg", created_at: created });
    await db.insertInto("issue_photos").values([photo("a".repeat(32), daysAgo(3)), photo("b".repeat(32), daysAgo(1))]).execute();
    const auditBefore = Number((await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirstOrThrow()).n);

    const store = memoryStore();
    const report = await runRetention(fixedClock(NOW), store);

    expect((await db.selectFrom("user_sessions").select("id").orderBy("id").execute()).map((r) => r.id)).toEqual(["live", "recent"]);
    expect((await db.selectFrom("rate_limits").select("key").execute()).map((r) => r.key)).toEqual(["login:ip:new"]);
    expect((await db.selectFrom("login_challenges").select("id").execute()).map((r) => r.id)).toEqual(["c-new"]);
    expect((await db.selectFrom("issue_photos").select("storage_key").execute()).map((r) => r.storage_key)).toEqual(["b".repeat(32)]);
    expect(store.deleted).toEqual(["a".repeat(32)]);
    expect(report.done.sessions).toMatchObject({ count: 1, days: 7 });
    expect(report.done.login_throttle.count).toBe(1);
    expect(report.done.draft_photos.count).toBe(1);
    expect(report.kept.sort()).toEqual(["access_logs", "audit_log", "ledger"]);

    // the audit log is kept, and gains exactly one row describing the run
    const after = await db.selectFrom("audit_log").select(["action", "summary", "actor_role"]).orderBy("id").execute();
    expect(after.length).toBe(auditBefore + 1);
    expect(after.at(-1)).toMatchObject({ action: "retention.run", actor_role: "system", summary: { done: { sessions: { count: 1 } } } });

    // a second run the same day finds nothing more
    const again = await runRetention(fixedClock(NOW), store);
    expect(Object.values(again.done).every((d) => d.count === 0)).toBe(true);
  });

  it("anonymises a care target three years after its last match ended, not one still matched or ended recently", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const officer = await createUser(db);
    const carer = await createUser(db);
    const target = async (name: string) =>
      (
        await db
          .insertInto("care_targets")
          .values({
            place_id: t.communityA1.id, name, id_number_enc: `enc-${name}`, id_number_hash: `hash-${name}`, sex: "female", birth_year: 1940,
            phone_enc: "enc-phone", address: "某路 1 号", groups: ["elderly_alone"], needs: "需要陪伴", guardian_name: null, guardian_relation: null,
            guardian_phone_enc: null, source: "referral", consent_by: "本人", consent_on: "2022-01-01", consent_method: "written",
            minor_at_referral: false, referred_on: "2022-01-01", import_batch_id: null, created_by: officer.id,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    const match = async (targetId: string, endedOn: string | null) =>
      (
        await db
          .insertInto("care_matches")
          .values({ target_id: targetId, carer_kind: "volunteer", user_id: carer.id, organisation_id: null, status: endedOn ? "ended" : "active", started_on: "2022-02-01", ended_on: endedOn, created_by: officer.id })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    const old = await target("老甲");
    const oldMatch = await match(old, "2023-06-30");
    await db.insertInto("care_services").values({ target_id: old, match_id: oldMatch, logged_by: carer.id, served_on: "2023-01-05", kind: "visit", duration_minutes: 30, notes: "谈到女儿在外地", follow_up: false }).execute();
    const recent = await target("近乙");
    await match(recent, "2025-01-10");
    const active = await target("在丙");
    await match(active, "2022-03-01");
    await match(active, null);
    const never = await target("未丁");

    const report = await runRetention(fixedClock(NOW), memoryStore());
    expect(report.done.care_targets_after_match.count).toBe(1);
    const rows = await db.selectFrom("care_targets").select(["id", "name", "phone_enc", "address", "needs", "anonymised_at", "birth_year"]).execute();
    const by = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(by[old]).toMatchObject({ name: "（已匿名）", phone_enc: null, address: "", needs: "", birth_year: 1940 });
    expect(by[old].anonymised_at).not.toBeNull();
    for (const id of [recent, active, never]) expect(by[id].anonymised_at).toBeNull();
    const notes = await db.selectFrom("care_services").select("notes").where("target_id", "=", old).execute();
    expect(notes.map((n) => n.notes)).toEqual([""]);
  });
});
