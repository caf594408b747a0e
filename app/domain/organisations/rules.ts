import type { OrganisationStatus, OrgRole } from "../../../db/schema";
import type { OrganisationInput } from "./schema";

export const ORG_STATUS_LABELS: Record<OrganisationStatus, string> = {
  pending: "待查验",
  verified: "已查验",
  returned: "已退回",
};

export const ORG_ROLE_LABELS: Record<OrgRole, string> = { lead: "负责人", member: "成员" };

/**
 * 查验: a bureau officer verifies a pending registration or returns it with a reason; a returned
 * organisation edits its profile, which submits it again (pending). Only verified organisations
 * may bid.
 */
export type VerificationStep = "verify" | "return" | "resubmit";

const STEPS: Record<VerificationStep, { from: OrganisationStatus; to: OrganisationStatus }> = {
  verify: { from: "pending", to: "verified" },
  return: { from: "pending", to: "returned" },
  resubmit: { from: "returned", to: "pending" },
};

export function nextStatus(current: OrganisationStatus, step: VerificationStep): OrganisationStatus | undefined {
  return STEPS[step].from === current ? STEPS[step].to : undefined;
}

/** What the registration certificate says: fixed once an officer has checked it against the certificate. */
export const IDENTITY_FIELDS = ["name", "uscc", "type", "registeringBureau", "placeId"] as const satisfies ReadonlyArray<keyof OrganisationInput>;

export const IDENTITY_LABELS: Record<(typeof IDENTITY_FIELDS)[number], string> = {
  name: "组织名称",
  uscc: "统一社会信用代码",
  type: "组织类型",
  registeringBureau: "登记管理机关",
  placeId: "所在区县",
};

export function changedIdentityFields(current: Pick<OrganisationInput, (typeof IDENTITY_FIELDS)[number]>, next: OrganisationInput) {
  return IDENTITY_FIELDS.filter((f) => current[f] !== next[f]);
}
