import { describe, expect, it } from "vitest";
import { createUser, placeTree, scoped } from "../../../tests/support/factories";
import type { AuditContext } from "../../platform/audit.server";
import { getDb } from "../../platform/db.server";
import type { DomainError } from "../../platform/errors";
import { listLedgerEntries, poolBalance } from "../ledger/ledger.server";
import { createPool, getPool, listPools, poolPlaceOptions, topUpPool } from "./pools.server";
import { createPoolSchema, topUpSchema } from "./schema";

const form = {
  name: "点亮桔灯",
  source: "区级财政",
  total: "873,000",
  periodStart: "2026-03-01",
  periodEnd: "2026-12-31",
  notes: "青云谱区社区微创投",
};

describe("funding pools", () => {
  it("parses the total in 元 into 分 and explains what is wrong in Chinese", () => {
    expect(createPoolSchema.parse({ ...form, placeId: "3" })).toMatchObject({ placeId: 3, total: 87_300_000, source: "区级财政" });
    const bad = createPoolSchema.safeParse({ ...form, placeId: "3", total: "12.345", source: "彩票", periodEnd: "2026-02-01" });
    const messages = Object.fromEntries(bad.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(messages).toEqual({
      total: "金额格式不正确：请输入以元为单位的数字，最多两位小数",
      source: "请选择资金来源",
      periodEnd: "结束日期不能早于开始日期",
    });
    expect(topUpSchema.safeParse({ amount: "0", reason: "追加" }).error?.issues[0].message).toBe("金额必须大于 0");
    expect(createPoolSchema.safeParse({ ...form, placeId: "3", periodStart: "2026-02-30" }).error?.issues[0].message).toBe("开始日期不是有效的日期");
  });

  it("creates a pool whose total is its first ledger row, and tops it up with a reason; balances come from the rows", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const officer = await createUser(db, { name: "区民政局 周干事", roles: [{ role: "officer", place: t.districtA }] });
    const ctx: AuditContext = { userId: officer.id, role: "officer", requestId: "r", ip: null };
    const actor = { roles: [scoped("officer", t.districtA)] };
    const input = createPoolSchema.parse({ ...form, placeId: String(t.districtA.id), idempotencyKey: "create-key-1" });
    const pool = await db.transaction().execute((trx) => createPool(trx, ctx, actor, input));

    expect(await getPool(db, pool.id)).toMatchObject({ name: "点亮桔灯", placeName: "甲区", periodStart: "2026-03-01", periodEnd: "2026-12-31" });
    expect(await poolBalance(db, pool.id)).toEqual({ total: 87_300_000, committed: 0, disbursed: 0, available: 87_300_000 });

    const after = await db.transaction().execute((trx) => topUpPool(trx, ctx, pool.id, topUpSchema.parse({ amount: "20000", reason: "区财政追加", idempotencyKey: "topup-key-1" })));
    expect(after).toEqual({ total: 89_300_000, committed: 0, disbursed: 0, available: 89_300_000 });
    // The same form sent again adds nothing and answers the same balance (issue 11).
    const replay = await db.transaction().execute((trx) => topUpPool(trx, ctx, pool.id, { amount: 2_000_000, reason: "区财政追加", idempotencyKey: "topup-key-1" }));
    expect(replay).toEqual(after);
    // The key reused for a different amount is refused.
    await expect(db.transaction().execute((trx) => topUpPool(trx, ctx, pool.id, { amount: 1, reason: "区财政追加", idempotencyKey: "topup-key-1" }))).rejects.toThrow("该请求编号已用于另一笔资金操作");

    const rows = await listLedgerEntries(db, pool.id);
    expect(rows.map((r) => [r.kind, r.amountFen, r.reason, r.actorName])).toEqual([
      ["topup", 2_000_000, "区财政追加", "区民政局 周干事"],
      ["topup", 87_300_000, "设立资金池：区级财政", "区民政局 周干事"],
    ]);
    const log = await db.selectFrom("audit_log").select("action").where("entity_id", "=", pool.id).orderBy("id").execute();
    expect(log.map((l) => l.action)).toEqual(["pool.create", "ledger.topup", "ledger.topup"]);

    // The same form submitted twice does not create a second pool.
    await expect(db.transaction().execute((trx) => createPool(trx, ctx, actor, input))).rejects.toThrow("请勿重复提交");
    expect(await listPools(db, [t.districtA.path])).toHaveLength(1);
  });

  it("is created only for a place the officer covers, at street level or above", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const officer = await createUser(db, { roles: [{ role: "officer", place: t.districtA }] });
    const ctx: AuditContext = { userId: officer.id };
    const actor = { roles: [scoped("officer", t.districtA)] };
    const make = (placeId: number) => db.transaction().execute((trx) => createPool(trx, ctx, actor, createPoolSchema.parse({ ...form, placeId: String(placeId) })));
    const sibling = await make(t.districtB.id).catch((e: unknown) => e);
    expect((sibling as DomainError).code).toBe("forbidden");
    await expect(make(t.communityA1.id)).rejects.toThrow("资金池只能设在省、市、区县或街道一级");
    await make(t.streetA.id);
    expect((await listPools(db, [t.districtA.path])).map((p) => p.placeName)).toEqual(["甲街道"]);
    expect(await listPools(db, [t.districtB.path])).toEqual([]);
    expect((await poolPlaceOptions(db, [t.districtA.path])).map((p) => p.name)).toEqual(["甲区", "甲街道"]);
  });
});
