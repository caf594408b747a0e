import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { callInput, callWorld, ctxOf, organisationWithMember, PDF, poolWith } from "../../../tests/support/calls";
import { createUser, scoped } from "../../../tests/support/factories";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import type { DomainError } from "../../platform/errors";
import { findBid, getBid, saveBidDraft, submitBid, withdrawBid } from "./bids.server";
import { extendCall, getCall, listCallChanges, listCalls, publishCall, saveCallDraft, withdrawCall } from "./calls.server";
import { parseBidForm, parseCallForm, type BidInput } from "./schema";

process.env.UPLOAD_DIR = path.join(os.tmpdir(), `lsw-bid-uploads-${process.pid}`);

const BEFORE_OPEN = "2026-02-20T10:00:00+08:00";
const DURING = "2026-03-10T10:00:00+08:00";

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    return e as DomainError;
  }
  throw new Error("expected a refusal");
}

async function publishedCall(over: Parameters<typeof callInput>[2] = {}) {
  const db = getDb();
  const w = await callWorld(db);
  const clock = fixedClock(BEFORE_OPEN);
  const { id } = await db.transaction().execute((trx) => saveCallDraft(trx, w.ctx, w.actor, callInput(w.t.districtA.id, w.poolId, { issueIds: [w.issueId], ...over }), clock));
  await db.transaction().execute((trx) => publishCall(trx, w.ctx, w.actor, id, clock));
  return { ...w, callId: id };
}

function bidInput(over: Partial<BidInput> = {}): BidInput {
  return {
    projectName: "楼道微光：广南小区照明改善",
    summary: "为 12 栋老旧楼道安装太阳能楼道灯，院落安装庭院灯。",
    beneficiaryGroup: "小区老年居民",
    beneficiaryCount: 320,
    plan: "一月摸排点位，二月安装，三月回访。",
    leadName: "赵会长",
    leadPhone: "13900000008",
    issueIds: [],
    lines: [
      { category: "物资", description: "太阳能楼道灯", amountFen: 2_000_000 },
      { category: "人员", description: "安装人工", amountFen: 800_000 },
    ],
    pledges: [{ source: "会员企业", kind: "in_kind", description: "太阳能庭院灯 10 盏", valueFen: 1_500_000 }],
    milestones: [
      { title: "点位摸排", deliverable: "点位清单", dueDate: "2026-06-01", tranchePct: 30 },
      { title: "安装完成", deliverable: "验收单", dueDate: "2026-09-30", tranchePct: 70 },
    ],
    ...over,
  };
}

const registration = [{ name: "登记证书", fileName: "登记证书.pdf", bytes: PDF }];

describe("calls (招贤榜)", () => {
  it("reads the form: 元 into 分, Shanghai times, checkbox lists, rubric rows ignoring blanks; weights must make 100", () => {
    const f = new FormData();
    const fields: Record<string, string> = {
      placeId: "3",
      title: "点亮桔灯微创投",
      description: "征集改善社区照明的服务项目。",
      actionType: "mei",
      poolId: "00000000-0000-4000-8000-000000000001",
      cap: "50,000",
      totalBudget: "200000",
      opensAt: "2026-03-01T09:00",
      closesAt: "2026-03-31T17:00",
      projectStart: "2026-05-01",
      projectEnd: "2026-12-31",
      requiredAttachments: "登记证书\n\n项目预算表\n登记证书",
      reviewersPerBid: "2",
    };
    for (const [k, v] of Object.entries(fields)) f.append(k, v);
    f.append("eligibleOrgTypes", "生活服务类");
    for (const [n, d, w] of [["需求回应", "回应议题", "60"], ["", "", ""], ["可行性", "计划可行", "40"]]) {
      f.append("criterion.name", n);
      f.append("criterion.description", d);
      f.append("criterion.weight", w);
    }
    const ok = parseCallForm(f);
    expect(ok.ok && ok.data).toMatchObject({
      cap: 5_000_000,
      totalBudget: 20_000_000,
      opensAt: new Date("2026-03-01T01:00:00Z"),
      requiredAttachments: ["登记证书", "项目预算表"],
      eligibleOrgTypes: ["生活服务类"],
      publicityWorkingDays: 5,
      criteria: [{ name: "需求回应", weight: 60 }, { name: "可行性", weight: 40 }],
    });
    f.set("criterion.weight", "50");
    f.set("cap", "300000");
    f.set("closesAt", "2026-02-01T09:00");
    const bad = parseCallForm(f);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.fieldErrors).toMatchObject({
      criteria: "评分项权重合计应为 100，现为 50",
      cap: "单个项目上限不能超过总预算",
      closesAt: "截止时间应晚于开始申报时间",
    });
  });

  it("refuses a pool that belongs to a sibling district, and a call for a place outside the actor's scope", async () => {
    const db = getDb();
    const w = await callWorld(db);
    const other = await poolWith(db, w.t.districtB, 10_000_000, w.officer.id);
    const clock = fixedClock(BEFORE_OPEN);
    const e = await refusal(db.transaction().execute((trx) => saveCallDraft(trx, w.ctx, w.actor, callInput(w.t.districtA.id, other), clock)));
    expect(e.fieldErrors?.poolId).toBe("请选择本地区或上级地区的资金池");
    const e2 = await refusal(db.transaction().execute((trx) => saveCallDraft(trx, w.ctx, w.actor, callInput(w.t.districtB.id, other), clock)));
    expect(e2.code).toBe("forbidden");
  });

  it("publishes: total budget checked against the pool's available amount, issues move to 招募中, eligible organisations are told", async () => {
    const db = getDb();
    const w = await callWorld(db);
    const eligible = await organisationWithMember(db, w.t.districtA, { type: "生活服务类" });
    const otherType = await organisationWithMember(db, w.t.districtA, { type: "行业协会商会" });
    const pending = await organisationWithMember(db, w.t.districtA, { type: "生活服务类", status: "pending" });
    const clock = fixedClock(BEFORE_OPEN);
    const tooBig = await db.transaction().execute((trx) =>
      saveCallDraft(trx, w.ctx, w.actor, callInput(w.t.districtA.id, w.poolId, { totalBudget: 100_000_001, issueIds: [w.issueId], eligibleOrgTypes: ["生活服务类"] }), clock),
    );
    const e = await refusal(db.transaction().execute((trx) => publishCall(trx, w.ctx, w.actor, tooBig.id, clock)));
    expect(e.message).toBe("总预算 1,000,000.01 元 超过资金池当前可用余额 1,000,000.00 元");

    const { id } = await db.transaction().execute((trx) =>
      saveCallDraft(trx, w.ctx, w.actor, { ...callInput(w.t.districtA.id, w.poolId, { issueIds: [w.issueId], eligibleOrgTypes: ["生活服务类"] }), existingCallId: tooBig.id }, clock),
    );
    await db.transaction().execute((trx) => publishCall(trx, w.ctx, w.actor, id, clock));
    const call = await getCall(db, id);
    expect(call?.status).toBe("published");
    expect(call?.issues.map((i) => i.status)).toEqual(["in_call"]);
    const events = await db.selectFrom("issue_events").select(["to_status", "note"]).where("issue_id", "=", w.issueId).execute();
    expect(events).toEqual([{ to_status: "in_call", note: "招贤榜「点亮桔灯：社区照明微创投」已发布，招募社会组织承接" }]);
    const told = await db.selectFrom("notifications").select("user_id").where("kind", "=", "call.published").execute();
    expect(told.map((n) => n.user_id)).toEqual([eligible.memberId]);
    expect([otherType.memberId, pending.memberId]).not.toContain(told[0].user_id);
    expect((await listCallChanges(db, id)).map((c) => c.kind)).toEqual(["publish"]);
    const audited = await db.selectFrom("audit_log").select("action").where("entity_id", "=", id).orderBy("at").execute();
    expect(audited.map((a) => a.action)).toEqual(["call.create_draft", "call.update_draft", "call.publish"]);
  });

  it("never edits a published call silently: the draft command refuses; extension and withdrawal are versioned", async () => {
    const db = getDb();
    const w = await publishedCall();
    const clock = fixedClock(DURING);
    const e = await refusal(
      db.transaction().execute((trx) => saveCallDraft(trx, w.ctx, w.actor, { ...callInput(w.t.districtA.id, w.poolId), existingCallId: w.callId }, clock)),
    );
    expect(e.message).toBe("已发布的招贤榜不能直接修改，只能延长截止时间或撤回");

    const earlier = await refusal(db.transaction().execute((trx) => extendCall(trx, w.ctx, w.actor, w.callId, { closesAt: new Date("2026-03-20T17:00:00+08:00"), reason: "提前" }, clock)));
    expect(earlier.fieldErrors?.closesAt).toMatch(/之后的时间/);
    await db.transaction().execute((trx) => extendCall(trx, w.ctx, w.actor, w.callId, { closesAt: new Date("2026-04-10T17:00:00+08:00"), reason: "应组织要求延期" }, clock));
    await db.transaction().execute((trx) => withdrawCall(trx, w.ctx, w.actor, w.callId, "资金安排调整，另行发布", clock));
    const changes = await listCallChanges(db, w.callId);
    expect(changes.map((c) => [c.kind, c.reason, c.actorName])).toEqual([
      ["publish", null, "区民政局 周干事"],
      ["extend", "应组织要求延期", "区民政局 周干事"],
      ["withdraw", "资金安排调整，另行发布", "区民政局 周干事"],
    ]);
    expect(changes[1].before).toEqual({ closesAt: "2026-03-31T09:00:00.000Z" });
    expect(changes[1].after).toEqual({ closesAt: "2026-04-10T09:00:00.000Z" });
    // The answered issue waits for another call.
    expect((await getCall(db, w.callId))?.issues[0].status).toBe("decided");
    await expect(db.updateTable("call_changes").set({ reason: "改写" }).execute()).rejects.toThrow();
  });

  it("lists open calls by server time: not before opening, not after the deadline", async () => {
    const db = getDb();
    const w = await publishedCall();
    const titles = async (at: string) => (await listCalls(db, { placePath: w.t.districtA.path, openOnly: true }, fixedClock(at))).map((c) => c.title);
    expect(await titles(BEFORE_OPEN)).toEqual([]);
    expect(await titles(DURING)).toEqual(["点亮桔灯：社区照明微创投"]);
    expect(await titles("2026-03-31T17:00:00+08:00")).toEqual([]);
    // A community sees its district's call; a sibling district does not.
    const around = async (placePath: string) => (await listCalls(db, { placePath, openOnly: true }, fixedClock(DURING))).length;
    expect(await around(w.t.communityA1.path)).toBe(1);
    expect(await around(w.t.districtB.path)).toBe(0);
  });
});

describe("bids (项目申报书)", () => {
  it("eligibility: only members of verified organisations of the named types and districts may bid", async () => {
    const db = getDb();
    const w = await publishedCall({ eligibleOrgTypes: ["生活服务类"], eligibleDistrictIds: [] });
    const clock = fixedClock(DURING);
    const wrongType = await organisationWithMember(db, w.t.districtA, { type: "行业协会商会" });
    const unverified = await organisationWithMember(db, w.t.districtA, { status: "pending" });
    const ok = await organisationWithMember(db, w.t.districtA);
    const stranger = await createUser(db, { name: "路人" });
    const save = (orgId: string, userId: string) => db.transaction().execute((trx) => saveBidDraft(trx, ctxOf(userId, "org_member"), { callId: w.callId, organisationId: orgId }, bidInput(), [], clock));
    expect((await refusal(save(wrongType.id, wrongType.memberId))).message).toBe("不符合申报条件：本榜只接受以下类型的组织申报：生活服务类");
    expect((await refusal(save(unverified.id, unverified.memberId))).message).toMatch(/尚未通过民政局查验/);
    expect((await refusal(save(ok.id, stranger.id))).message).toBe("只有本组织成员可以申报");
    await expect(save(ok.id, ok.memberId)).resolves.toMatchObject({ id: expect.any(String) });

    const districtOnly = await publishedCall({ eligibleDistrictIds: [] });
    const inB = await organisationWithMember(db, districtOnly.t.districtB);
    await db.updateTable("calls").set({ eligible_district_ids: [districtOnly.t.districtA.id] }).where("id", "=", districtOnly.callId).execute();
    const e = await refusal(db.transaction().execute((trx) => saveBidDraft(trx, ctxOf(inB.memberId), { callId: districtOnly.callId, organisationId: inB.id }, bidInput(), [], clock)));
    expect(e.message).toBe("不符合申报条件：本榜只接受指定区县的组织申报");
  });

  it("keeps one bid per organisation per call: saving again updates the same draft, child rows replaced", async () => {
    const db = getDb();
    const w = await publishedCall();
    const org = await organisationWithMember(db, w.t.districtA);
    const clock = fixedClock(DURING);
    const ctx = ctxOf(org.memberId, "org_member");
    const a = await db.transaction().execute((trx) => saveBidDraft(trx, ctx, { callId: w.callId, organisationId: org.id }, bidInput({ issueIds: [w.issueId] }), [], clock));
    const b = await db.transaction().execute((trx) =>
      saveBidDraft(trx, ctx, { callId: w.callId, organisationId: org.id }, bidInput({ lines: [{ category: "活动", description: "安全宣传", amountFen: 100_000 }] }), [], clock),
    );
    expect(b.id).toBe(a.id);
    const bid = await getBid(db, a.id);
    expect(bid?.lines).toEqual([{ category: "活动", description: "安全宣传", amountFen: 100_000 }]);
    expect(bid?.leveragedFen).toBe(1_500_000);
    expect(await db.selectFrom("bids").select("id").where("call_id", "=", w.callId).execute()).toHaveLength(1);
    await expect(
      db.insertInto("bids").values({ call_id: w.callId, organisation_id: org.id, project_name: "第二份", action_type: "mei", created_by: org.memberId }).execute(),
    ).rejects.toThrow(/bids_call_id_organisation_id_key/);
  });

  it("submission rules: total within the cap, tranches make 100%, milestones inside the project period, required attachments", async () => {
    const db = getDb();
    const w = await publishedCall({ cap: 2_500_000 });
    const org = await organisationWithMember(db, w.t.districtA);
    const clock = fixedClock(DURING);
    const ctx = ctxOf(org.memberId, "org_member");
    const target = { callId: w.callId, organisationId: org.id };
    const bad = bidInput({
      milestones: [
        { title: "点位摸排", deliverable: "点位清单", dueDate: "2026-04-15", tranchePct: 30 },
        { title: "安装完成", deliverable: "验收单", dueDate: "2026-09-30", tranchePct: 60 },
      ],
    });
    const { id } = await db.transaction().execute((trx) => saveBidDraft(trx, ctx, target, bad, [], clock));
    const e = await refusal(db.transaction().execute((trx) => submitBid(trx, ctx, id, clock)));
    expect(e.message).toBe("申报书还不能提交，请修改以下内容");
    expect(e.fieldErrors).toEqual({
      lines: "申请金额合计 28,000.00 元，超过本榜单个项目上限 25,000.00 元",
      milestones: "各里程碑拨付比例合计应为 100%，现为 90%",
      "milestone.0.dueDate": "里程碑「点位摸排」的完成日期应在项目周期 2026-05-01 至 2026-12-31 之内",
      attachments: "缺少必需的附件：登记证书",
    });
    expect((await getBid(db, id))?.status).toBe("draft");

    await db.transaction().execute((trx) => saveBidDraft(trx, ctx, target, bidInput({ lines: [{ category: "物资", description: "楼道灯", amountFen: 2_500_000 }] }), registration, clock));
    await db.transaction().execute((trx) => submitBid(trx, ctx, id, clock));
    const bid = await getBid(db, id);
    expect(bid).toMatchObject({ status: "submitted", requestedFen: 2_500_000, attachments: [{ name: "登记证书", originalName: "登记证书.pdf" }] });
  });

  it("refuses an attachment that is not a PDF, image or Office document, by its bytes", async () => {
    const db = getDb();
    const w = await publishedCall();
    const org = await organisationWithMember(db, w.t.districtA);
    const e = await refusal(
      db.transaction().execute((trx) =>
        saveBidDraft(trx, ctxOf(org.memberId), { callId: w.callId, organisationId: org.id }, bidInput(), [{ name: "登记证书", fileName: "登记证书.pdf", bytes: new TextEncoder().encode("<html>") }], fixedClock(DURING)),
      ),
    );
    expect(e.message).toBe("附件「登记证书.pdf」不是 PDF、JPEG、PNG、Word（docx）或 Excel（xlsx）文件");
  });

  it("deadline by server time (fixed clock): a second before it a bid is submitted; at it, saving and submitting are refused", async () => {
    const db = getDb();
    const w = await publishedCall();
    const org = await organisationWithMember(db, w.t.districtA);
    const ctx = ctxOf(org.memberId, "org_member");
    const clock = fixedClock("2026-03-31T16:59:59+08:00");
    const { id } = await db.transaction().execute((trx) => saveBidDraft(trx, ctx, { callId: w.callId, organisationId: org.id }, bidInput(), registration, clock));
    clock.set("2026-03-31T17:00:00+08:00");
    expect((await refusal(db.transaction().execute((trx) => submitBid(trx, ctx, id, clock)))).message).toBe("申报已于 2026年3月31日 17:00 截止，不能提交申报书");
    expect((await refusal(db.transaction().execute((trx) => saveBidDraft(trx, ctx, { callId: w.callId, organisationId: org.id }, bidInput(), [], clock)))).code).toBe("conflict");
    clock.set(BEFORE_OPEN);
    expect((await refusal(db.transaction().execute((trx) => submitBid(trx, ctx, id, clock)))).message).toBe("招贤榜尚未开始受理申报，不能提交申报书");
  });

  it("withdrawal: a submitted bid cannot be edited, can be withdrawn before the deadline, then edited and submitted again; not after it", async () => {
    const db = getDb();
    const w = await publishedCall();
    const org = await organisationWithMember(db, w.t.districtA);
    const ctx = ctxOf(org.memberId, "org_member");
    const clock = fixedClock(DURING);
    const target = { callId: w.callId, organisationId: org.id };
    const { id } = await db.transaction().execute((trx) => saveBidDraft(trx, ctx, target, bidInput(), registration, clock));
    await db.transaction().execute((trx) => submitBid(trx, ctx, id, clock));
    expect((await refusal(db.transaction().execute((trx) => saveBidDraft(trx, ctx, target, bidInput(), [], clock)))).message).toBe(
      "申报书已提交，不能修改；如需修改，请在截止前撤回后重新提交",
    );
    await db.transaction().execute((trx) => withdrawBid(trx, ctx, id, clock));
    expect((await getBid(db, id))?.status).toBe("withdrawn");
    await db.transaction().execute((trx) => saveBidDraft(trx, ctx, target, bidInput({ projectName: "楼道微光（修订）" }), [], clock));
    await db.transaction().execute((trx) => submitBid(trx, ctx, id, clock));
    expect(await findBid(db, w.callId, org.id)).toBe(id);
    clock.set("2026-04-01T09:00:00+08:00");
    expect((await refusal(db.transaction().execute((trx) => withdrawBid(trx, ctx, id, clock)))).message).toMatch(/截止，不能撤回申报书/);
    const actions = await db.selectFrom("audit_log").select("action").where("entity_id", "=", id).orderBy("at").orderBy("id").execute();
    expect(actions.map((a) => a.action)).toEqual(["bid.create", "bid.submit", "bid.withdraw", "bid.save", "bid.submit"]);
  });

  it("reads the bid form without JavaScript: blank rows ignored, a bad row named by its line number", () => {
    const f = new FormData();
    f.append("projectName", "楼道微光");
    for (const [c, d, a] of [["物资", "楼道灯", "20,000"], ["", "", ""], ["人员", "安装", "八千"]]) {
      f.append("line.category", c);
      f.append("line.description", d);
      f.append("line.amountFen", a);
    }
    const r = parseBidForm(f);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.fieldErrors).toEqual({ "line.2.amountFen": "第 3 行：金额格式不正确：请输入以元为单位的数字，最多两位小数" });
    f.delete("line.amountFen");
    for (const a of ["20,000", "", "8000"]) f.append("line.amountFen", a);
    const ok = parseBidForm(f);
    expect(ok.ok && ok.data.lines).toEqual([
      { category: "物资", description: "楼道灯", amountFen: 2_000_000 },
      { category: "人员", description: "安装", amountFen: 800_000 },
    ]);
  });

  it("a city officer may act on a district's call; an officer of a sibling district may not", async () => {
    const db = getDb();
    const w = await publishedCall();
    const sibling = { roles: [scoped("officer", w.t.districtB)] };
    const e = await refusal(db.transaction().execute((trx) => withdrawCall(trx, w.ctx, sibling, w.callId, "越权撤回", fixedClock(DURING))));
    expect(e.code).toBe("forbidden");
    const city = { roles: [scoped("officer", w.t.city)] };
    await db.transaction().execute((trx) => extendCall(trx, w.ctx, city, w.callId, { closesAt: new Date("2026-04-30T17:00:00+08:00"), reason: "市局统一延期" }, fixedClock(DURING)));
    expect((await getCall(db, w.callId))?.closesAt).toEqual(new Date("2026-04-30T09:00:00Z"));
  });
});
