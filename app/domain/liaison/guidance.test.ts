import { beforeAll, describe, expect, it } from "vitest";
import { createUser, placeTree, scoped } from "../../../tests/support/factories";
import { organisationInput } from "../../../tests/support/organisations";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { listNotifications } from "../notifications/notifications.server";
import { addGuidanceNote, listGuidanceNotes, mayReadGuidance } from "./guidance.server";

let tree: Awaited<ReturnType<typeof placeTree>>;
let liaisonA: { id: string };
let member: { id: string };
let grantId: string;
let orgId: string;
const clock = fixedClock("2026-06-01T02:00:00Z");

beforeAll(async () => {
  const db = getDb();
  tree = await placeTree(db);
  liaisonA = await createUser(db, { name: "联络员 甲", roles: [{ role: "liaison", place: tree.districtA }] });
  const officer = await createUser(db, { name: "干事", roles: [{ role: "officer", place: tree.city }] });
  const i = organisationInput(tree.districtA.id);
  orgId = (await db.insertInto("organisations").values({ name: i.name, uscc: i.uscc, type: i.type, place_id: tree.districtA.id, service_areas: i.serviceAreas, status: "verified", contact_phone: i.contactPhone }).returning("id").executeTakeFirstOrThrow()).id;
  member = await createUser(db, { roles: [{ role: "org_member", organisationId: orgId }] });
  await db.insertInto("organisation_members").values({ organisation_id: orgId, user_id: member.id, org_role: "lead" }).execute();
  const pool = await db.insertInto("funding_pools").values({ place_id: tree.city.id, name: "资金池", source: "社会捐赠", period_start: "2026-01-01", period_end: "2026-12-31" }).returning("id").executeTakeFirstOrThrow();
  const call = await db
    .insertInto("calls")
    .values({ place_id: tree.districtA.id, title: "招贤榜", description: "招募", action_type: "mei", pool_id: pool.id, cap_fen: 100_000, total_budget_fen: 100_000, opens_at: "2026-01-01T00:00:00Z", closes_at: "2026-02-01T00:00:00Z", project_start: "2026-03-01", project_end: "2026-09-30", status: "published", created_by: officer.id, published_at: new Date("2026-01-01T00:00:00Z") })
    .returning("id")
    .executeTakeFirstOrThrow();
  const bid = await db.insertInto("bids").values({ call_id: call.id, organisation_id: orgId, status: "submitted", project_name: "楼道点灯", action_type: "mei", created_by: member.id }).returning("id").executeTakeFirstOrThrow();
  grantId = (
    await db
      .insertInto("grants")
      .values({ call_id: call.id, bid_id: bid.id, organisation_id: orgId, pool_id: pool.id, place_id: tree.communityA1.id, project_name: "楼道点灯", action_type: "mei", amount_fen: 100_000, status: "in_progress", awarded_by: officer.id, awarded_at: new Date("2026-02-10T00:00:00Z"), publicity_ends_at: new Date("2026-02-17T00:00:00Z") })
      .returning("id")
      .executeTakeFirstOrThrow()
  ).id;
});

describe("联络员指导意见", () => {
  it("records the district liaison's note, audits it and notifies the organisation's members", async () => {
    const db = getDb();
    const r = await db.transaction().execute((trx) => addGuidanceNote(trx, { userId: liaisonA.id }, { roles: [scoped("liaison", tree.districtA)] }, clock, grantId, { body: "建议在活动前张贴安全提示，并留存签到表。" }));
    expect(r.notified).toBe(1);
    const notes = await listGuidanceNotes(db, grantId);
    expect(notes.map((n) => [n.body, n.authorName])).toEqual([["建议在活动前张贴安全提示，并留存签到表。", "联络员 甲"]]);
    const logged = await db.selectFrom("audit_log").select(["action", "entity_id"]).where("action", "=", "grant.guidance_note").execute();
    expect(logged).toEqual([{ action: "grant.guidance_note", entity_id: grantId }]);
    const inbox = await listNotifications(db, member.id);
    expect(inbox.map((n) => n.title)).toContain("联络员指导意见：楼道点灯");
  });

  it("refuses a liaison of another district, and a note on an unknown project", async () => {
    const db = getDb();
    const other = await createUser(db, { roles: [{ role: "liaison", place: tree.districtB }] });
    await expect(
      db.transaction().execute((trx) => addGuidanceNote(trx, { userId: other.id }, { roles: [scoped("liaison", tree.districtB)] }, clock, grantId, { body: "越权的指导意见内容" })),
    ).rejects.toBeInstanceOf(DomainError);
    await expect(
      db.transaction().execute((trx) => addGuidanceNote(trx, { userId: liaisonA.id }, { roles: [scoped("liaison", tree.districtA)] }, clock, "00000000-0000-4000-8000-000000000000", { body: "不存在的项目" })),
    ).rejects.toBeInstanceOf(DomainError);
    expect(await listGuidanceNotes(db, grantId)).toHaveLength(1);
  });

  it("is read by the organisation and the bureau, not by residents, other organisations or the public", () => {
    const scope = { placePath: tree.communityA1.path, organisationId: orgId };
    expect(mayReadGuidance({ roles: [scoped("org_member", undefined, orgId)] }, scope)).toBe(true);
    expect(mayReadGuidance({ roles: [scoped("officer", tree.city)] }, scope)).toBe(true);
    expect(mayReadGuidance({ roles: [scoped("liaison", tree.districtA)] }, scope)).toBe(true);
    expect(mayReadGuidance({ roles: [scoped("liaison", tree.districtB)] }, scope)).toBe(false);
    expect(mayReadGuidance({ roles: [scoped("org_member", undefined, "00000000-0000-4000-8000-000000000000")] }, scope)).toBe(false);
    expect(mayReadGuidance({ roles: [scoped("resident", tree.communityA1)] }, scope)).toBe(false);
    expect(mayReadGuidance({ roles: [] }, scope)).toBe(false);
  });

  it("keeps notes as given: the table refuses changes", async () => {
    await expect(getDb().updateTable("grant_guidance_notes").set({ body: "改过的内容" }).where("grant_id", "=", grantId).execute()).rejects.toThrow();
  });
});

describe("招贤榜 posted by a liaison in the district", () => {
  it("lets the district's liaison draft and publish a call answering a decided issue, and refuses a liaison of another district", async () => {
    const db = getDb();
    const { callWorld, callInput, ctxOf } = await import("../../../tests/support/calls");
    const { getCall, publishCall, saveCallDraft } = await import("../calls/calls.server");
    const w = await callWorld(db);
    const liaison = await createUser(db, { name: "联络员 丙", roles: [{ role: "liaison", place: w.t.districtA }] });
    const actor = { roles: [scoped("liaison", w.t.districtA)] };
    const clock = fixedClock("2026-02-20T10:00:00+08:00");
    const { id } = await db.transaction().execute((trx) => saveCallDraft(trx, ctxOf(liaison.id, "liaison"), actor, callInput(w.t.districtA.id, w.poolId, { issueIds: [w.issueId] }), clock));
    await db.transaction().execute((trx) => publishCall(trx, ctxOf(liaison.id, "liaison"), actor, id, clock));
    expect((await getCall(db, id))?.status).toBe("published");
    const other = { roles: [scoped("liaison", w.t.districtB)] };
    await expect(
      db.transaction().execute((trx) => saveCallDraft(trx, ctxOf(liaison.id, "liaison"), other, callInput(w.t.districtA.id, w.poolId, { issueIds: [] }), clock)),
    ).rejects.toBeInstanceOf(DomainError);
  });
});
