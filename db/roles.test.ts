import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { sealAuditLog, verifyChains } from "../app/domain/integrity/chains.server";
import { appendLedgerEntry, lockPool } from "../app/domain/ledger/ledger.server";
import { createPool } from "../app/domain/pools/pools.server";
import { audit } from "../app/platform/audit.server";
import { databaseUrl, getDb } from "../app/platform/db.server";
import { createUser, placeTree, scoped } from "../tests/support/factories";
import type { Database } from "./schema";
import { APP_ROLE, OWNER_ROLE, ensureRoles, grantAppPrivileges, userOf, withUser } from "./roles";

// The same password the e2e server gives these roles on a shared test cluster.
const PASSWORD = "linli-e2e-roles";
let app: Kysely<Database>;
let poolId: string;
let userId: string;

async function refusal(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error("expected a refusal");
}

beforeAll(async () => {
  // Roles are cluster-wide and test files run in parallel: five at once must all succeed.
  await Promise.all(Array.from({ length: 5 }, () => ensureRoles(inject("adminUrl"), [{ name: OWNER_ROLE, password: PASSWORD }, { name: APP_ROLE, password: PASSWORD }])));
  await grantAppPrivileges(databaseUrl(), APP_ROLE, userOf(databaseUrl()));
  app = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: withUser(databaseUrl(), APP_ROLE, PASSWORD), max: 3 }) }) });
  const db = getDb();
  const t = await placeTree(db);
  const officer = await createUser(db, { name: "权限测试官员", roles: [{ role: "officer", place: t.city }] });
  userId = officer.id;
  const pool = await db.transaction().execute((trx) =>
    createPool(trx, { userId }, { roles: [scoped("officer", t.city)] }, { placeId: t.city.id, name: "权限测试资金池", source: "市福彩公益金", total: 1_000_000, periodStart: "2026-01-01", periodEnd: "2026-12-31" }),
  );
  poolId = pool.id;
});

afterAll(async () => {
  await app?.destroy();
});

describe("the app's database role (least privilege)", () => {
  it("connects as linli_app, not as the owner or a superuser", async () => {
    const { rows } = await sql<{ who: string; su: boolean }>`select current_user as who, usesuper as su from pg_user where usename = current_user`.execute(app);
    expect(rows[0]).toEqual({ who: APP_ROLE, su: false });
  });

  it("does its normal work: reads, writes, audits, and appends to the ledger (sealed into the chain)", async () => {
    await app.transaction().execute(async (trx) => {
      await trx.updateTable("users").set({ display_name: "权限测试官员（改名）" }).where("id", "=", userId).execute();
      await audit(trx, { userId }, { action: "test.app_role", entityType: "user", entityId: userId });
      await lockPool(trx, poolId);
      await appendLedgerEntry(trx, { userId }, { poolId, grantId: null, kind: "topup", amountFen: 500, reason: "以应用角色注资" });
    });
    await app.deleteFrom("rate_limits").where("key", "=", "nothing").execute();
    const row = await app.selectFrom("ledger_entries").select(["chain_seq", "row_hash"]).where("reason", "=", "以应用角色注资").executeTakeFirstOrThrow();
    expect(row.chain_seq).not.toBeNull();
    // The sealing job runs as this role too: the function is the owner's, so no UPDATE grant is needed.
    expect((await sealAuditLog(app)).sealed).toBeGreaterThanOrEqual(1);
    const audited = await app.selectFrom("audit_log").select("chain_seq").where("action", "=", "test.app_role").executeTakeFirstOrThrow();
    expect(audited.chain_seq).not.toBeNull();
    expect((await verifyChains(app)).map((r) => r.break)).toEqual([null, null]);
  });

  for (const table of ["audit_log", "ledger_entries"] as const) {
    it(`is refused UPDATE, DELETE and TRUNCATE on ${table} by missing privileges (before any trigger runs)`, async () => {
      for (const statement of [`update ${table} set id = id`, `delete from ${table}`, `truncate ${table} cascade`]) {
        const e = await refusal(sql.raw(statement).execute(app));
        expect(e.code).toBe("42501");
        expect(e.message).toMatch(new RegExp(`permission denied for table ${table}`));
      }
    });
  }

  it("cannot change the schema or the migration bookkeeping", async () => {
    expect((await refusal(sql`create table sneaky (id int)`.execute(app))).message).toMatch(/permission denied for schema public/);
    expect((await refusal(sql`alter table audit_log disable trigger audit_log_append_only`.execute(app))).message).toMatch(/must be owner/);
    expect((await refusal(sql`delete from kysely_migration`.execute(app))).code).toBe("42501");
  });
});
