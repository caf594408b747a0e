import { z } from "zod";
import { zMobile } from "../../lib/phone";
import { zUscc } from "../../lib/uscc";
import { ISSUE_CATEGORIES, ORGANISATION_TYPES } from "../vocabulary";

const text = (label: string, min: number, max: number, hint = "") =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, min <= 1 ? `请填写${label}` : `${label}至少 ${min} 个字${hint}`)
    .max(max, `${label}最多 ${max} 个字`);

/** The registration form, also used to edit the profile (identity fields lock once verified). */
export const organisationSchema = z.object({
  name: text("组织名称", 2, 60),
  uscc: zUscc,
  type: z.enum(ORGANISATION_TYPES, { error: "请选择组织类型" }),
  registeringBureau: text("登记管理机关", 2, 40, "，例如“南昌市民政局”"),
  placeId: z.coerce.number({ error: "请选择所在区县" }).int("请选择所在区县").positive("请选择所在区县"),
  address: text("办公地址", 4, 120),
  contactPerson: text("联系人", 1, 20),
  contactPhone: zMobile,
  serviceAreas: z.array(z.enum(ISSUE_CATEGORIES, { error: "服务领域不在可选范围内" })).min(1, "请至少选择一个服务领域"),
  introduction: text("组织简介", 20, 1000),
});

export type OrganisationInput = z.infer<typeof organisationSchema>;

/** Repeated form fields (checkboxes) that parseForm must keep as arrays. */
export const ORGANISATION_ARRAY_FIELDS = ["serviceAreas"] as const;

export const zOrgRole = z.enum(["lead", "member"], { error: "请选择组织内角色" });

export const inviteMemberSchema = z.object({ phone: zMobile, orgRole: zOrgRole });
export type InviteMemberInput = z.infer<typeof inviteMemberSchema>;

export const changeMemberRoleSchema = z.object({ userId: z.uuid("成员不存在"), orgRole: zOrgRole });
export const removeMemberSchema = z.object({ userId: z.uuid("成员不存在") });

export const verifySchema = z.object({ organisationId: z.uuid("组织不存在") });
export const returnSchema = z.object({
  organisationId: z.uuid("组织不存在"),
  reason: text("退回原因", 4, 300),
});

/** The officer's decision on a registration: 查验通过, or 退回 with a reason. */
export const decisionSchema = z.discriminatedUnion("intent", [
  verifySchema.extend({ intent: z.literal("verify") }),
  returnSchema.extend({ intent: z.literal("return") }),
]);
