import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { audit } from "./audit.server";
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
});
