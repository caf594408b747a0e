import { z } from "zod";

export const verificationRequestSchema = z.object({
  placeId: z.coerce.number({ error: "请选择社区" }).int().positive("请选择社区"),
  realName: z.string({ error: "请填写真实姓名" }).trim().min(2, "请填写真实姓名").max(20, "姓名最多 20 个字"),
  address: z.string({ error: "请填写住址" }).trim().min(4, "请填写社区内的住址（小区、楼栋、门牌）").max(100, "住址最多 100 个字"),
  invitationCode: z.string().trim().max(20, "邀请码最多 20 位").optional(),
});
export type VerificationRequestInput = z.infer<typeof verificationRequestSchema>;

export const verificationDecisionSchema = z
  .object({
    verificationId: z.uuid("申请不存在"),
    decision: z.enum(["approve", "reject"], { error: "请选择通过或驳回" }),
    reason: z.string().trim().max(200, "理由最多 200 个字").optional(),
  })
  .refine((v) => v.decision === "approve" || (v.reason?.length ?? 0) >= 2, { message: "驳回时请写明理由", path: ["reason"] });
export type VerificationDecisionInput = z.infer<typeof verificationDecisionSchema>;
