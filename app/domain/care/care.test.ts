import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { makeIdCard } from "../../lib/idcard";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { createUser, placeTree, scoped } from "../../../tests/support/factories";
import { insertTarget, targetInput, uniqueIdCard } from "../../../tests/support/care-factories";
import type { CareActor } from "./access.server";
import { createTarget, endMatch, listTargets, logService, matchTarget, myTargets, officerDashboard, publicStats, readTarget, recordOutcome, unmaskTarget } from "./care.server";
import { uscc } from "../../../tests/support/organisations";

const clock = fixedClock("2026-06-01T10:00:00+08:00");
const ctx = (userId: string) => ({ userId, requestId: "test", ip: "127.0.0.1" });

let tree: Awaited<ReturnType<typeof placeTree>>;
let officer: CareActor;
let orgId: string;
let worker: CareActor & { phone: string };

beforeAll(async () => {
  const db = getDb();
  tree = await placeTree(db);
  const o = await createUser(db, { roles: [{ role: "officer", place: tree.districtA }] });
  officer = { userId: o.id, roles: [scoped("officer", tree.districtA)] };
  orgId = (await db.insertInto("organisations").values({ name: "心灵家园", uscc: uscc(), place_id: tree.districtA.id }).returning("id").executeTakeFirstOrThrow()).id;
  const w = await createUser(db, { name: "张社工", roles: [{ role: "org_member", organisationId: orgId }] });
  worker = { userId: w.id, phone: w.phone, roles: [scoped("org_member", undefined, orgId)] };
});

async function expectDomainError(p: Promise<unknown>, code: string) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).code).toBe(code);
  return e as DomainError;
}

describe("care targets: records and privacy at rest", () => {
  it("stores the ID number and phones only encrypted: the raw row holds no plain text of them", async () => {
    const db = getDb();
    const idNumber = makeIdCard("360122", "19580317", "421");
    const { id } = await createTarget(db, officer, ctx(officer.userId), clock, targetInput(tree.communityA1, { idNumber, phone: "13912345678", guardianName: "王大", guardianPhone: "13887654321" }));
    const raw = await sql<{ row: string }>`select row_to_json(t)::text as row from care_targets t where id = ${id}`.execute(db);
    const text = raw.rows[0].row;
    for (const secret of [idNumber, "13912345678", "13887654321", "19580317", "1958-03-17"]) expect(text).not.toContain(secret);
    expect(text).toMatch(/"id_number_enc":"dev:[^"]+"/);
  });

  it("derives sex and birth year, and shows the ID masked (first 6, last 4) and phones masked", async () => {
    const db = getDb();
    const idNumber = makeIdCard("360103", "19600101", "131");
    const { id } = await createTarget(db, officer, ctx(officer.userId), clock, targetInput(tree.communityA1, { idNumber, phone: "13912340000" }));
    const view = await readTarget(db, officer, ctx(officer.userId), clock, id);
    expect(view.idMasked).toBe(`360103********${idNumber.slice(14)}`);
    expect(view.phoneMasked).toBe("139****0000");
    expect(view.sex).toBe("male");
    expect(view.age).toBe(66);
    const row = await db.selectFrom("care_targets").select(["sex", "birth_year"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ sex: "male", birth_year: 1960 });
  });

  it("requires a guardian for a minor at referral", async () => {
    const db = getDb();
    const input = targetInput(tree.communityA1, { idNumber: makeIdCard("360112", "20100505", "151"), referredOn: "2026-01-05" });
    const e = await expectDomainError(createTarget(db, officer, ctx(officer.userId), clock, input), "invalid");
    expect(e.fieldErrors?.guardianName).toBe("未成年人须填写监护人");
    const { id } = await createTarget(db, officer, ctx(officer.userId), clock, { ...input, guardianName: "符爷爷", guardianRelation: "祖父", consentBy: "符爷爷（监护人）" });
    expect((await readTarget(db, officer, ctx(officer.userId), clock, id)).guardian).toMatchObject({ name: "符爷爷", relation: "祖父" });
  });

  it("refuses a second record with the same ID number (keyed hash), wherever it was created", async () => {
    const db = getDb();
    const idNumber = uniqueIdCard();
    await createTarget(db, officer, ctx(officer.userId), clock, targetInput(tree.communityA1, { idNumber }));
    const e = await expectDomainError(createTarget(db, officer, ctx(officer.userId), clock, targetInput(tree.communityA2, { idNumber: idNumber.toLowerCase() })), "conflict");
    expect(e.fieldErrors?.idNumber).toBe("与已有记录重复");
  });

  it("refuses to create a target outside the officer's places", async () => {
    await expectDomainError(createTarget(getDb(), officer, ctx(officer.userId), clock, targetInput(tree.communityB1)), "forbidden");
  });
});

describe("reading, unmasking and the access history", () => {
  it("writes a care.read audit row with the reader and the reason for every read, and shows staff the history", async () => {
    const db = getDb();
    const { id } = await insertTarget(db, tree.communityA1);
    await readTarget(db, officer, ctx(officer.userId), clock, id);
    await unmaskTarget(db, officer, ctx(officer.userId), id, "核对低保资格需要完整证件号");
    const view = await readTarget(db, officer, ctx(officer.userId), clock, id);
    const rows = await db.selectFrom("audit_log").select(["action", "actor_user_id", "actor_role", "summary"]).where("entity_id", "=", id).orderBy("id").execute();
    expect(rows.map((r) => r.action)).toEqual(["care.read", "care.unmask", "care.read"]);
    expect(rows[0]).toMatchObject({ actor_user_id: officer.userId, actor_role: "officer", summary: { reason: "民政局工作人员（辖区）" } });
    expect(rows[1].summary).toEqual({ reason: "核对低保资格需要完整证件号" });
    expect(view.accessHistory?.map((a) => a.action)).toEqual(["care.read", "care.unmask", "care.read"]);
    expect(view.accessHistory?.[1].reason).toBe("核对低保资格需要完整证件号");
  });

  it("unmask returns the full number once and never writes it to the audit log", async () => {
    const db = getDb();
    const { id, idNumber } = await insertTarget(db, tree.communityA1);
    const shown = await unmaskTarget(db, officer, ctx(officer.userId), id, "办理临时救助");
    expect(shown.idNumber).toBe(idNumber);
    expect(shown.phone).toBe("13700001234");
    const log = await sql<{ t: string }>`select string_agg(summary::text, ' ') as t from audit_log`.execute(db);
    expect(log.rows[0].t).not.toContain(idNumber);
  });

  it("lists targets masked, only within the officer's places", async () => {
    const db = getDb();
    const { id: inA, idNumber } = await insertTarget(db, tree.communityA2, { name: "甲二对象" });
    const { id: inB } = await insertTarget(db, tree.communityB1, { name: "乙一对象" });
    const list = await listTargets(db, officer, ctx(officer.userId), { limit: 500 });
    expect(list.map((t) => t.id)).toContain(inA);
    expect(list.map((t) => t.id)).not.toContain(inB);
    expect(JSON.stringify(list)).not.toContain(idNumber);
    expect((await listTargets(db, officer, ctx(officer.userId), { q: idNumber })).map((t) => t.id)).toEqual([inA]);
  });
});

describe("matching, service logs, case view and outcomes", () => {
  it("a matched social worker logs services; ending the match keeps history and removes access at once", async () => {
    const db = getDb();
    const { id } = await insertTarget(db, tree.communityA1, { name: "符明" });
    const match = await matchTarget(db, officer, ctx(officer.userId), clock, id, { kind: "social_worker", carerPhone: worker.phone, startedOn: "2026-01-10" });
    await logService(db, worker, ctx(worker.userId), clock, { targetId: id, servedOn: "2026-01-15", kind: "心理疏导", durationMinutes: 90, notes: "初次面谈", followUp: true });
    await logService(db, worker, ctx(worker.userId), clock, { targetId: id, servedOn: "2026-04-20", kind: "其他", otherKind: "陪同就医", durationMinutes: 120, followUp: false });
    const mine = await myTargets(db, worker, ctx(worker.userId), clock);
    expect(mine.find((t) => t.id === id)).toMatchObject({ name: "符明", kind: "social_worker", lastServiceOn: "2026-04-20", overdue: true });

    const view = await readTarget(db, officer, ctx(officer.userId), clock, id);
    expect(view.services.map((s) => s.kind)).toEqual(["其他：陪同就医", "心理疏导"]);
    expect(view.caseView?.gaps).toEqual([
      { from: "2026-01-15", to: "2026-04-20", days: 95 },
      { from: "2026-04-20", to: "2026-06-01", days: 42 },
    ]);
    expect(view.caseView?.overdue).toBe(true);

    const carerView = await readTarget(db, worker, ctx(worker.userId), clock, id);
    expect(carerView.access.reason).toBe("matched_user");
    expect(carerView.accessHistory).toBeNull();

    await endMatch(db, officer, ctx(officer.userId), clock, id, { matchId: match.id, endReason: "服务期满" });
    await expectDomainError(readTarget(db, worker, ctx(worker.userId), clock, id), "not_found");
    await expectDomainError(logService(db, worker, ctx(worker.userId), clock, { targetId: id, servedOn: "2026-05-30", kind: "亲情陪伴", durationMinutes: 30, followUp: false }), "not_found");
    expect((await myTargets(db, worker, ctx(worker.userId), clock)).map((t) => t.id)).not.toContain(id);
    const after = await readTarget(db, officer, ctx(officer.userId), clock, id);
    expect(after.matches[0]).toMatchObject({ status: "ended", endedOn: "2026-06-01", endReason: "服务期满" });
    expect(after.services).toHaveLength(2);
  });

  it("matches several carers to one target (多对一) and every member of a matched organisation may log", async () => {
    const db = getDb();
    const { id } = await insertTarget(db, tree.communityA1);
    const colleague = await createUser(db, { roles: [{ role: "org_member", organisationId: orgId }] });
    const volunteer = await createUser(db);
    await matchTarget(db, officer, ctx(officer.userId), clock, id, { kind: "organisation", organisationId: orgId, startedOn: "2026-05-01" });
    await matchTarget(db, officer, ctx(officer.userId), clock, id, { kind: "volunteer", carerPhone: volunteer.phone, startedOn: "2026-05-01" });
    await expectDomainError(matchTarget(db, officer, ctx(officer.userId), clock, id, { kind: "volunteer", carerPhone: volunteer.phone, startedOn: "2026-05-02" }), "conflict");
    await logService(db, { userId: colleague.id, roles: [scoped("org_member", undefined, orgId)] }, ctx(colleague.id), clock, { targetId: id, servedOn: "2026-05-20", kind: "生活照料", durationMinutes: 60, followUp: false });
    await logService(db, { userId: volunteer.id, roles: [] }, ctx(volunteer.id), clock, { targetId: id, servedOn: "2026-05-21", kind: "亲情陪伴", durationMinutes: 45, followUp: false });
    const view = await readTarget(db, officer, ctx(officer.userId), clock, id);
    expect(view.matches.filter((m) => m.status === "active")).toHaveLength(2);
    expect(view.services).toHaveLength(2);
    expect(view.caseView?.overdue).toBe(false);
  });

  it("refuses a service dated in the future or before the match began, and lets an officer record an outcome", async () => {
    const db = getDb();
    const { id } = await insertTarget(db, tree.communityA1);
    await matchTarget(db, officer, ctx(officer.userId), clock, id, { kind: "social_worker", carerPhone: worker.phone, startedOn: "2026-03-01" });
    const base = { targetId: id, kind: "就业帮扶" as const, durationMinutes: 60, followUp: false };
    expect((await expectDomainError(logService(db, worker, ctx(worker.userId), clock, { ...base, servedOn: "2026-06-02" }), "invalid")).fieldErrors?.servedOn).toBeTruthy();
    expect((await expectDomainError(logService(db, worker, ctx(worker.userId), clock, { ...base, servedOn: "2026-02-28" }), "invalid")).fieldErrors?.servedOn).toBeTruthy();
    await expectDomainError(recordOutcome(db, worker, ctx(worker.userId), clock, id, { achievedOn: "2026-05-30", description: "找到工作" }), "forbidden");
    await recordOutcome(db, officer, ctx(officer.userId), clock, id, { achievedOn: "2026-05-30", description: "找到公益性岗位工作" });
    expect((await readTarget(db, officer, ctx(officer.userId), clock, id)).outcomes).toEqual([expect.objectContaining({ achievedOn: "2026-05-30", description: "找到公益性岗位工作" })]);
  });
});

describe("counts", () => {
  it("public counts hide 1–4 as <5 (with a second cell when one alone would show), officers see exact figures", async () => {
    const db = getDb();
    const t2 = await placeTree(db);
    for (let i = 0; i < 6; i++) await insertTarget(db, t2.communityA1, { groups: ["低保对象"] });
    for (let i = 0; i < 2; i++) await insertTarget(db, t2.communityB1, { groups: ["残疾人", "低保对象"] });
    const stats = await publicStats(db, clock, t2.city.id);
    expect(stats.total).toBe("8");
    expect(stats.byPlace).toEqual([
      { id: t2.districtA.id, name: "甲区", shown: "<5" },
      { id: t2.districtB.id, name: "乙区", shown: "<5" },
    ]);
    expect(stats.byGroup.find((g) => g.name === "低保对象")?.shown).toBe("8");
    expect(stats.byGroup.find((g) => g.name === "残疾人")?.shown).toBe("<5");
    expect(stats.byGroup.find((g) => g.name === "困境儿童")?.shown).toBe("0");
    const cityOfficer = { userId: officer.userId, roles: [scoped("officer", t2.city)] };
    expect(await officerDashboard(db, cityOfficer, clock, t2.city.path)).toMatchObject({ total: 8, matched: 0, unmatched: 8 });
  });

  it("gives exact figures for a part of the install (its own targets aggregated) and for the root (all targets aggregated)", async () => {
    const db = getDb();
    const t2 = await placeTree(db);
    const o = await createUser(db, { roles: [{ role: "officer", place: t2.city }] });
    const cityOfficer: CareActor = { userId: o.id, roles: [scoped("officer", t2.city)] };
    const org = (await db.insertInto("organisations").values({ name: "邻里互助社", uscc: uscc(), place_id: t2.city.id }).returning("id").executeTakeFirstOrThrow()).id;
    const member = await createUser(db, { roles: [{ role: "org_member", organisationId: org }] });
    const memberActor: CareActor = { userId: member.id, roles: [scoped("org_member", undefined, org)] };
    const match = async (place: typeof t2.communityA1, startedOn: string) => {
      const { id } = await insertTarget(db, place);
      await matchTarget(db, cityOfficer, ctx(o.id), clock, id, { kind: "organisation", organisationId: org, startedOn });
      return id;
    };
    // 甲区: one unmatched, one matched and served lately, one matched long ago and never served (overdue), one served long ago (overdue).
    await insertTarget(db, t2.communityA1);
    await logService(db, memberActor, ctx(member.id), clock, { targetId: await match(t2.communityA1, "2026-03-01"), servedOn: "2026-05-25", kind: "生活照料", durationMinutes: 30, followUp: false });
    await match(t2.communityA2, "2026-01-10");
    const old = await match(t2.communityA2, "2026-01-10");
    for (const servedOn of ["2026-02-01", "2026-03-01"]) await logService(db, memberActor, ctx(member.id), clock, { targetId: old, servedOn, kind: "亲情陪伴", durationMinutes: 30, followUp: false });
    // 乙区: two matched and served lately.
    for (let i = 0; i < 2; i++) await logService(db, memberActor, ctx(member.id), clock, { targetId: await match(t2.communityB1, "2026-04-01"), servedOn: "2026-05-30", kind: "生活照料", durationMinutes: 30, followUp: false });
    const districtA = await officerDashboard(db, cityOfficer, clock, t2.districtA.path);
    expect(districtA).toEqual({ total: 4, matched: 3, unmatched: 1, overdue: 2, services: 3 });
    expect(await officerDashboard(db, cityOfficer, clock, t2.streetB.path)).toEqual({ total: 2, matched: 2, unmatched: 0, overdue: 0, services: 2 });
    expect(await officerDashboard(db, cityOfficer, clock, t2.city.path)).toEqual({ total: 6, matched: 5, unmatched: 1, overdue: 2, services: 5 });
  });
});
