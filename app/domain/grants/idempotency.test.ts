import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { grantWorld } from "../../../tests/support/grants";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { releaseFromGrant } from "../ledger/ledger.server";
import { topUpPool } from "../pools/pools.server";
import {
  approveDisbursement,
  awardBid,
  endGrant,
  establishDueGrants,
  liaisonReview,
  officerDecideReport,
  refundGrant,
  requestDisbursement,
  submitReport,
} from "./grants.server";
import type { ReportInput } from "./schema";

process.env.UPLOAD_DIR = path.join(os.tmpdir(), `lsw-idem-uploads-${process.pid}`);

// Sending the same money form 10 times at once (double clicks, retries, a flaky network) writes
// one ledger row, and every one of the 10 gets the same answer.
const AWARDED = "2026-03-06T15:00:00+08:00";
const PUBLICITY_OVER = "2026-03-14T00:00:00+08:00";
const clock = fixedClock("2026-05-01T10:00:00+08:00");
const report: ReportInput = {
  narrative: "完成楼道灯点位摸排并安装第一批灯具。",
  beneficiaryCount: 120,
  beneficiaryGroup: "楼栋居民",
  inKindReceived: "",
  activities: [{ date: "2026-04-10", description: "点位摸排" }],
  spending: [{ category: "物资", description: "楼道灯", amountFen: 300_000 }],
};

type World = Awaited<ReturnType<typeof grantWorld>>;

/** 10 copies of one request, each in its own transaction on its own connection. */
function tenTimes<T>(run: () => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: 10 }, run));
}

async function ledgerRows(grantId: string, kind?: string) {
  let q = getDb().selectFrom("ledger_entries").select(["id", "kind", "amount_fen"]).where("grant_id", "=", grantId);
  if (kind) q = q.where("kind", "=", kind as "commit");
  return q.execute();
}

async function approvedGrant(w: World, amountFen = 1_000_000, opts: { report?: boolean } = {}) {
  const db = getDb();
  const { grantId } = await db.transaction().execute((trx) => awardBid(trx, w.ctx, { callId: w.callId, bidId: w.bids[0].id, amountFen, idempotencyKey: randomUUID() }, fixedClock(AWARDED)));
  await establishDueGrants(db, fixedClock(PUBLICITY_OVER));
  if (opts.report === false) return grantId;
  const milestones = await db.selectFrom("grant_milestones").select("position").where("grant_id", "=", grantId).orderBy("position").execute();
  for (const m of milestones) {
    const r = await db.transaction().execute((trx) => submitReport(trx, w.bids[0].memberCtx, grantId, m.position, report, [], clock));
    await db.transaction().execute((trx) => liaisonReview(trx, w.liaisonCtx, r.id, { decision: "forward", comment: "" }, clock));
    await db.transaction().execute((trx) => officerDecideReport(trx, w.ctx, r.id, { decision: "approve", comment: "" }, clock));
  }
  return grantId;
}

describe("money operations happen once", () => {
  it("an award sent 10 times at once commits once and answers the same grant every time", async () => {
    const w = await grantWorld(getDb(), { poolFen: 10_000_000 });
    const key = randomUUID();
    const answers = await tenTimes(() =>
      getDb()
        .transaction()
        .execute((trx) => awardBid(trx, w.ctx, { callId: w.callId, bidId: w.bids[0].id, amountFen: 800_000, idempotencyKey: key }, fixedClock(AWARDED))),
    );
    expect(new Set(answers.map((a) => a.grantId)).size).toBe(1);
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    expect(await ledgerRows(answers[0].grantId, "commit")).toHaveLength(1);
  });

  it("a disbursement (发放) sent 10 times at once pays once and answers the same payment every time", async () => {
    const w = await grantWorld(getDb(), { poolFen: 10_000_000 });
    const grantId = await approvedGrant(w);
    const key = randomUUID();
    const answers = await tenTimes(() => getDb().transaction().execute((trx) => requestDisbursement(trx, w.ctx, { grantId, position: 1, paymentReference: "PAY-IDEM-1", idempotencyKey: key }, clock)));
    expect(new Set(answers.map((a) => `${a.id}/${a.status}`)).size).toBe(1);
    expect(answers[0].status).toBe("paid");
    expect(await ledgerRows(grantId, "disburse")).toHaveLength(1);
  });

  it("a two-person approval clicked 10 times at once writes one ledger row", async () => {
    const w = await grantWorld(getDb(), { poolFen: 10_000_000, thresholdFen: 100 });
    const grantId = await approvedGrant(w);
    const requested = await getDb().transaction().execute((trx) => requestDisbursement(trx, w.ctx, { grantId, position: 1, paymentReference: "PAY-IDEM-2", idempotencyKey: randomUUID() }, clock));
    expect(requested.status).toBe("pending");
    const answers = await tenTimes(() => getDb().transaction().execute((trx) => approveDisbursement(trx, w.ctx2, requested.id, clock)));
    expect(answers).toHaveLength(10);
    expect(await ledgerRows(grantId, "disburse")).toHaveLength(1);
  });

  it("a refund sent 10 times at once is recorded once (one refund, one release) with the same answer", async () => {
    const w = await grantWorld(getDb(), { poolFen: 10_000_000 });
    const grantId = await approvedGrant(w);
    await getDb().transaction().execute((trx) => requestDisbursement(trx, w.ctx, { grantId, position: 1, paymentReference: "PAY-IDEM-3", idempotencyKey: randomUUID() }, clock));
    const key = randomUUID();
    const answers = await tenTimes(() =>
      getDb()
        .transaction()
        .execute((trx) => refundGrant(trx, w.ctx, grantId, { amountFen: 50_000, paymentReference: "BACK-0001", reason: "活动取消，退回物资款", idempotencyKey: key }, clock)),
    );
    expect(new Set(answers.map((a) => a.entryId)).size).toBe(1);
    expect(await ledgerRows(grantId, "refund")).toHaveLength(1);
    expect(await ledgerRows(grantId, "release")).toHaveLength(1);
  });

  it("a release of part of a commitment, and a termination, sent 10 times at once each write one row", async () => {
    const w = await grantWorld(getDb(), { poolFen: 10_000_000 });
    const grantId = await approvedGrant(w, 1_000_000, { report: false });
    const key = randomUUID();
    const released = await tenTimes(() => getDb().transaction().execute((trx) => releaseFromGrant(trx, w.ctx, { grantId, amountFen: 10_000, reason: "调减资助", idempotencyKey: key })));
    expect(new Set(released.map((a) => a.entryId)).size).toBe(1);
    expect(await ledgerRows(grantId, "release")).toHaveLength(1);

    const endKey = randomUUID();
    const ended = await tenTimes(() => getDb().transaction().execute((trx) => endGrant(trx, w.ctx, grantId, { to: "terminated", reason: "承接组织停止运营", idempotencyKey: endKey }, clock)));
    expect(new Set(ended.map((a) => a.releasedFen)).size).toBe(1);
    expect(ended[0].releasedFen).toBe(1_000_000 - 10_000);
    expect(await ledgerRows(grantId, "release")).toHaveLength(2);
  });

  it("a top-up sent 10 times at once adds the money once and answers the same balance", async () => {
    const w = await grantWorld(getDb(), { poolFen: 1_000_000 });
    const key = randomUUID();
    const answers = await tenTimes(() => getDb().transaction().execute((trx) => topUpPool(trx, w.ctx, w.poolId, { amount: 500_000, reason: "追加福彩公益金", idempotencyKey: key })));
    expect(new Set(answers.map((a) => a.total)).size).toBe(1);
    expect(answers[0].total).toBe(1_500_000);
  });
});
