import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { describe, expect, it } from "vitest";
import type { Database, LedgerKind, PlaceLevel } from "../../../db/schema";
import { grantWorld } from "../../../tests/support/grants";
import { fixedClock } from "../../platform/clock";
import { databaseUrl, getDb } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { startJobRunner } from "../../platform/jobs.server";
import { transitionIssue } from "../issues/issues.server";
import { grantBalance, poolBalance } from "../ledger/ledger.server";
import {
  answerObjection,
  approveDisbursement,
  awardBid,
  closeDueEvaluations,
  endGrant,
  establishDueGrants,
  evaluateGrant,
  liaisonReview,
  lodgeObjection,
  officerDecideReport,
  requestDisbursement,
  runDueGrantTransitions,
  submitReport,
} from "./grants.server";
import { listRecentGrants } from "./queries.server";
import type { ReportInput } from "./schema";

process.env.UPLOAD_DIR = path.join(os.tmpdir(), `lsw-grant-uploads-${process.pid}`);

// Friday 2026-03-06 15:00 in Shanghai: five working days of 公示 end at 24:00 on Friday 2026-03-13.
const AWARDED = "2026-03-06T15:00:00+08:00";
const PUBLICITY_OVER = "2026-03-14T00:00:00+08:00";

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

const report: ReportInput = {
  narrative: "完成楼道灯点位摸排并安装第一批灯具。",
  beneficiaryCount: 120,
  beneficiaryGroup: "楼栋居民",
  inKindReceived: "太阳能庭院灯 10 盏",
  activities: [{ date: "2026-04-10", description: "点位摸排" }],
  spending: [{ category: "物资", description: "楼道灯", amountFen: 300_000 }],
};

type World = Awaited<ReturnType<typeof grantWorld>>;

async function award(w: World, i = 0, amountFen = 1_000_000, at = AWARDED) {
  const db = getDb();
  return db.transaction().execute((trx) => awardBid(trx, w.ctx, { callId: w.callId, bidId: w.bids[i].id, amountFen, idempotencyKey: randomUUID() }, fixedClock(at)));
}

/** Award, 公示 over, established; then every milestone reported, forwarded and approved. */
async function deliveredGrant(w: World, amountFen = 1_000_000) {
  const db = getDb();
  const { grantId } = await award(w, 0, amountFen);
  await establishDueGrants(db, fixedClock(PUBLICITY_OVER));
  const milestones = await db.selectFrom("grant_milestones").select("position").where("grant_id", "=", grantId).orderBy("position").execute();
  const clock = fixedClock("2026-05-01T10:00:00+08:00");
  for (const m of milestones) {
    const r = await db.transaction().execute((trx) => submitReport(trx, w.bids[0].memberCtx, grantId, m.position, report, [], clock));
    await db.transaction().execute((trx) => liaisonReview(trx, w.liaisonCtx, r.id, { decision: "forward", comment: "材料齐全" }, clock));
    await db.transaction().execute((trx) => officerDecideReport(trx, w.ctx, r.id, { decision: "approve", comment: "" }, clock));
  }
  return grantId;
}

describe("awards commit money from the pool", () => {
  it("never commits more than the pool holds when 50 officers award at once over separate connections; every refusal says why", async () => {
    const w = await grantWorld(getDb(), { poolFen: 10_000_000, bids: 50, requestedFen: 700_000 });
    const wide = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl(), max: 30 }) }) });
    const clock = fixedClock(AWARDED);
    try {
      const outcomes = await Promise.all(
        w.bids.map((b, i) =>
          wide
            .transaction()
            .execute((trx) => awardBid(trx, w.ctx, { callId: w.callId, bidId: b.id, amountFen: [300_000, 500_000, 700_000][i % 3], idempotencyKey: randomUUID() }, clock))
            .then(() => ({ ok: true as const, i }))
            .catch((e: unknown) => ({ ok: false as const, i, e })),
        ),
      );
      const granted = outcomes.filter((o) => o.ok);
      const refused = outcomes.filter((o) => !o.ok);
      const balance = await poolBalance(getDb(), w.poolId);
      const grants = await getDb().selectFrom("grants").select(["id", "amount_fen"]).where("call_id", "=", w.callId).execute();
      const committed = grants.reduce((s, g) => s + g.amount_fen, 0);

      expect(granted.length).toBeGreaterThan(0);
      expect(refused.length).toBeGreaterThan(0);
      expect(grants).toHaveLength(granted.length);
      expect(committed).toBeLessThanOrEqual(10_000_000);
      expect(balance).toEqual({ total: 10_000_000, committed, disbursed: 0, available: 10_000_000 - committed });
      for (const r of refused) {
        expect(r.e).toBeInstanceOf(DomainError);
        expect((r.e as DomainError).message).toMatch(/^资金池余额不足：可用 [\d,]+\.\d{2} 元，需 [\d,]+\.\d{2} 元$/);
      }
      // A refused award leaves nothing behind: no grant, no milestones.
      const orphanMilestones = await getDb()
        .selectFrom("grant_milestones")
        .select("grant_id")
        .where(
          "grant_id",
          "not in",
          grants.map((g) => g.id),
        )
        .execute();
      expect(orphanMilestones).toEqual([]);
    } finally {
      await wide.destroy();
    }
  });

  it("awards at most the requested amount, splits tranches in exact 分, and a double-submitted form awards once", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 10_000_000, bids: 1, requestedFen: 1_000_000, tranches: [33, 33, 34] });
    const tooMuch = await refusal(award(w, 0, 1_000_001));
    expect(tooMuch.message).toBe("资助金额不能超过申请金额 10,000.00 元");
    const key = randomUUID();
    const input = { callId: w.callId, bidId: w.bids[0].id, amountFen: 999_999, idempotencyKey: key };
    const [a, b] = await Promise.all([
      db.transaction().execute((trx) => awardBid(trx, w.ctx, input, fixedClock(AWARDED))),
      db.transaction().execute((trx) => awardBid(trx, w.ctx, input, fixedClock(AWARDED))),
    ]);
    expect(a.grantId).toBe(b.grantId);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    const tranches = await db.selectFrom("grant_milestones").select("tranche_fen").where("grant_id", "=", a.grantId).orderBy("position").execute();
    expect(tranches.map((t) => t.tranche_fen)).toEqual([329_999, 329_999, 340_001]);
    expect(await grantBalance(db, a.grantId)).toEqual({ awarded: 999_999, disbursed: 0, remaining: 999_999 });
  });
});

describe("公示 and objections", () => {
  it("counts 公示 in working days across the weekend (fixed clock): not established on Monday, established after the fifth working day", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 10_000_000 });
    const { grantId } = await award(w);
    const g = await db.selectFrom("grants").select("publicity_ends_at").where("id", "=", grantId).executeTakeFirstOrThrow();
    expect(g.publicity_ends_at.toISOString()).toBe(new Date(PUBLICITY_OVER).toISOString());
    expect(await establishDueGrants(db, fixedClock("2026-03-09T10:00:00+08:00"))).not.toContain(grantId);
    expect(await establishDueGrants(db, fixedClock("2026-03-13T23:59:59+08:00"))).not.toContain(grantId);
    expect(await establishDueGrants(db, fixedClock(PUBLICITY_OVER))).toContain(grantId);
    const issue = await db.selectFrom("issues").select("status").where("id", "=", w.issueId).executeTakeFirstOrThrow();
    expect(issue.status).toBe("in_progress");
    const notified = await db.selectFrom("notifications").select("title").where("user_id", "=", w.bids[0].member.id).where("kind", "=", "grant.established").execute();
    expect(notified).toHaveLength(1);
  });

  it("an open objection holds the grant after the period; dismissed, it is established at the next run", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 10_000_000 });
    const { grantId } = await award(w);
    const { id } = await db.transaction().execute((trx) => lodgeObjection(trx, { ...w.ctx, userId: w.outsider.id }, grantId, { reason: "该组织去年项目未按期完成，请核实。" }, fixedClock("2026-03-10T10:00:00+08:00")));
    expect(await establishDueGrants(db, fixedClock(PUBLICITY_OVER))).not.toContain(grantId);
    const late = await refusal(db.transaction().execute((trx) => lodgeObjection(trx, w.ctx, grantId, { reason: "公示期结束后才提出的异议。" }, fixedClock(PUBLICITY_OVER))));
    expect(late.message).toBe("公示期已结束，不能再提出异议");
    await db.transaction().execute((trx) => answerObjection(trx, w.ctx, id, { decision: "dismiss", reply: "经核实，该组织去年项目已按期结项。" }, fixedClock("2026-03-16T10:00:00+08:00")));
    expect(await establishDueGrants(db, fixedClock("2026-03-16T10:01:00+08:00"))).toContain(grantId);
  });

  it("an upheld objection withdraws the award and releases its commitment by a ledger row; the next-ranked bid can be awarded", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 1_500_000, bids: 2, requestedFen: 1_000_000 });
    const { grantId } = await award(w, 0);
    expect(await refusal(award(w, 1))).toMatchObject({ message: "资金池余额不足：可用 5,000.00 元，需 10,000.00 元" });
    const { id } = await db.transaction().execute((trx) => lodgeObjection(trx, { ...w.ctx, userId: w.resident.id }, grantId, { reason: "申报材料中的合作方并不知情。" }, fixedClock(AWARDED)));
    await db.transaction().execute((trx) => answerObjection(trx, w.ctx, id, { decision: "uphold", reply: "经核实异议成立，撤销资助。" }, fixedClock(AWARDED)));

    const g = await db.selectFrom("grants").select(["status", "ended_reason"]).where("id", "=", grantId).executeTakeFirstOrThrow();
    expect(g).toEqual({ status: "withdrawn", ended_reason: "异议成立：经核实异议成立，撤销资助。" });
    const rows = await db.selectFrom("ledger_entries").select(["kind", "amount_fen"]).where("grant_id", "=", grantId).orderBy("id").execute();
    expect(rows).toEqual([
      { kind: "commit", amount_fen: 1_000_000 },
      { kind: "release", amount_fen: 1_000_000 },
    ]);
    expect(await poolBalance(db, w.poolId)).toMatchObject({ committed: 0, available: 1_500_000 });
    expect(await establishDueGrants(db, fixedClock(PUBLICITY_OVER))).not.toContain(grantId);
    await expect(award(w, 0)).rejects.toThrow("该申报书已经确定过资助");
    const next = await award(w, 1);
    expect(await grantBalance(db, next.grantId)).toMatchObject({ awarded: 1_000_000 });
  });
});

describe("the scheduled job", () => {
  it("establishes each grant exactly once when two app servers run it at the same moment", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 10_000_000, bids: 8, requestedFen: 100_000 });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await award(w, i, 100_000)).grantId);
    const servers = [0, 1].map(() => new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: databaseUrl(), max: 3 }) }) }));
    try {
      const [a, b] = await Promise.all(servers.map((s) => establishDueGrants(s, fixedClock(PUBLICITY_OVER))));
      expect([...a, ...b].filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
      expect(a.filter((id) => b.includes(id))).toEqual([]);
      const events = await db.selectFrom("grant_events").select("grant_id").where("kind", "=", "established").where("grant_id", "in", ids).execute();
      expect(events).toHaveLength(8);
      const issueEvents = await db.selectFrom("issue_events").select("id").where("issue_id", "=", w.issueId).where("to_status", "=", "in_progress").execute();
      expect(issueEvents).toHaveLength(1);
    } finally {
      await Promise.all(servers.map((s) => s.destroy()));
    }
  });

  it("runs a due tick once with two pg-boss workers on the same database", async () => {
    let runs = 0;
    const quiet = () => {};
    const job = {
      name: "grants-due-test",
      cron: "0 3 * * *",
      run: async () => {
        runs++;
        await new Promise((r) => setTimeout(r, 300));
      },
    };
    const a = await startJobRunner(databaseUrl(), [job], quiet, { pollingIntervalSeconds: 0.5, schedule: false });
    const b = await startJobRunner(databaseUrl(), [job], quiet, { pollingIntervalSeconds: 0.5, schedule: false });
    try {
      // Both servers' clocks fire for the same minute: pg-boss keeps one job per singleton key and slot.
      const sent = await Promise.all([a, b].map((r) => r.boss.send(job.name, {}, { singletonKey: job.name, singletonSeconds: 60 })));
      expect(sent.filter(Boolean)).toHaveLength(1);
      for (let i = 0; i < 40 && runs === 0; i++) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1500));
      expect(runs).toBe(1);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe("delivery and money", () => {
  it("pays a tranche only after the officer approved its milestone (not after the liaison alone)", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 10_000_000 });
    const { grantId } = await award(w);
    const early = await refusal(db.transaction().execute((trx) => requestDisbursement(trx, w.ctx, { grantId, position: 1, paymentReference: "PAY-0001", idempotencyKey: randomUUID() }, fixedClock(AWARDED))));
    expect(early.message).toBe("项目当前为「公示中」，不能拨付");
    await establishDueGrants(db, fixedClock(PUBLICITY_OVER));
    const clock = fixedClock("2026-05-01T10:00:00+08:00");
    const r = await db.transaction().execute((trx) => submitReport(trx, w.bids[0].memberCtx, grantId, 1, report, [], clock));
    await db.transaction().execute((trx) => liaisonReview(trx, w.liaisonCtx, r.id, { decision: "forward", comment: "" }, clock));
    const pay = () => db.transaction().execute((trx) => requestDisbursement(trx, w.ctx, { grantId, position: 1, paymentReference: "PAY-0001", idempotencyKey: "pay-key-0001" }, clock));
    expect((await refusal(pay())).message).toBe("里程碑报告审批通过后才能拨付该期款项");
    await db.transaction().execute((trx) => officerDecideReport(trx, w.ctx, r.id, { decision: "approve", comment: "" }, clock));
    const [first, again] = [await pay(), await pay()];
    expect(first).toMatchObject({ status: "paid", replayed: false });
    expect(again).toMatchObject({ id: first.id, replayed: true });
    expect(await grantBalance(db, grantId)).toEqual({ awarded: 1_000_000, disbursed: 300_000, remaining: 700_000 });
    const unpaid = await refusal(db.transaction().execute((trx) => requestDisbursement(trx, w.ctx, { grantId, position: 2, paymentReference: "PAY-0002", idempotencyKey: randomUUID() }, clock)));
    expect(unpaid.message).toBe("里程碑报告审批通过后才能拨付该期款项");
  });

  it("two-person rule: above the pool's threshold a payment waits for a different officer before it reaches the ledger", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 10_000_000, thresholdFen: 500_000, tranches: [40, 60] });
    const grantId = await deliveredGrant(w);
    const clock = fixedClock("2026-06-01T10:00:00+08:00");
    const small = await db.transaction().execute((trx) => requestDisbursement(trx, w.ctx, { grantId, position: 1, paymentReference: "PAY-1", idempotencyKey: randomUUID() }, clock));
    expect(small.status).toBe("paid");
    const big = await db.transaction().execute((trx) => requestDisbursement(trx, w.ctx, { grantId, position: 2, paymentReference: "PAY-2", idempotencyKey: randomUUID() }, clock));
    expect(big.status).toBe("pending");
    expect((await grantBalance(db, grantId)).disbursed).toBe(400_000);
    const self = await refusal(db.transaction().execute((trx) => approveDisbursement(trx, w.ctx, big.id, clock)));
    expect(self.message).toBe("两人审批：拨付申请须由另一位工作人员审批");
    await db.transaction().execute((trx) => approveDisbursement(trx, w.ctx2, big.id, clock));
    const row = await db.selectFrom("disbursements").select(["status", "approved_by", "ledger_entry_id"]).where("id", "=", big.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "paid", approved_by: w.officer2.id });
    const entry = await db.selectFrom("ledger_entries").select(["kind", "amount_fen", "payment_reference", "actor_user_id"]).where("id", "=", row.ledger_entry_id!).executeTakeFirstOrThrow();
    expect(entry).toEqual({ kind: "disburse", amount_fen: 600_000, payment_reference: "PAY-2", actor_user_id: w.officer2.id });
    expect(await grantBalance(db, grantId)).toEqual({ awarded: 1_000_000, disbursed: 1_000_000, remaining: 0 });
    // The database itself refuses a payment approved by the officer who requested it.
    await expect(sql`update disbursements set approved_by = requested_by where id = ${big.id}`.execute(db)).rejects.toThrow(/check/);
  });

  it("suspension releases the undisbursed commitment to the pool", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 10_000_000 });
    const { grantId } = await award(w);
    await establishDueGrants(db, fixedClock(PUBLICITY_OVER));
    const clock = fixedClock("2026-05-01T10:00:00+08:00");
    const r = await db.transaction().execute((trx) => submitReport(trx, w.bids[0].memberCtx, grantId, 1, report, [], clock));
    await db.transaction().execute((trx) => liaisonReview(trx, w.liaisonCtx, r.id, { decision: "forward", comment: "" }, clock));
    await db.transaction().execute((trx) => officerDecideReport(trx, w.ctx, r.id, { decision: "approve", comment: "" }, clock));
    await db.transaction().execute((trx) => requestDisbursement(trx, w.ctx, { grantId, position: 1, paymentReference: "PAY-1", idempotencyKey: randomUUID() }, clock));
    const { releasedFen } = await db.transaction().execute((trx) => endGrant(trx, w.ctx, grantId, { to: "suspended", reason: "承接组织负责人变更，项目停滞。", idempotencyKey: randomUUID() }, clock));
    expect(releasedFen).toBe(700_000);
    expect(await grantBalance(db, grantId)).toEqual({ awarded: 300_000, disbursed: 300_000, remaining: 0 });
    expect(await poolBalance(db, w.poolId)).toEqual({ total: 10_000_000, committed: 300_000, disbursed: 300_000, available: 9_700_000 });
  });

  it("balances agree with a recomputation from scratch over every raw ledger row", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 5_000_000, bids: 3, requestedFen: 1_000_000, thresholdFen: 100_000_000 });
    const g1 = await deliveredGrant(w);
    const clock = fixedClock("2026-06-01T10:00:00+08:00");
    await db.transaction().execute((trx) => requestDisbursement(trx, w.ctx, { grantId: g1, position: 1, paymentReference: "R-1", idempotencyKey: randomUUID() }, clock));
    const g2 = (await award(w, 1, 800_000)).grantId;
    await db.transaction().execute((trx) => endGrant(trx, w.ctx, g2, { to: "terminated", reason: "组织主动退出。", idempotencyKey: randomUUID() }, clock));
    const g3 = (await award(w, 2, 650_000)).grantId;

    const rows = await db.selectFrom("ledger_entries").select(["pool_id", "grant_id", "kind", "amount_fen"]).where("pool_id", "=", w.poolId).execute();
    const sum = (kind: LedgerKind, grantId?: string) => rows.filter((r) => r.kind === kind && (!grantId || r.grant_id === grantId)).reduce((s, r) => s + r.amount_fen, 0);
    const committed = sum("commit") - sum("release");
    expect(await poolBalance(db, w.poolId)).toEqual({ total: sum("topup"), committed, disbursed: sum("disburse") - sum("refund"), available: sum("topup") - committed });
    for (const g of [g1, g2, g3]) {
      const awarded = sum("commit", g) - sum("release", g);
      const disbursed = sum("disburse", g) - sum("refund", g);
      expect(await grantBalance(db, g)).toEqual({ awarded, disbursed, remaining: awarded - disbursed });
    }
    expect(await poolBalance(db, w.poolId)).toEqual({ total: 5_000_000, committed: 1_650_000, disbursed: 300_000, available: 3_350_000 });
  });
});

describe("evaluation and closing (群众评价 → 办结)", () => {
  it("lets each verified resident of the issues' community evaluate once; others are refused", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 10_000_000 });
    const grantId = await deliveredGrant(w);
    const clock = fixedClock("2026-05-02T10:00:00+08:00");
    const g = await db.selectFrom("grants").select(["status", "evaluation_ends_at"]).where("id", "=", grantId).executeTakeFirstOrThrow();
    expect(g.status).toBe("awaiting_evaluation");
    expect(g.evaluation_ends_at!.toISOString()).toBe(new Date("2026-05-15T10:00:00+08:00").toISOString());
    const as = (userId: string) => ({ ...w.ctx, userId, role: "resident" });
    await db.transaction().execute((trx) => evaluateGrant(trx, as(w.resident.id), grantId, { satisfaction: 5, solved: 4, comment: "楼道亮了" }, clock));
    const twice = await refusal(db.transaction().execute((trx) => evaluateGrant(trx, as(w.resident.id), grantId, { satisfaction: 1, solved: 1, comment: "" }, clock)));
    expect(twice.message).toBe("您已经评价过这个项目，每位居民只能评价一次");
    const outsider = await refusal(db.transaction().execute((trx) => evaluateGrant(trx, as(w.outsider.id), grantId, { satisfaction: 1, solved: 1, comment: "" }, clock)));
    expect(outsider.message).toBe("只有项目所涉社区的认证居民才能评价");
    const rows = await db.selectFrom("grant_evaluations").select(["satisfaction", "solved"]).where("grant_id", "=", grantId).execute();
    expect(rows).toEqual([{ satisfaction: 5, solved: 4 }]);
    await expect(
      db.insertInto("grant_evaluations").values({ grant_id: grantId, user_id: w.resident.id, satisfaction: 3, solved: 3, created_at: new Date() }).execute(),
    ).rejects.toThrow(/unique/);
  });

  it("closing cascades: when the period ends the project and its issues are 已办结 with the results on the issue's timeline", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 10_000_000 });
    const grantId = await deliveredGrant(w);
    const issue = await db.selectFrom("issues").select("status").where("id", "=", w.issueId).executeTakeFirstOrThrow();
    expect(issue.status).toBe("awaiting_evaluation");
    await db.transaction().execute((trx) => evaluateGrant(trx, { ...w.ctx, userId: w.resident.id }, grantId, { satisfaction: 4, solved: 5, comment: "" }, fixedClock("2026-05-03T10:00:00+08:00")));
    expect(await closeDueEvaluations(db, fixedClock("2026-05-15T09:59:59+08:00"))).not.toContain(grantId);
    expect((await runDueGrantTransitions(db, fixedClock("2026-05-15T10:00:00+08:00"))).closed).toBeGreaterThanOrEqual(1);
    const g = await db.selectFrom("grants").select("status").where("id", "=", grantId).executeTakeFirstOrThrow();
    expect(g.status).toBe("closed");
    const last = await db.selectFrom("issue_events").select(["to_status", "note"]).where("issue_id", "=", w.issueId).orderBy("at", "desc").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(last).toEqual({ to_status: "closed", note: "项目「楼道微光 1 号」已办结。1 位居民评价：满意度 4.0 分，问题解决 5.0 分（满分 5 分）" });
    const late = await refusal(db.transaction().execute((trx) => evaluateGrant(trx, { ...w.ctx, userId: w.resident.id }, grantId, { satisfaction: 4, solved: 5, comment: "" }, fixedClock("2026-05-16T10:00:00+08:00"))));
    expect(late.message).toBe("该项目不在评价期内");
  });

  it("staff may close an issue early, while its project runs, only with a reason", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 10_000_000 });
    await award(w);
    await establishDueGrants(db, fixedClock(PUBLICITY_OVER));
    const close = (note: string) => db.transaction().execute((trx) => transitionIssue(trx, w.ctx, w.issueId, "closed", { note }, fixedClock("2026-04-01T10:00:00+08:00")));
    expect((await refusal(close(""))).message).toBe("提前办结议题时请写明理由（至少 4 个字）");
    await close("居民已搬迁，问题不再存在");
    const issue = await db.selectFrom("issues").select("status").where("id", "=", w.issueId).executeTakeFirstOrThrow();
    expect(issue.status).toBe("closed");
  });
});

describe("recent projects of a place", () => {
  it("lists a grant where its call's place or one of its issues' places lies, newest first, and nowhere else", async () => {
    const db = getDb();
    const w = await grantWorld(db, { poolFen: 10_000_000, bids: 2 });
    const { grantId } = await award(w);
    const listed = async (place: { path: string; level: PlaceLevel }) => (await listRecentGrants(db, { place })).map((g) => g.id);
    // The call is in 甲区, its issue in 甲一社区. Small places (street, community) and large ones take different queries.
    for (const place of [w.t.city, w.t.districtA, w.t.streetA, w.t.communityA1]) expect(await listed(place), place.path).toEqual([grantId]);
    for (const place of [w.t.communityA2, w.t.districtB, w.t.streetB, w.t.communityB1]) expect(await listed(place), place.path).toEqual([]);
    expect((await listRecentGrants(db, { place: w.t.communityA1 }))[0]!.issues.map((i) => i.title)).toEqual(["楼道照明太差"]);
    // A grant whose call is in the city is found in 甲区 (a large place) by its issue alone.
    await db.updateTable("grants").set({ place_id: w.t.city.id }).where("id", "=", grantId).execute();
    expect(await listed(w.t.districtA)).toEqual([grantId]);
    expect(await listed(w.t.districtB)).toEqual([]);
    expect(await listed(w.t.city)).toEqual([grantId]);
    await db.updateTable("grants").set({ place_id: w.t.districtA.id }).where("id", "=", grantId).execute();
    // Newest first: a second award a week later comes before the first, in both shapes.
    const { grantId: later } = await award(w, 1, 1_000_000, "2026-03-13T15:00:00+08:00");
    expect(await listed(w.t.communityA1)).toEqual([later, grantId]);
    expect(await listed(w.t.districtA)).toEqual([later, grantId]);
    await db.updateTable("grants").set({ status: "withdrawn", ended_reason: "测试撤销" }).where("id", "=", later).execute();
    // Without its issue, the grant is found by its call's place alone.
    await db.deleteFrom("grant_issues").where("grant_id", "=", grantId).execute();
    expect(await listed(w.t.districtA)).toEqual([grantId]);
    expect(await listed(w.t.streetA)).toEqual([]);
    expect(await listed(w.t.communityA1)).toEqual([]);
    // A grant whose call is in a street is found there by the small places' query too.
    await db.updateTable("grants").set({ place_id: w.t.streetA.id }).where("id", "=", grantId).execute();
    expect(await listed(w.t.streetA)).toEqual([grantId]);
    expect(await listed(w.t.districtA)).toEqual([grantId]);
    // Withdrawn awards are left out.
    await db.updateTable("grants").set({ status: "withdrawn", ended_reason: "测试撤销" }).where("id", "=", grantId).execute();
    expect(await listed(w.t.streetA)).toEqual([]);
    expect(await listed(w.t.city)).toEqual([]);
  });
});
