import { z } from "zod";
import type { CareSource, CarerKind, ConsentMethod } from "../../../db/schema";
import { zIdCard } from "../../lib/idcard";
import { zMobile } from "../../lib/phone";
import { CARE_GROUPS, CARE_SERVICES } from "../vocabulary";

export const CARE_SOURCES = ["referral", "community_visit", "self_referral"] as const satisfies readonly CareSource[];
export const CARE_SOURCE_LABELS: Record<CareSource, string> = {
  referral: "数字民政转介",
  community_visit: "社区走访",
  self_referral: "本人求助",
};

export const CONSENT_METHODS = ["written", "verbal", "electronic"] as const satisfies readonly ConsentMethod[];
export const CONSENT_METHOD_LABELS: Record<ConsentMethod, string> = {
  written: "书面签字",
  verbal: "口头（有记录）",
  electronic: "电子确认",
};

export const CARER_KINDS = ["organisation", "social_worker", "party_member", "volunteer"] as const satisfies readonly CarerKind[];
export const CARER_KIND_LABELS: Record<CarerKind, string> = {
  organisation: "社会组织",
  social_worker: "社工",
  party_member: "党员",
  volunteer: "志愿者",
};

export const OTHER_SERVICE = "其他";
export const SERVICE_KINDS = [...CARE_SERVICES, OTHER_SERVICE] as const;

const zDay = (label: string) => z.iso.date(`请填写有效的${label}`);
const zCheckbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true" || v === "是");
const optionalText = (max: number, label: string) => z.string().trim().max(max, `${label}最多 ${max} 个字`).optional();

/** One care target, from the form or from a row of an import file. */
export const targetSchema = z.object({
  name: z.string({ error: "请填写姓名" }).trim().min(1, "请填写姓名").max(40, "姓名最多 40 个字"),
  idNumber: zIdCard,
  phone: zMobile.optional(),
  placeId: z.coerce.number({ error: "请选择社区" }).int().positive("请选择社区"),
  address: optionalText(200, "地址"),
  groups: z.array(z.enum(CARE_GROUPS, { error: "群体不在名录中" })).min(1, "请至少选择一个群体"),
  needs: optionalText(2000, "需求与情况"),
  guardianName: optionalText(40, "监护人姓名"),
  guardianRelation: optionalText(20, "监护人关系"),
  guardianPhone: zMobile.optional(),
  source: z.enum(CARE_SOURCES, { error: "请选择来源" }),
  consentBy: z.string({ error: "请填写同意人" }).trim().min(1, "请填写同意人").max(40, "同意人最多 40 个字"),
  consentOn: zDay("同意日期"),
  consentMethod: z.enum(CONSENT_METHODS, { error: "请选择同意方式" }),
  consentPhotos: zCheckbox,
  referredOn: zDay("转介日期"),
});
export type TargetInput = z.infer<typeof targetSchema>;

export const unmaskSchema = z.object({
  reason: z.string({ error: "请填写查看原因" }).trim().min(5, "请具体说明查看原因（至少 5 个字）").max(200, "原因最多 200 个字"),
});

export const matchSchema = z
  .object({
    kind: z.enum(CARER_KINDS, { error: "请选择对接方式" }),
    organisationId: z.uuid("请选择社会组织").optional(),
    carerPhone: zMobile.optional(),
    startedOn: zDay("开始日期"),
  })
  .refine((v) => v.kind !== "organisation" || v.organisationId, { message: "请选择社会组织", path: ["organisationId"] })
  .refine((v) => v.kind === "organisation" || v.carerPhone, { message: "请填写服务人员的手机号码", path: ["carerPhone"] });
export type MatchInput = z.infer<typeof matchSchema>;

export const endMatchSchema = z.object({
  matchId: z.uuid("对接记录不存在"),
  endReason: optionalText(200, "结束原因"),
});

export const serviceSchema = z
  .object({
    targetId: z.uuid("请选择关爱对象"),
    servedOn: zDay("服务日期"),
    kind: z.enum(SERVICE_KINDS, { error: "请选择服务类型" }),
    otherKind: optionalText(20, "其他服务类型"),
    durationMinutes: z.coerce.number({ error: "请填写服务时长" }).int("时长须为整数分钟").min(1, "时长至少 1 分钟").max(1440, "时长不能超过 24 小时"),
    notes: optionalText(2000, "服务记录"),
    followUp: zCheckbox,
  })
  .refine((v) => v.kind !== OTHER_SERVICE || v.otherKind, { message: "选择“其他”时请写明服务类型", path: ["otherKind"] });
export type ServiceInput = z.infer<typeof serviceSchema>;

export const outcomeSchema = z.object({
  achievedOn: zDay("日期"),
  description: z.string({ error: "请填写成效" }).trim().min(2, "请填写成效").max(200, "成效最多 200 个字"),
});

export const linkSchema = z.object({
  organisationId: z.uuid("请选择社会组织"),
  placeId: z.coerce.number({ error: "请选择社区或村" }).int().positive("请选择社区或村"),
});

export const accessReportSchema = z.object({ from: zDay("开始日期"), to: zDay("结束日期") }).refine((v) => v.from <= v.to, { message: "开始日期不能晚于结束日期", path: ["to"] });

/** The columns of the 数字民政 list as the import reads them (app/domain/care/import.server.ts). */
export const IMPORT_COLUMNS = {
  name: "姓名",
  idNumber: "身份证号码",
  phone: "联系电话",
  community: "社区",
  address: "地址",
  groups: "群体",
  needs: "需求与情况",
  guardianName: "监护人",
  guardianRelation: "监护人关系",
  guardianPhone: "监护人电话",
  source: "来源",
  consentBy: "同意人",
  consentMethod: "同意方式",
  consentOn: "同意日期",
  consentPhotos: "同意拍照",
  referredOn: "转介日期",
} as const;
