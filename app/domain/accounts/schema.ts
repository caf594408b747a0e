import { z } from "zod";
import { isCommonPassword } from "../../lib/common-passwords";
import { zMobile } from "../../lib/phone";
import { ROLE_CODES } from "./roles";

export const zPassword = z
  .string({ error: "请输入密码" })
  .min(8, "密码至少 8 位")
  .max(64, "密码最多 64 位")
  .refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), "密码需同时包含字母和数字")
  .refine((p) => !isCommonPassword(p), "这个密码太常见，容易被猜中，请换一个");

export const registerSchema = z
  .object({
    phone: zMobile,
    displayName: z.string().trim().min(1, "请填写称呼").max(20, "称呼最多 20 个字"),
    password: zPassword,
    passwordConfirm: z.string(),
  })
  .refine((v) => v.password === v.passwordConfirm, { message: "两次输入的密码不一致", path: ["passwordConfirm"] })
  .refine((v) => !v.password.includes(v.phone), { message: "密码不能包含手机号码", path: ["password"] });

export type RegisterInput = z.infer<typeof registerSchema>;

export const loginSchema = z.object({
  phone: zMobile,
  password: z.string().min(1, "请输入密码").max(200, "密码过长"),
});

export const assignRoleSchema = z.object({
  userId: z.uuid("用户不存在"),
  role: z.enum(ROLE_CODES, { error: "请选择角色" }),
  placeId: z.coerce.number().int().positive().optional(),
  organisationId: z.uuid().optional(),
});

export type AssignRoleInput = z.infer<typeof assignRoleSchema>;

export const revokeRoleSchema = z.object({ assignmentId: z.uuid("角色记录不存在") });

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "请输入当前密码"),
    password: zPassword,
    passwordConfirm: z.string(),
  })
  .refine((v) => v.password === v.passwordConfirm, { message: "两次输入的密码不一致", path: ["passwordConfirm"] })
  .refine((v) => v.password !== v.currentPassword, { message: "新密码不能与当前密码相同", path: ["password"] });

export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

/** The six digits from the authenticator app; spaces typed between groups are ignored. */
export const zTotpCode = z
  .string({ error: "请输入 6 位验证码" })
  .transform((s) => s.replace(/\s/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "请输入验证器中的 6 位数字"));

/** A recovery code as shown ("ABCDE-FGHJK"), case and dashes ignored. */
export const zRecoveryCode = z
  .string({ error: "请输入恢复码" })
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^[A-Z2-7]{10}$/, "恢复码是 10 位字母和数字，如 ABCDE-FGH23"));

export const mfaCodeSchema = z.object({ code: zTotpCode });
export const mfaRecoverySchema = z.object({ recoveryCode: zRecoveryCode });

export const reauthSchema = z.object({
  password: z.string().min(1, "请输入密码").max(200, "密码过长"),
  code: zTotpCode.optional(),
});
