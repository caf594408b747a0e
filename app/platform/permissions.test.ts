import { describe, expect, it } from "vitest";
import { ROLE_CODES, type RoleCode } from "../domain/accounts/roles";
import { ACTION_EFFECT, ACTIONS, can, effectsOf, PERMISSIONS, placeScopes, violatesSeparationOfDuties, type Action, type Resource, type ScopedRole } from "./permissions";

/**
 * The permission table written out again as the specification: who may do what, and how far
 * their scope reaches. Changing PERMISSIONS without changing this spec fails the suite.
 */
const SPEC: Record<Action, { roles: RoleCode[]; scope: "place" | "organisation" | "any" }> = {
  "admin.roles.manage": { roles: ["admin"], scope: "any" },
  "audit.read": { roles: ["admin", "auditor"], scope: "any" },
  "retention.view": { roles: ["admin", "auditor", "privacy_officer"], scope: "any" },
  "retention.manage": { roles: ["privacy_officer"], scope: "any" },
  "resident.verify": { roles: ["community_staff"], scope: "place" },
  "issue.support": { roles: ["resident"], scope: "place" },
  "issue.moderate": { roles: ["community_staff"], scope: "place" },
  "roundtable.manage": { roles: ["community_staff"], scope: "place" },
  "roundtable.signup": { roles: ["resident"], scope: "place" },
  "issue.ready.view": { roles: ["officer", "liaison"], scope: "place" },
  "organisation.edit": { roles: ["org_member"], scope: "organisation" },
  "organisation.verify": { roles: ["officer"], scope: "place" },
  "bid.submit": { roles: ["org_member"], scope: "organisation" },
  "pool.manage": { roles: ["officer"], scope: "place" },
  "call.publish": { roles: ["officer", "liaison"], scope: "place" },
  "review.score": { roles: ["reviewer"], scope: "any" },
  "review.manage": { roles: ["officer"], scope: "place" },
  "grant.award": { roles: ["officer"], scope: "place" },
  "grant.manage": { roles: ["officer"], scope: "place" },
  "grant.disburse": { roles: ["officer"], scope: "place" },
  "grant.liaison_review": { roles: ["liaison"], scope: "place" },
  "grant.report": { roles: ["org_member"], scope: "organisation" },
  "care.read": { roles: ["officer"], scope: "place" },
  "care.manage": { roles: ["officer"], scope: "place" },
  "care.match": { roles: ["officer"], scope: "place" },
  "care.unmask": { roles: ["officer"], scope: "place" },
  "care.export": { roles: ["officer"], scope: "place" },
  "care.import": { roles: ["officer"], scope: "place" },
  "care.access_report": { roles: ["privacy_officer", "auditor"], scope: "place" },
  "dashboard.view": { roles: ["officer", "liaison"], scope: "place" },
  "report.create": { roles: ["officer"], scope: "place" },
  "report.read": { roles: ["officer"], scope: "place" },
  "liaison.work": { roles: ["liaison"], scope: "place" },
  "liaison.guide": { roles: ["liaison"], scope: "place" },
  "liaison.summaries.review": { roles: ["officer"], scope: "place" },
};

// city /1/ → district A /1/2/ (own scope) → street /1/2/5/ (child); district B /1/3/ (sibling).
const OWN = "/1/2/";
const CHILD = "/1/2/5/";
const PARENT = "/1/";
const SIBLING = "/1/3/";
const ORG = "00000000-0000-0000-0000-00000000000a";
const OTHER_ORG = "00000000-0000-0000-0000-00000000000b";

type Relation = "own" | "sibling" | "parent" | "child";

function roleAtScope(role: RoleCode): ScopedRole {
  if (role === "org_member") return { role, placeId: null, placePath: null, organisationId: ORG };
  if (role === "admin") return { role, placeId: null, placePath: null, organisationId: null };
  return { role, placeId: 2, placePath: OWN, organisationId: null };
}

function resource(rel: Relation, scope: "place" | "organisation" | "any"): Resource {
  if (scope === "organisation") return { organisationId: rel === "own" ? ORG : OTHER_ORG, placePath: CHILD };
  return { placePath: { own: OWN, sibling: SIBLING, parent: PARENT, child: CHILD }[rel] };
}

function expected(action: Action, role: RoleCode, rel: Relation): boolean {
  const spec = SPEC[action];
  if (!spec.roles.includes(role)) return false;
  if (spec.scope === "any") return true;
  if (spec.scope === "organisation") return rel === "own";
  return rel === "own" || rel === "child";
}

describe("permissions: every role × every action × own / sibling / parent / child scope", () => {
  it("the spec names every action in the table, and nothing else", () => {
    expect(Object.keys(SPEC).sort()).toEqual([...ACTIONS].sort());
  });

  const rows = ACTIONS.flatMap((action) =>
    ROLE_CODES.flatMap((role) => (["own", "sibling", "parent", "child"] as const).map((rel) => ({ action, role, rel }))),
  );

  it.each(rows)("$role → $action on $rel scope", ({ action, role, rel }) => {
    const principal = { roles: [roleAtScope(role)] };
    expect(can(principal, action, resource(rel, SPEC[action].scope))).toBe(expected(action, role, rel));
  });

  it("denies everything to an anonymous visitor and to a user without roles", () => {
    for (const action of ACTIONS) {
      expect(can(null, action, { placePath: OWN, organisationId: ORG })).toBe(false);
      expect(can({ roles: [] }, action, { placePath: OWN, organisationId: ORG })).toBe(false);
    }
  });

  it("does not let a path prefix that is not an ancestor match (/1/2/ must not cover /1/23/)", () => {
    const officer = { roles: [roleAtScope("officer")] };
    expect(can(officer, "grant.award", { placePath: "/1/23/" })).toBe(false);
    expect(can(officer, "grant.award", { placePath: "/1/2/23/" })).toBe(true);
  });

  it("lets a person with several roles act through whichever role allows it", () => {
    const both: ScopedRole[] = [roleAtScope("resident"), { role: "officer", placeId: 3, placePath: SIBLING, organisationId: null }];
    expect(can({ roles: both }, "grant.award", { placePath: SIBLING })).toBe(true);
    expect(can({ roles: both }, "grant.award", { placePath: OWN })).toBe(false);
    expect(can({ roles: both }, "issue.support", { placePath: OWN })).toBe(true);
  });

  it("lists the place paths a person may act within, only through roles the action allows", () => {
    const roles: ScopedRole[] = [
      roleAtScope("officer"),
      { role: "officer", placeId: 3, placePath: SIBLING, organisationId: null },
      { role: "liaison", placeId: 9, placePath: "/1/9/", organisationId: null },
      roleAtScope("org_member"),
    ];
    expect(placeScopes({ roles }, "pool.manage")).toEqual([OWN, SIBLING]);
    expect(placeScopes({ roles }, "call.publish")).toEqual([OWN, SIBLING, "/1/9/"]);
    expect(placeScopes({ roles }, "organisation.edit")).toEqual([]);
    expect(placeScopes(null, "pool.manage")).toEqual([]);
  });
});

describe("separation of duties over the PERMISSIONS table", () => {
  const writes = ACTIONS.filter((a) => ACTION_EFFECT[a] === "write");
  const erases = ACTIONS.filter((a) => ACTION_EFFECT[a] === "erase");

  it("classifies every action, and some actions erase (the check below is not vacuous)", () => {
    expect(Object.keys(ACTION_EFFECT).sort()).toEqual([...ACTIONS].sort());
    expect(erases.length).toBeGreaterThan(0);
    expect(writes.length).toBeGreaterThan(0);
  });

  it.each([...ROLE_CODES])("%s does not hold both a write action and a retention/erase action", (role) => {
    const holds = (a: Action) => (PERMISSIONS[a].roles as readonly RoleCode[]).includes(role);
    const w = writes.filter(holds);
    const e = erases.filter(holds);
    expect(w.length === 0 || e.length === 0, `${role} writes ${w.join(",")} and erases ${e.join(",")}`).toBe(true);
    expect(violatesSeparationOfDuties([role])).toBe(false);
  });

  it("the auditor reads the audit log and the care access report and changes nothing", () => {
    expect([...effectsOf(["auditor"])]).toEqual(["read"]);
    const auditor = { roles: [{ role: "auditor" as const, placeId: 1, placePath: PARENT, organisationId: null }] };
    expect(can(auditor, "audit.read")).toBe(true);
    expect(can(auditor, "care.access_report", { placePath: OWN })).toBe(true);
    expect(ACTIONS.filter((a) => can(auditor, a, { placePath: OWN, organisationId: ORG }) && ACTION_EFFECT[a] !== "read")).toEqual([]);
  });

  it("flags a combination of roles that would both write and erase", () => {
    expect(violatesSeparationOfDuties(["officer", "privacy_officer"])).toBe(true);
    expect(violatesSeparationOfDuties(["admin", "privacy_officer"])).toBe(true);
    expect(violatesSeparationOfDuties(["auditor", "privacy_officer"])).toBe(false);
  });
});
