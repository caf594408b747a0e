import { describe, expect, it } from "vitest";
import { createUser, placeTree, scoped } from "../../../tests/support/factories";
import { organisationInput, uscc } from "../../../tests/support/organisations";
import { makeUscc } from "../../lib/uscc";
import type { AuditContext } from "../../platform/audit.server";
import { fixedClock } from "../../platform/clock";
import { getDb, type DB } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { can } from "../../platform/permissions";
import { loadRoles } from "../accounts/accounts.server";
import {
  assertCanBid,
  changeMemberRole,
  getOrganisation,
  inviteMember,
  isVerified,
  listMembers,
  listOrganisations,
  registerOrganisation,
  removeMember,
  returnOrganisation,
  updateOrganisation,
  verificationQueue,
  verifyOrganisation,
} from "./organisations.server";
import { organisationSchema } from "./schema";

const clock = fixedClock("2026-12-01T02:00:00Z");
const ctxOf = (userId: string, role: string | null = null): AuditContext => ({ userId, role, requestId: "req-test", ip: null });
const tx = <T>(fn: (trx: Parameters<Parameters<ReturnType<DB["transaction"]>["execute"]>[0]>[0]) => Promise<T>) => getDb().transaction().execute(fn);

async function registered(placeId: number) {
  const registrant = await createUser(getDb(), { name: "登记人" });
  const org = await tx((trx) => registerOrganisation(trx, ctxOf(registrant.id), organisationInput(placeId)));
  return { registrant, org };
}

describe("registering an organisation", () => {
  it("refuses a code with a wrong check character, saying so", () => {
    const good = makeUscc("51360104MJA12345");
    const wrong = good.slice(0, 17) + (good[17] === "1" ? "2" : "1");
    const r = organisationSchema.safeParse({ ...organisationInput(1), uscc: wrong });
    expect(r.success).toBe(false);
    expect(r.error!.issues.find((i) => i.path[0] === "uscc")?.message).toBe(`校验码错误：最后一位应为 ${good[17]}`);
  });

  it("gives every missing field a Chinese message and requires at least one service area", () => {
    const r = organisationSchema.safeParse({ serviceAreas: [] });
    const messages = Object.fromEntries(r.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(messages).toMatchObject({
      name: "请填写组织名称",
      uscc: "请输入统一社会信用代码",
      type: "请选择组织类型",
      contactPhone: "请输入手机号码",
      serviceAreas: "请至少选择一个服务领域",
    });
  });

  it("stores the profile as 待查验, makes the registrant its 负责人 with the org_member role, and logs it", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const { registrant, org } = await registered(t.districtA.id);
    const profile = await getOrganisation(db, org.id);
    expect(profile).toMatchObject({ status: "pending", placeId: t.districtA.id, serviceAreas: ["养老", "扶弱"] });
    expect(await listMembers(db, org.id)).toMatchObject([{ userId: registrant.id, orgRole: "lead" }]);
    const roles = await loadRoles(db, registrant.id);
    expect(roles).toEqual([{ role: "org_member", placeId: null, placePath: null, placeName: null, organisationId: org.id, organisationName: profile!.name }]);
    expect(can({ roles }, "organisation.edit", { organisationId: org.id })).toBe(true);
    const log = await db.selectFrom("audit_log").select("action").where("entity_id", "=", org.id).execute();
    expect(log.map((l) => l.action)).toEqual(["organisation.register"]);
  });

  it("refuses a duplicate code with 该统一社会信用代码已登记", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const user = await createUser(db);
    const code = uscc();
    await tx((trx) => registerOrganisation(trx, ctxOf(user.id), organisationInput(t.districtA.id, { uscc: code })));
    const e = await tx((trx) => registerOrganisation(trx, ctxOf(user.id), organisationInput(t.districtB.id, { uscc: code }))).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe("conflict");
    expect((e as DomainError).fieldErrors).toEqual({ uscc: "该统一社会信用代码已登记" });
  });

  it("refuses a place that is not a district", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const user = await createUser(db);
    await expect(tx((trx) => registerOrganisation(trx, ctxOf(user.id), organisationInput(t.communityA1.id)))).rejects.toThrow("请选择组织所在的区县");
  });

  it("has the database refuse a new row without a well-formed code", async () => {
    const db = getDb();
    const t = await placeTree(db);
    await expect(db.insertInto("organisations").values({ name: "无代码组织", place_id: t.districtA.id }).execute()).rejects.toThrow(/organisations_uscc_required/);
  });
});

describe("查验 (verification)", () => {
  it("lets an officer of the district verify, and an officer of a parent place verify; then the organisation may bid", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const own = await createUser(db, { roles: [{ role: "officer", place: t.districtA }] });
    const city = await createUser(db, { roles: [{ role: "officer", place: t.city }] });

    const a = await registered(t.districtA.id);
    await expect(assertCanBid(db, a.org.id)).rejects.toThrow(/尚未通过民政局查验/);
    await tx((trx) => verifyOrganisation(trx, ctxOf(own.id, "officer"), { roles: [scoped("officer", t.districtA)] }, a.org.id, clock));
    expect(await getOrganisation(db, a.org.id)).toMatchObject({ status: "verified", verifiedAt: clock.now() });
    expect(await isVerified(db, a.org.id)).toBe(true);
    await expect(assertCanBid(db, a.org.id)).resolves.toBeUndefined();

    const b = await registered(t.districtA.id);
    await tx((trx) => verifyOrganisation(trx, ctxOf(city.id, "officer"), { roles: [scoped("officer", t.city)] }, b.org.id, clock));
    expect(await isVerified(db, b.org.id)).toBe(true);
    const log = await db.selectFrom("audit_log").select(["action", "actor_user_id"]).where("entity_id", "=", b.org.id).orderBy("id").execute();
    expect(log).toEqual([
      { action: "organisation.register", actor_user_id: b.registrant.id },
      { action: "organisation.verify", actor_user_id: city.id },
    ]);
  });

  it("refuses an officer of a sibling district, in the domain as well as in the route", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const sibling = await createUser(db, { roles: [{ role: "officer", place: t.districtB }] });
    const { org } = await registered(t.districtA.id);
    const e = await tx((trx) => verifyOrganisation(trx, ctxOf(sibling.id), { roles: [scoped("officer", t.districtB)] }, org.id, clock)).catch((x: unknown) => x);
    expect((e as DomainError).code).toBe("forbidden");
    expect(await isVerified(db, org.id)).toBe(false);
    expect(await verificationQueue(db, [t.districtB.path])).toEqual([]);
    expect((await verificationQueue(db, [t.city.path])).map((o) => o.id)).toContain(org.id);
  });

  it("returns with a reason; the organisation edits and is pending again; a verified one keeps its identity fields", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const officer = await createUser(db, { roles: [{ role: "officer", place: t.districtA }] });
    const principal = { roles: [scoped("officer", t.districtA)] };
    const { registrant, org } = await registered(t.districtA.id);

    await tx((trx) => returnOrganisation(trx, ctxOf(officer.id), principal, org.id, "登记证书上的名称与填写不一致", clock));
    expect(await getOrganisation(db, org.id)).toMatchObject({ status: "returned", returnReason: "登记证书上的名称与填写不一致" });
    await expect(tx((trx) => verifyOrganisation(trx, ctxOf(officer.id), principal, org.id, clock))).rejects.toThrow("该组织已被退回，待其修改资料后重新提交");

    const fixed = organisationInput(t.districtA.id, { name: "甲区夕阳红助老服务中心" });
    expect(await tx((trx) => updateOrganisation(trx, ctxOf(registrant.id), org.id, fixed))).toEqual({ status: "pending" });
    await tx((trx) => verifyOrganisation(trx, ctxOf(officer.id), principal, org.id, clock));
    await expect(tx((trx) => verifyOrganisation(trx, ctxOf(officer.id), principal, org.id, clock))).rejects.toThrow("该组织已通过查验");

    await expect(tx((trx) => updateOrganisation(trx, ctxOf(registrant.id), org.id, { ...fixed, name: "改名后的中心" }))).rejects.toThrow(/组织名称不能修改/);
    expect(await tx((trx) => updateOrganisation(trx, ctxOf(registrant.id), org.id, { ...fixed, address: "甲区新址 8 号" }))).toEqual({ status: "verified" });
    expect(await getOrganisation(db, org.id)).toMatchObject({ name: "甲区夕阳红助老服务中心", address: "甲区新址 8 号" });

    const stranger = await createUser(db);
    await expect(tx((trx) => updateOrganisation(trx, ctxOf(stranger.id), org.id, fixed))).rejects.toThrow("只有本组织成员可以修改资料");
  });
});

describe("members", () => {
  it("the 负责人 invites a registered number as 成员; the member gets the org_member role", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const { registrant, org } = await registered(t.districtA.id);
    const invitee = await createUser(db, { name: "新成员" });
    await tx((trx) => inviteMember(trx, ctxOf(registrant.id), org.id, { phone: invitee.phone, orgRole: "member" }));
    expect((await listMembers(db, org.id)).map((m) => [m.displayName, m.orgRole])).toEqual([
      ["登记人", "lead"],
      ["新成员", "member"],
    ]);
    expect(can({ roles: await loadRoles(db, invitee.id) }, "bid.submit", { organisationId: org.id })).toBe(true);
    await expect(tx((trx) => inviteMember(trx, ctxOf(registrant.id), org.id, { phone: invitee.phone, orgRole: "member" }))).rejects.toThrow("该用户已是本组织成员");
  });

  it("refuses a number that has no account, asking them to register first", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const { registrant, org } = await registered(t.districtA.id);
    const e = await tx((trx) => inviteMember(trx, ctxOf(registrant.id), org.id, { phone: "13700000000", orgRole: "member" })).catch((x: unknown) => x);
    expect((e as DomainError).message).toBe("该手机号码尚未注册，请对方先注册");
    expect((e as DomainError).fieldErrors).toEqual({ phone: "该手机号码尚未注册，请对方先注册" });
  });

  it("only a 负责人 manages members, and an organisation always keeps one 负责人", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const { registrant, org } = await registered(t.districtA.id);
    const member = await createUser(db);
    await tx((trx) => inviteMember(trx, ctxOf(registrant.id), org.id, { phone: member.phone, orgRole: "member" }));
    const other = await createUser(db);
    await expect(tx((trx) => inviteMember(trx, ctxOf(member.id), org.id, { phone: other.phone, orgRole: "member" }))).rejects.toThrow("只有组织负责人可以管理成员");
    await expect(tx((trx) => changeMemberRole(trx, ctxOf(registrant.id), org.id, registrant.id, "member"))).rejects.toThrow("组织至少需要一名负责人");
    await expect(tx((trx) => removeMember(trx, ctxOf(registrant.id), org.id, registrant.id))).rejects.toThrow("组织至少需要一名负责人");

    await tx((trx) => changeMemberRole(trx, ctxOf(registrant.id), org.id, member.id, "lead"));
    await tx((trx) => removeMember(trx, ctxOf(member.id), org.id, registrant.id));
    expect((await listMembers(db, org.id)).map((m) => [m.userId, m.orgRole])).toEqual([[member.id, "lead"]]);
    expect(await loadRoles(db, registrant.id)).toEqual([]);
  });
});

describe("the public list", () => {
  it("filters by district, type and verification, and pages by name without gaps or repeats", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const officer = { roles: [scoped("officer", t.city)] };
    const user = await createUser(db);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const input = organisationInput(i < 5 ? t.districtA.id : t.districtB.id, { name: `组织${i}`, type: i % 2 === 0 ? "生活服务类" : "公益慈善类" });
      const { id } = await tx((trx) => registerOrganisation(trx, ctxOf(user.id), input));
      ids.push(id);
      if (i < 3) await tx((trx) => verifyOrganisation(trx, ctxOf(user.id), officer, id, clock));
    }
    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const page = await listOrganisations(db, { placeId: t.districtA.id, limit: 2, after });
      if (page.length === 0) break;
      pages.push(page.map((o) => o.name));
      after = page[page.length - 1].id;
    }
    expect(pages).toEqual([["组织0", "组织1"], ["组织2", "组织3"], ["组织4"]]);
    expect((await listOrganisations(db, { placeId: t.districtA.id, verified: "yes" })).map((o) => o.name)).toEqual(["组织0", "组织1", "组织2"]);
    expect((await listOrganisations(db, { placeId: t.districtA.id, verified: "no", type: "生活服务类" })).map((o) => o.name)).toEqual(["组织4"]);
    expect((await listOrganisations(db, { placeId: t.districtB.id })).map((o) => o.name)).toEqual(["组织5", "组织6"]);
    // By words of the name (the role administrator's search); LIKE's wildcards are only characters.
    expect((await listOrganisations(db, { placeId: t.districtB.id, name: "织6" })).map((o) => o.name)).toEqual(["组织6"]);
    expect(await listOrganisations(db, { placeId: t.districtA.id, name: "%" })).toEqual([]);
  });
});
