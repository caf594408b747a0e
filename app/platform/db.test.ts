import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { fixedQuery, getDb, prepared } from "./db.server";

/** The statements this file's tests prepared on the connection the work runs on (name → text). */
async function preparedAfter(work: (db: ReturnType<typeof getDb>) => Promise<unknown>, prefix = "test_"): Promise<Record<string, string>> {
  return getDb()
    .connection()
    .execute(async (conn) => {
      await work(conn);
      const { rows } = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements where starts_with(name, ${prefix})`.execute(conn);
      return Object.fromEntries(rows.map((r) => [r.name, r.statement]));
    });
}

describe("prepared statements", () => {
  it("runs a marked query as a named statement, with each call's values, and leaves other queries unnamed", async () => {
    const statements = await preparedAfter(async (db) => {
      const byKey = (n: number) => prepared("test_place_by_id", db.selectFrom("places").select("id").where("id", "=", n));
      const none = await byKey(-1).executeTakeFirst();
      expect(none).toBeUndefined();
      const place = await db.selectFrom("places").select("id").orderBy("id").limit(1).executeTakeFirst();
      if (place) expect(await byKey(place.id).executeTakeFirst()).toEqual({ id: place.id });
      await db.selectFrom("places").select("name").where("id", "=", -2).execute();
      const raw = (n: number) => prepared("test_raw", sql<{ n: number }>`select ${n}::int + 1 as n`, db);
      expect((await raw(1).execute(db)).rows).toEqual([{ n: 2 }]);
      expect((await raw(41).execute(db)).rows).toEqual([{ n: 42 }]);
    });
    expect(Object.keys(statements).sort()).toEqual(["test_place_by_id", "test_raw"]);
    expect(statements.test_place_by_id).toMatch(/where "id" = \$1/);
  });

  it("sends everything unnamed with DATABASE_PREPARED_STATEMENTS=off (a pooler that cannot keep them), even a name registered before", async () => {
    const query = (db: ReturnType<typeof getDb>, n: number) => db.selectFrom("places").select("id").where("id", "=", n);
    // Registered while on (not run yet), then run with the switch off.
    prepared("test_switch_before", query(getDb(), 3));
    process.env.DATABASE_PREPARED_STATEMENTS = "off";
    try {
      const statements = await preparedAfter(async (db) => {
        await prepared("test_switch_before", query(db, 3)).execute();
        await prepared("test_switch_after", query(db, 4)).execute();
      }, "test_switch");
      expect(statements).toEqual({});
    } finally {
      delete process.env.DATABASE_PREPARED_STATEMENTS;
    }
    // Switched back on, the name registered before is used again.
    expect(Object.keys(await preparedAfter(async (db) => prepared("test_switch_before", query(db, 3)).execute(), "test_switch"))).toEqual(["test_switch_before"]);
  });

  it("keeps the first text under a name: a query of another shape given the same name runs unnamed and correctly", async () => {
    const statements = await preparedAfter(async (db) => {
      await prepared("test_shape", db.selectFrom("places").select("id").where("id", "=", 1)).execute();
      const other = await prepared("test_shape", db.selectFrom("places").select(["id", "name"]).where("id", "in", [1, 2])).execute();
      expect(Array.isArray(other)).toBe(true);
    });
    expect(statements.test_shape).toBeDefined();
    expect(statements.test_shape).not.toMatch(/"name"/);
  });
});

describe("fixedQuery", () => {
  it("compiles once and binds each call's values, keeps the builder's own constants, and runs as its named statement", async () => {
    const sum = fixedQuery("test_fixed_sum", (db, a: number, b: number, label: string) =>
      db.selectNoFrom([sql<number>`${a}::int + ${b}::int`.as("sum"), sql<number>`${7}::int`.as("seven"), sql<string>`${label}::text`.as("label")]),
    );
    const statements = await preparedAfter(async (db) => {
      expect((await sum(db, 1, 2, "甲")).rows).toEqual([{ sum: 3, seven: 7, label: "甲" }]);
      expect((await sum(db, 40, 2, "乙")).rows).toEqual([{ sum: 42, seven: 7, label: "乙" }]);
    });
    expect(statements.test_fixed_sum).toMatch(/\$1::int \+ \$2::int/);
    // In a transaction too.
    expect((await getDb().transaction().execute((trx) => sum(trx, 5, 5, "丙"))).rows).toEqual([{ sum: 10, seven: 7, label: "丙" }]);
  });

  it("refuses, at its first call, an argument that is not a value of the query", async () => {
    const unused = fixedQuery("test_fixed_unused", (db, _id: number) => db.selectFrom("places").select("id").limit(1));
    expect(() => unused(getDb(), 1)).toThrow(/every argument/);
    const inText = fixedQuery("test_fixed_text", (db, column: string) => db.selectFrom("places").select(sql.ref(column).as("x")).limit(1));
    expect(() => inText(getDb(), "name")).toThrow(/every argument/);
    const altered = fixedQuery("test_fixed_altered", (db, prefix: string) => db.selectFrom("places").select("id").where("name", "like", `${prefix}%`));
    expect(() => altered(getDb(), "甲")).toThrow(/every argument/);
  });
});
