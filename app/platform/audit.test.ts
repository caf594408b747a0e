import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { audit, auditInsertSelect } from "./audit.server";
import { getDb } from "./db.server";

describe("audit log", () => {
  it("appends rows with who, what, where and the request", async () => {
    const db = getDb();
    await audit(db, { userId: null, role: "admin", requestId: "req-1", ip: "203.0.113.9" }, { action: "test.thing", entityType: "thing", entityId: 42, placeId: null, summary: { after: { a: 1 } } });
    const row = await db.selectFrom("audit_log").selectAll().where("action", "=", "test.thing").executeTakeFirstOrThrow();
    expect(row).toMatchObject({ actor_role: "admin", entity_type: "thing", entity_id: "42", request_id: "req-1", ip: "203.0.113.9", summary: { after: { a: 1 } } });
    expect(row.at).toBeInstanceOf(Date);
  });

  it("is refused UPDATE, DELETE and TRUNCATE by the database itself", async () => {
    const db = getDb();
    await audit(db, { userId: null }, { action: "test.keep", entityType: "thing" });
    await expect(sql`update audit_log set action = 'changed'`.execute(db)).rejects.toThrow(/只追加/);
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/只追加/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/只追加/);
    const { count } = await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("count")).where("action", "=", "test.keep").executeTakeFirstOrThrow();
    expect(count).toBe(1);
  });

  it("writes, from inside a command's statement, the same row as audit(): one per row of the source", async () => {
    const db = getDb();
    const ctx = { userId: null, role: "officer", requestId: "req-2", ip: "198.51.100.7" };
    const entry = { action: "test.same", entityType: "thing", placeId: null, summary: { n: 1, 说明: "中文" } };
    await audit(db, ctx, { ...entry, entityId: 7 });
    await sql`with src as (select 7 as id) ${auditInsertSelect(ctx, { ...entry, entityId: sql`src.id` }, sql`src`)}`.execute(db);
    await sql`with src as (select g as id from generate_series(1, 3) g where false) ${auditInsertSelect(ctx, { ...entry, entityId: sql`src.id` }, sql`src`)}`.execute(db);
    const rows = await db
      .selectFrom("audit_log")
      .select(["actor_user_id", "actor_role", "action", "entity_type", "entity_id", "place_id", "summary", "request_id", "ip"])
      .where("action", "=", "test.same")
      .execute();
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual(rows[0]);
    expect(rows[0]).toMatchObject({ entity_id: "7", summary: { n: 1, 说明: "中文" }, ip: "198.51.100.7" });
  });
});
