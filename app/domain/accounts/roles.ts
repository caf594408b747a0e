import type { RoleCode } from "../../../db/schema";

export type { RoleCode };

export const ROLE_CODES = [
  "resident",
  "community_staff",
  "org_member",
  "liaison",
  "reviewer",
  "officer",
  "admin",
  "privacy_officer",
  "auditor",
] as const satisfies readonly RoleCode[];

export const ROLE_LABELS: Record<RoleCode, string> = {
  resident: "居民",
  community_staff: "社区工作者",
  org_member: "社会组织成员",
  liaison: "联络员",
  reviewer: "评审专家",
  officer: "民政局工作人员",
  admin: "系统管理员",
  privacy_officer: "隐私保护专员",
  auditor: "审计员",
};

/** How a role is scoped: to a place (and everything below it), to an organisation, or not at all. */
export const ROLE_SCOPE: Record<RoleCode, "place" | "organisation" | "none" | "optional-place"> = {
  resident: "place",
  community_staff: "place",
  org_member: "organisation",
  liaison: "place",
  reviewer: "optional-place",
  officer: "place",
  admin: "none",
  privacy_officer: "place",
  auditor: "place",
};

/** Which level of place a place-scoped role may be given at. */
export const ROLE_PLACE_LEVELS: Partial<Record<RoleCode, readonly string[]>> = {
  resident: ["community"],
  community_staff: ["community", "street"],
  liaison: ["district", "city"],
  officer: ["province", "city", "district", "street"],
  reviewer: ["province", "city", "district"],
  privacy_officer: ["province", "city", "district"],
  // The audit log is one for the whole installation: an auditor is appointed at city or province level.
  auditor: ["province", "city"],
};
