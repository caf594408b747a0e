import type { RoleCode } from "../domain/accounts/roles";

/**
 * Every action a person can take, the roles that may take it and how the role's scope must
 * relate to the resource. This table is the only place permissions are decided; loaders and
 * actions call requirePermission (auth.server.ts), never a role check of their own.
 */
export type ScopeRule =
  /** the role's place is the resource's place or one of its ancestors */
  | "place"
  /** the role's organisation is the resource's organisation */
  | "organisation"
  /** any assignment of the role will do */
  | "any";

export const PERMISSIONS = {
  "admin.roles.manage": { roles: ["admin"], scope: "any" },
  "audit.read": { roles: ["admin", "auditor"], scope: "any" },
  // Retention periods (app/domain/retention): anyone accountable may read them; changing them decides
  // what is erased, so it belongs to the privacy officer, who changes no other data (separation of duties).
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
  // Matched carers' reads and service logs depend on data (an active match): app/domain/care/access.server.ts.
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
} as const satisfies Record<string, { roles: readonly RoleCode[]; scope: ScopeRule }>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

/**
 * What each action does to the record, for separation of duties: "read" only looks, "write"
 * changes data, "erase" decides or performs the removal of records or traces (retention). No role —
 * and, through assignRole, no person — may hold both a write and an erase action (docs/security.md).
 */
export const ACTION_EFFECT = {
  "admin.roles.manage": "write",
  "audit.read": "read",
  "retention.view": "read",
  "retention.manage": "erase",
  "resident.verify": "write",
  "issue.support": "write",
  "issue.moderate": "write",
  "roundtable.manage": "write",
  "roundtable.signup": "write",
  "issue.ready.view": "read",
  "organisation.edit": "write",
  "organisation.verify": "write",
  "bid.submit": "write",
  "pool.manage": "write",
  "call.publish": "write",
  "review.score": "write",
  "review.manage": "write",
  "grant.award": "write",
  "grant.manage": "write",
  "grant.disburse": "write",
  "grant.liaison_review": "write",
  "grant.report": "write",
  "care.read": "read",
  "care.manage": "write",
  "care.match": "write",
  "care.unmask": "read",
  "care.export": "read",
  "care.import": "write",
  "care.access_report": "read",
  "dashboard.view": "read",
  "report.create": "write",
  "report.read": "read",
  "liaison.work": "write",
  "liaison.guide": "write",
  "liaison.summaries.review": "write",
} as const satisfies Record<Action, "read" | "write" | "erase">;

/** The effects a set of roles can have through the permission table. */
export function effectsOf(roles: readonly RoleCode[]): Set<"read" | "write" | "erase"> {
  const out = new Set<"read" | "write" | "erase">();
  for (const action of ACTIONS) {
    const allowed: readonly RoleCode[] = PERMISSIONS[action].roles;
    if (allowed.some((r) => roles.includes(r))) out.add(ACTION_EFFECT[action]);
  }
  return out;
}

/** Separation of duties: true when the roles together could both change data and erase traces. */
export function violatesSeparationOfDuties(roles: readonly RoleCode[]): boolean {
  const e = effectsOf(roles);
  return e.has("write") && e.has("erase");
}

export interface ScopedRole {
  role: RoleCode;
  placeId: number | null;
  /** Materialised path of the role's place ("/1/5/"), when the role has one. */
  placePath: string | null;
  organisationId: string | null;
  /** For showing the role ("民政局工作人员 · 第1市"); loaded with the roles, not used to decide. */
  placeName?: string | null;
  organisationName?: string | null;
}

export interface Resource {
  placePath?: string | null;
  organisationId?: string | null;
}

export interface Principal {
  roles: readonly ScopedRole[];
}

// The 附议 statement applies the "place" rule in SQL with starts_with (ADR 0012): change both together.
function covers(role: ScopedRole, rule: ScopeRule, resource: Resource): boolean {
  switch (rule) {
    case "any":
      return true;
    case "place":
      return role.placePath != null && resource.placePath != null && resource.placePath.startsWith(role.placePath);
    case "organisation":
      return role.organisationId != null && role.organisationId === resource.organisationId;
  }
}

/**
 * What a refused person is told, where "您没有权限" would leave them stuck: the actions open to
 * anyone who takes a step first.
 */
const DENIED: Partial<Record<Action, string>> = {
  "issue.support": residentsOnly("附议"),
  "roundtable.signup": residentsOnly("报名圆桌会"),
};

/** "Only verified residents of this community may …", and how to become one. */
export function residentsOnly(doing: string): string {
  return `只有本社区的认证居民才能${doing}。请先在“居民认证”中提交申请。`;
}

export function deniedMessage(action: Action): string {
  return DENIED[action] ?? "您没有权限进行此操作";
}

/** The role assignment that allows the action on the resource, or undefined. */
export function grantingRole(principal: Principal | null, action: Action, resource: Resource = {}): ScopedRole | undefined {
  if (!principal) return undefined;
  const rule = PERMISSIONS[action];
  const allowed: readonly RoleCode[] = rule.roles;
  return principal.roles.find((r) => allowed.includes(r.role) && covers(r, rule.scope, resource));
}

export function can(principal: Principal | null, action: Action, resource: Resource = {}): boolean {
  return grantingRole(principal, action, resource) !== undefined;
}

/**
 * The place paths within which the principal may take a place-scoped action: for lists such as
 * "organisations waiting for my verification" that show every resource the actor could act on.
 */
export function placeScopes(principal: Principal | null, action: Action): string[] {
  return [...new Set(placeGrants(principal, action).map((g) => g.placePath))];
}

/**
 * The principal's roles that allow a place-scoped action, each with its place path, in the order
 * `grantingRole` tries them: the first that covers a place is the role that acts there. For a
 * statement that checks the scope itself (`starts_with(path, placePath)`, as `covers` does).
 */
export function placeGrants(principal: Principal | null, action: Action): Array<{ placePath: string; role: RoleCode }> {
  if (!principal) return [];
  const rule = PERMISSIONS[action];
  if (rule.scope !== "place") return [];
  const allowed: readonly RoleCode[] = rule.roles;
  return principal.roles.filter((r) => allowed.includes(r.role) && r.placePath != null).map((r) => ({ placePath: r.placePath!, role: r.role }));
}

