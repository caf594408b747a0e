import { beforeAll, describe, expect, it } from "vitest";
import { ROLE_CODES, type RoleCode } from "../accounts/roles";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import type { ScopedRole } from "../../platform/permissions";
import { createUser, placeTree, scoped } from "../../../tests/support/factories";
import { insertTarget } from "../../../tests/support/care-factories";
import type { CareActor } from "./access.server";
import { endMatch, exportTargets, listTargets, logService, matchTarget, readTarget, unmaskTarget } from "./care.server";
import { uscc } from "../../../tests/support/organisations";

/**
 * Who may see a care target, written out as a table: every role × its relation to the target
 * (role at the target's district, at a sibling district, matched now, matched before, not matched
 * while someone else is) × every operation. Every "no" is checked to be a refusal that leaves no
 * trace of the record: a 404-style not_found (or forbidden where the person may already see the
 * record) and no audit row or service written.
 */

const clock = fixedClock("2026-06-01T10:00:00+08:00");
const RELATIONS = ["own place", "sibling place", "matched", "formerly matched", "unmatched"] as const;
type Relation = (typeof RELATIONS)[number];
const OPERATIONS = ["read", "list", "unmask", "export", "log service"] as const;
type Operation = (typeof OPERATIONS)[number];

function allowed(role: RoleCode, rel: Relation, op: Operation): boolean {
  const officerHere = role === "officer" && rel === "own place";
  switch (op) {
    case "read":
      return officerHere || rel === "matched";
    case "list":
    case "unmask":
    case "export":
      return officerHere;
    case "log service":
      return rel === "matched";
  }
}

let tree: Awaited<ReturnType<typeof placeTree>>;
let targetId: string;
let officer: CareActor;
const actors = new Map<string, CareActor>();

function placeFor(role: RoleCode, place: "A" | "B"): ScopedRole {
  const district = place === "A" ? tree.districtA : tree.districtB;
  const community = place === "A" ? tree.communityA1 : tree.communityB1;
  if (role === "admin") return scoped("admin");
  if (role === "resident" || role === "community_staff") return scoped(role, community);
  return scoped(role, district);
}

beforeAll(async () => {
  const db = getDb();
  tree = await placeTree(db);
  const mkOrg = async (name: string) => (await db.insertInto("organisations").values({ name, uscc: uscc(), place_id: tree.districtA.id }).returning("id").executeTakeFirstOrThrow()).id;
  const orgHere = await mkOrg("本区组织（未对接）");
  const orgOther = await mkOrg("其他组织");
  const o = await createUser(db, { roles: [{ role: "officer", place: tree.districtA }] });
  officer = { userId: o.id, roles: [scoped("officer", tree.districtA)] };
  targetId = (await insertTarget(db, tree.communityA1, { name: "保密对象" })).id;
  const ctx = { userId: officer.userId };

  // Someone else is matched, so "unmatched" people face a target that does have carers.
  const someoneElse = await createUser(db);
  await matchTarget(db, officer, ctx, clock, targetId, { kind: "volunteer", carerPhone: someoneElse.phone, startedOn: "2026-01-01" });

  for (const role of ROLE_CODES) {
    for (const rel of RELATIONS) {
      const user = await createUser(db, { name: `${role}-${rel}` });
      let roles: ScopedRole[];
      if (role === "org_member") {
        const org = rel === "own place" ? orgHere : rel === "matched" || rel === "formerly matched" ? await mkOrg(`${rel} 组织`) : orgOther;
        roles = [scoped("org_member", undefined, org)];
        if (rel === "matched" || rel === "formerly matched") {
          const m = await matchTarget(db, officer, ctx, clock, targetId, { kind: "organisation", organisationId: org, startedOn: "2026-01-01" });
          if (rel === "formerly matched") await endMatch(db, officer, ctx, clock, targetId, { matchId: m.id });
        }
      } else {
        roles = [placeFor(role, rel === "own place" ? "A" : "B")];
        if (rel === "matched" || rel === "formerly matched") {
          const m = await matchTarget(db, officer, ctx, clock, targetId, { kind: "volunteer", carerPhone: user.phone, startedOn: "2026-01-01" });
          if (rel === "formerly matched") await endMatch(db, officer, ctx, clock, targetId, { matchId: m.id });
        }
      }
      actors.set(`${role}|${rel}`, { userId: user.id, roles });
    }
  }
});

async function attempt(op: Operation, actor: CareActor): Promise<{ ok: true; sawTarget: boolean } | { ok: false; code: string }> {
  const db = getDb();
  const ctx = { userId: actor.userId };
  try {
    switch (op) {
      case "read":
        await readTarget(db, actor, ctx, clock, targetId);
        return { ok: true, sawTarget: true };
      case "list":
        return { ok: true, sawTarget: (await listTargets(db, actor, ctx, { limit: 1000 })).some((t) => t.id === targetId) };
      case "unmask":
        await unmaskTarget(db, actor, ctx, targetId, "授权测试：核对身份");
        return { ok: true, sawTarget: true };
      case "export":
        return { ok: true, sawTarget: (await exportTargets(db, actor, ctx, tree.districtA.id)).rows.some((r) => r[0] === "保密对象") };
      case "log service":
        await logService(db, actor, ctx, clock, { targetId, servedOn: "2026-05-31", kind: "亲情陪伴", durationMinutes: 30, followUp: false });
        return { ok: true, sawTarget: true };
    }
  } catch (e) {
    if (e instanceof DomainError) return { ok: false, code: e.code };
    throw e;
  }
}

const AUDIT_OF: Record<Operation, string> = { read: "care.read", list: "care.list", unmask: "care.unmask", export: "care.export", "log service": "care.service_log" };

describe("care authorisation table: role × relation × operation", () => {
  const rows = ROLE_CODES.flatMap((role) => RELATIONS.flatMap((rel) => OPERATIONS.map((op) => ({ role, rel, op, expected: allowed(role, rel, op) }))));

  it("covers every role, including the privacy officer", () => {
    expect(ROLE_CODES).toContain("privacy_officer");
    expect(rows).toHaveLength(ROLE_CODES.length * RELATIONS.length * OPERATIONS.length);
  });

  it.each(rows)("$role, $rel: $op → allowed=$expected", async ({ role, rel, op, expected }) => {
    const db = getDb();
    const actor = actors.get(`${role}|${rel}`)!;
    const countTrace = async () => {
      const audits = await db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).where("actor_user_id", "=", actor.userId).where("action", "=", AUDIT_OF[op]).executeTakeFirstOrThrow();
      const services = await db.selectFrom("care_services").select((eb) => eb.fn.countAll<number>().as("n")).where("logged_by", "=", actor.userId).executeTakeFirstOrThrow();
      return { audits: Number(audits.n), services: Number(services.n) };
    };
    const before = await countTrace();
    const result = await attempt(op, actor);
    const after = await countTrace();
    if (expected) {
      expect(result).toEqual({ ok: true, sawTarget: true });
      expect(after.audits).toBe(before.audits + 1);
    } else {
      // Refused outright, or (lists) the target is simply not among the rows.
      if (result.ok) {
        expect(op).toBe("list");
        expect(result.sawTarget).toBe(false);
      } else {
        // Someone who cannot see the record learns nothing (not_found); forbidden only where they may already see it.
        const canAlreadySee = allowed(role, rel, "read");
        expect(result.code).toBe(canAlreadySee ? "forbidden" : op === "list" || op === "export" ? "forbidden" : "not_found");
        expect(after.audits).toBe(before.audits);
      }
      expect(after.services).toBe(before.services);
    }
  });
});
