import { randomUUID } from "node:crypto";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../db/schema";
import { grantWorld } from "../../tests/support/grants";
import { createUser, placeTree } from "../../tests/support/factories";
import { awardBid, lodgeObjection } from "../domain/grants/grants.server";
import { addComment, raiseIssue, supportIssue } from "../domain/issues/issues.server";
import { fixedClock } from "./clock";
import { getDb, type DB } from "./db.server";
import { DomainError, httpStatusOf } from "./errors";
import { WRITE_LIMITS, writeLimitKey } from "./write-limits.server";

const ctx = (userId: string) => ({ userId, role: null });

/** A second app server: its own connection pool to the same database. */
let otherServer: { db: Kysely<Database>; pool: pg.Pool };
let tree: Awaited<ReturnType<typeof placeTree>>;

beforeAll(async () => {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  // The file's database is dropped (with force) after the tests: an idle connection ending then is expected.
  pool.on("error", () => undefined);
  otherServer = { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
  tree = await placeTree(getDb());
});
afterAll(async () => {
  await otherServer.db.destroy();
});

async function outcome(p: Promise<unknown>): Promise<"ok" | DomainError> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
}

async function anIssue(db: DB) {
  const author = await createUser(db, { roles: [{ role: "resident", place: tree.communityA1 }] });
  const { id } = await db.transaction().execute((trx) =>
    raiseIssue(trx, ctx(author.id), author.id, { title: "楼道灯坏了没人修", description: "三单元楼道的灯坏了两个星期，晚上很黑。", category: "社区环境", placeId: tree.communityA1.id, anonymous: false, photoIds: [] }, fixedClock("2026-12-01T01:00:00Z")),
  );
  return id;
}

describe("write limits (one table: WRITE_LIMITS)", () => {
  it("are generous per person: 120 supports and 20 comments per 10 minutes, 5 objections per hour", () => {
    expect(WRITE_LIMITS.support).toMatchObject({ limit: 120, windowSeconds: 600 });
    expect(WRITE_LIMITS.comment).toMatchObject({ limit: 20, windowSeconds: 600 });
    expect(WRITE_LIMITS.objection).toMatchObject({ limit: 5, windowSeconds: 3600 });
  });

  it("refuse the 21st comment in 10 minutes with 429 and a Chinese message saying when to retry, counting across two app servers, and allow again after the window", async () => {
    const db = getDb();
    const issueId = await anIssue(db);
    const talker = await createUser(db);
    const clock = fixedClock("2026-12-01T02:00:00Z");
    // Alternate between the two servers: the count lives in PostgreSQL, not in either process.
    for (let i = 0; i < 20; i++) {
      const server = i % 2 === 0 ? db : otherServer.db;
      expect(await outcome(server.transaction().execute((trx) => addComment(trx, ctx(talker.id), talker.id, issueId, { body: `第 ${i + 1} 条意见` }, clock)))).toBe("ok");
    }
    clock.advance(4 * 60_000);
    // As the route calls it: one statement, no transaction around it.
    const refused = await outcome(addComment(otherServer.db, ctx(talker.id), talker.id, issueId, { body: "第 21 条意见" }, clock));
    expect(refused).toBeInstanceOf(DomainError);
    const e = refused as DomainError;
    expect(e.code).toBe("rate_limited");
    expect(httpStatusOf[e.code]).toBe(429);
    expect(e.message).toBe("操作过于频繁：每 10 分钟最多评论 20 次，请 6 分钟后再试");
    // The refused comment is not stored, nor audited; another person is not affected.
    const stored = await db.selectFrom("issue_comments").select("id").where("author_id", "=", talker.id).execute();
    expect(stored).toHaveLength(20);
    const audited = await db.selectFrom("audit_log").select("id").where("actor_user_id", "=", talker.id).where("action", "=", "comment.add").execute();
    expect(audited).toHaveLength(20);
    const neighbour = await createUser(db);
    expect(await outcome(db.transaction().execute((trx) => addComment(trx, ctx(neighbour.id), neighbour.id, issueId, { body: "我也同意" }, clock)))).toBe("ok");
    // After the window the talker may write again.
    clock.advance(6 * 60_000);
    expect(await outcome(db.transaction().execute((trx) => addComment(trx, ctx(talker.id), talker.id, issueId, { body: "过了十分钟再说一句" }, clock)))).toBe("ok");
  });

  it("lets exactly 20 of 30 simultaneous comments through when they arrive at two app servers at once", async () => {
    const db = getDb();
    const clock = fixedClock("2026-12-01T03:00:00Z");
    const talkers = [await createUser(db), await createUser(db)];
    const issueId = await anIssue(db);
    // Inside a caller's transaction (a refused attempt rolls back, so it is not counted), and as the
    // route calls it (one statement each; the refused attempts are counted, the stored comments are not more).
    for (const [talker, inTrx] of [[talkers[0], true], [talkers[1], false]] as const) {
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => {
          const server = i % 2 === 0 ? db : otherServer.db;
          const write = (ex: typeof db) => addComment(ex, ctx(talker.id), talker.id, issueId, { body: `并发评论 ${i}` }, clock);
          return outcome(inTrx ? server.transaction().execute(write) : write(server));
        }),
      );
      expect(results.filter((r) => r === "ok")).toHaveLength(20);
      expect(results.filter((r) => r instanceof DomainError && r.code === "rate_limited")).toHaveLength(10);
      const row = await db.selectFrom("rate_limits").select("hits").where("key", "=", writeLimitKey("comment", talker.id)).executeTakeFirstOrThrow();
      expect(row.hits).toBe(inTrx ? 20 : 30);
      expect(await db.selectFrom("issue_comments").select("id").where("author_id", "=", talker.id).execute()).toHaveLength(20);
      expect(await db.selectFrom("audit_log").select("id").where("actor_user_id", "=", talker.id).where("action", "=", "comment.add").execute()).toHaveLength(20);
    }
  });

  it("refuse the 121st support in 10 minutes (re-supporting counts too), per person", async () => {
    const db = getDb();
    const issueId = await anIssue(db);
    const r = await createUser(db, { roles: [{ role: "resident", place: tree.communityA1 }] });
    const clock = fixedClock("2026-12-01T04:00:00Z");
    for (let i = 0; i < 120; i++) {
      const server = i % 2 === 0 ? db : otherServer.db;
      expect(await outcome(server.transaction().execute((trx) => supportIssue(trx, ctx(r.id), r.id, issueId, clock)))).toBe("ok");
    }
    const refused = await outcome(supportIssue(db, ctx(r.id), r.id, issueId, clock));
    expect(refused).toMatchObject({ code: "rate_limited", message: "操作过于频繁：每 10 分钟最多附议 120 次，请 10 分钟后再试" });
    // The first of the 120 was the support; the rest were no-ops, audited once.
    const audited = await db.selectFrom("audit_log").select("id").where("actor_user_id", "=", r.id).where("action", "=", "issue.support").execute();
    expect(audited).toHaveLength(1);
    const other = await createUser(db, { roles: [{ role: "resident", place: tree.communityA1 }] });
    expect(await outcome(db.transaction().execute((trx) => supportIssue(trx, ctx(other.id), other.id, issueId, clock)))).toBe("ok");
  });

  it("refuse a 6th objection within the hour and keep no trace of it", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 10_000_000 });
    const at = fixedClock("2026-03-06T15:00:00+08:00");
    const { grantId } = await db.transaction().execute((trx) => awardBid(trx, w.ctx, { callId: w.callId, bidId: w.bids[0].id, amountFen: 1_000_000, idempotencyKey: randomUUID() }, at));
    const clock = fixedClock("2026-03-07T10:00:00+08:00");
    for (let i = 0; i < 5; i++) {
      const server = i % 2 === 0 ? db : otherServer.db;
      expect(await outcome(server.transaction().execute((trx) => lodgeObjection(trx, ctx(w.outsider.id), grantId, { reason: `第 ${i + 1} 条异议：请核实申报材料。` }, clock)))).toBe("ok");
    }
    clock.advance(30 * 60_000);
    const refused = await outcome(otherServer.db.transaction().execute((trx) => lodgeObjection(trx, ctx(w.outsider.id), grantId, { reason: "第 6 条异议：请核实申报材料。" }, clock)));
    expect(refused).toMatchObject({ code: "rate_limited", message: "操作过于频繁：每 1 小时最多异议 5 次，请 30 分钟后再试" });
    const stored = await db.selectFrom("grant_objections").select("id").where("author_id", "=", w.outsider.id).execute();
    expect(stored).toHaveLength(5);
    // Another resident may still object.
    expect(await outcome(db.transaction().execute((trx) => lodgeObjection(trx, ctx(w.resident.id), grantId, { reason: "合作方并不知情，请核实。" }, clock)))).toBe("ok");
  });
});
