import type { AuditContext } from "../../app/platform/audit.server";
import type { DB } from "../../app/platform/db.server";
import type { CallInput } from "../../app/domain/calls/schema";
import type { PlaceSummary } from "../../app/domain/places/places.server";
import { createUser, placeTree, scoped } from "./factories";
import { uscc } from "./organisations";

export const ctxOf = (userId: string, role = "officer"): AuditContext => ({ userId, role, requestId: "test", ip: null });

/** A pool with its total as a top-up row. */
export async function poolWith(db: DB, place: PlaceSummary, totalFen: number, createdBy: string) {
  const pool = await db
    .insertInto("funding_pools")
    .values({ place_id: place.id, name: `测试资金池${place.name}`, source: "区级财政", period_start: "2026-01-01", period_end: "2026-12-31", created_by: createdBy })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("ledger_entries").values({ pool_id: pool.id, grant_id: null, kind: "topup", amount_fen: totalFen, actor_user_id: createdBy, reason: "设立" }).execute();
  return pool.id;
}

/** A verified (or other status) organisation in a district, with one member who leads it. */
export async function organisationWithMember(db: DB, district: PlaceSummary, opts: { type?: string; status?: "verified" | "pending"; name?: string } = {}) {
  const org = await db
    .insertInto("organisations")
    .values({ name: opts.name ?? `测试组织${Math.random().toString(36).slice(2, 8)}`, uscc: uscc(), place_id: district.id, type: opts.type ?? "生活服务类", status: opts.status ?? "verified" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const member = await createUser(db, { name: "组织成员", roles: [{ role: "org_member", organisationId: org.id }] });
  await db.insertInto("organisation_members").values({ organisation_id: org.id, user_id: member.id, org_role: "lead" }).execute();
  return { id: org.id, memberId: member.id };
}

/** An issue a roundtable decided to take to a call (转入创投), as the roundtables feature leaves it. */
export async function readyIssue(db: DB, community: PlaceSummary, staffId: string, title = "小区照明太差，老人夜里出行不便") {
  const issue = await db
    .insertInto("issues")
    .values({ place_id: community.id, author_id: staffId, title, description: "楼道没有照明，老人夜里出行不便。", category: "社区环境", status: "decided", action_type: "mei" })
    .returning("id")
    .executeTakeFirstOrThrow();
  const rt = await db
    .insertInto("roundtables")
    .values({ place_id: community.id, title: "幸福圆桌会", starts_at: new Date("2026-02-01T10:00:00+08:00"), venue: "社区会议室", capacity: 20, status: "concluded", created_by: staffId })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db
    .insertInto("roundtable_decisions")
    .values({ roundtable_id: rt.id, issue_id: issue.id, kind: "to_call", action_type: "mei", budget_estimate_fen: 3_800_000, decided_by: staffId })
    .execute();
  return issue.id;
}

/** Places, an officer of district A, a pool of district A (1 000 000 元) and a ready issue in community A1. */
export async function callWorld(db: DB) {
  const t = await placeTree(db);
  const officer = await createUser(db, { name: "区民政局 周干事", roles: [{ role: "officer", place: t.districtA }] });
  const actor = { roles: [scoped("officer", t.districtA)] };
  const poolId = await poolWith(db, t.districtA, 100_000_000, officer.id);
  const issueId = await readyIssue(db, t.communityA1, officer.id);
  return { t, officer, actor, ctx: ctxOf(officer.id), poolId, issueId };
}

export function callInput(placeId: number, poolId: string, over: Partial<CallInput> = {}): CallInput {
  return {
    placeId,
    title: "点亮桔灯：社区照明微创投",
    description: "面向社区社会组织征集改善老旧小区照明的项目。",
    actionType: "mei",
    poolId,
    cap: 5_000_000,
    totalBudget: 20_000_000,
    eligibleOrgTypes: [],
    eligibleDistrictIds: [],
    opensAt: new Date("2026-03-01T09:00:00+08:00"),
    closesAt: new Date("2026-03-31T17:00:00+08:00"),
    projectStart: "2026-05-01",
    projectEnd: "2026-12-31",
    requiredAttachments: ["登记证书"],
    reviewersPerBid: 2,
    publicityWorkingDays: 5,
    issueIds: [],
    criteria: [
      { name: "需求回应", description: "是否回应居民议题", weight: 40 },
      { name: "可行性", description: "计划与预算是否可行", weight: 35 },
      { name: "撬动资源", description: "配套资金与实物支持", weight: 25 },
    ],
    ...over,
  };
}

/** A minimal valid PDF for required attachments. */
export const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
