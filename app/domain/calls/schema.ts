import { z } from "zod";
import { parseShanghaiDateTime } from "../../lib/dates";
import { formToObject, parseRows, rawValues, type FieldErrors, type FormResult } from "../../lib/form";
import { zYuan } from "../../lib/money";
import { ACTION_TYPES, ORGANISATION_TYPES } from "../vocabulary";
import { BUDGET_CATEGORIES, weightSum } from "./rules";

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, min <= 1 ? `请填写${label}` : `${label}至少 ${min} 个字`)
    .max(max, `${label}最多 ${max} 个字`);

const optionalText = (label: string, max: number) => z.string().trim().max(max, `${label}最多 ${max} 个字`).default("");

export const zDate = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}格式应为 年-月-日，例如 2026-05-01`)
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), `${label}不是有效的日期`);

/** A datetime-local field, read as Asia/Shanghai time. */
export const zShanghaiDateTime = (label: string) =>
  z.string({ error: `请填写${label}` }).transform((s, ctx) => {
    const d = parseShanghaiDateTime(s);
    if (!d) {
      ctx.addIssue({ code: "custom", message: `${label}格式应为 年-月-日 时:分（北京时间）` });
      return z.NEVER;
    }
    return d;
  });

const int = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `请填写${label}` })
    .int(`${label}应为整数`)
    .min(min, `${label}不能小于 ${min}`)
    .max(max, `${label}不能大于 ${max}`);

export const criterionSchema = z.object({
  name: text("评分项名称", 1, 30),
  description: text("评分项说明", 1, 200),
  weight: int("权重", 1, 100),
});

/** The call form (草稿): everything an officer or liaison fills in before publishing. */
export const callSchema = z
  .object({
    placeId: z.coerce.number({ error: "请选择发布地区" }).int().positive("请选择发布地区"),
    title: text("标题", 4, 60),
    description: text("榜单说明", 10, 3000),
    actionType: z.enum(ACTION_TYPES, { error: "请选择行动类型" }),
    poolId: z.uuid("请选择资金池"),
    cap: zYuan,
    totalBudget: zYuan,
    eligibleOrgTypes: z.array(z.enum(ORGANISATION_TYPES, { error: "组织类型不在可选范围内" })).default([]),
    eligibleDistrictIds: z.array(z.coerce.number().int().positive()).default([]),
    opensAt: zShanghaiDateTime("开始申报时间"),
    closesAt: zShanghaiDateTime("截止时间"),
    projectStart: zDate("项目开始日期"),
    projectEnd: zDate("项目结束日期"),
    requiredAttachments: z
      .string()
      .default("")
      .transform((s) => [...new Set(s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))])
      .pipe(z.array(z.string().max(30, "附件名称最多 30 个字")).max(10, "必需附件最多 10 项")),
    reviewersPerBid: int("每份申报书的评审人数", 1, 9),
    publicityWorkingDays: int("公示期（工作日）", 1, 30).default(5),
    issueIds: z.array(z.uuid()).default([]),
    criteria: z.array(criterionSchema).min(1, "请至少填写一个评分项").max(10, "评分项最多 10 个"),
  })
  .superRefine((v, ctx) => {
    if (v.cap > v.totalBudget) ctx.addIssue({ code: "custom", path: ["cap"], message: "单个项目上限不能超过总预算" });
    if (v.closesAt.getTime() <= v.opensAt.getTime()) ctx.addIssue({ code: "custom", path: ["closesAt"], message: "截止时间应晚于开始申报时间" });
    if (v.projectEnd < v.projectStart) ctx.addIssue({ code: "custom", path: ["projectEnd"], message: "项目结束日期不能早于开始日期" });
    if (v.criteria.length > 0 && weightSum(v.criteria) !== 100) {
      ctx.addIssue({ code: "custom", path: ["criteria"], message: `评分项权重合计应为 100，现为 ${weightSum(v.criteria)}` });
    }
  });

export type CallInput = z.infer<typeof callSchema>;

export const CALL_ARRAY_FIELDS = ["eligibleOrgTypes", "eligibleDistrictIds", "issueIds"] as const;

export const extendSchema = z.object({
  closesAt: zShanghaiDateTime("新的截止时间"),
  reason: text("延期原因", 2, 300),
});

export const withdrawSchema = z.object({ reason: text("撤回原因", 4, 300) });

// --- Bids ---------------------------------------------------------------------------------------

export const budgetLineSchema = z.object({
  category: z.enum(BUDGET_CATEGORIES, { error: "请选择预算类别" }),
  description: text("预算说明", 1, 100),
  amountFen: zYuan,
});

export const pledgeSchema = z.object({
  source: text("出资方", 1, 60),
  kind: z.enum(["cash", "in_kind"], { error: "请选择资金或实物" }),
  description: text("内容说明", 1, 100),
  valueFen: zYuan,
});

export const milestoneSchema = z.object({
  title: text("里程碑名称", 1, 40),
  deliverable: text("交付成果", 1, 200),
  dueDate: zDate("完成日期"),
  tranchePct: int("拨付比例", 1, 100),
});

/** The bid's own fields; rows (budget lines, pledges, milestones) are parsed row by row. */
export const bidFieldsSchema = z.object({
  projectName: text("项目名称", 2, 60),
  summary: optionalText("项目概述", 1000),
  beneficiaryGroup: optionalText("服务对象", 60),
  beneficiaryCount: z.coerce.number({ error: "服务对象人数应为整数" }).int("服务对象人数应为整数").min(0, "服务对象人数不能为负").max(10_000_000, "服务对象人数过大").optional(),
  plan: optionalText("实施计划", 5000),
  leadName: optionalText("项目负责人", 20),
  leadPhone: optionalText("负责人电话", 20),
  issueIds: z.array(z.uuid()).default([]),
});

export type BidFieldsInput = z.infer<typeof bidFieldsSchema>;

export interface BidInput extends BidFieldsInput {
  lines: Array<z.infer<typeof budgetLineSchema>>;
  pledges: Array<z.infer<typeof pledgeSchema>>;
  milestones: Array<z.infer<typeof milestoneSchema>>;
}

/** How many empty rows the bid form shows, so it works without JavaScript. */
export const BID_ROWS = { line: 5, pledge: 3, milestone: 4 } as const;
export const CALL_CRITERIA_ROWS = 5;

export const BID_ROW_FIELDS = {
  line: ["category", "description", "amountFen"],
  pledge: ["source", "kind", "description", "valueFen"],
  milestone: ["title", "deliverable", "dueDate", "tranchePct"],
} as const;

function collect(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>, into: FieldErrors): string | undefined {
  let formError: string | undefined;
  for (const issue of issues) {
    const key = issue.path.map(String).join(".");
    if (!key) formError ??= issue.message;
    else into[key] ??= issue.message;
  }
  return formError;
}

/** The call form: scalar fields, checkbox lists and the rubric's rows (blank rows ignored). */
export function parseCallForm(form: FormData): FormResult<CallInput> {
  const raw: Record<string, unknown> = formToObject(form, CALL_ARRAY_FIELDS);
  const criteria = parseRows(form, "criterion", ["name", "description", "weight"], criterionSchema);
  raw.criteria = criteria.rows;
  const result = callSchema.safeParse(raw);
  const fieldErrors: FieldErrors = { ...criteria.fieldErrors };
  const formError = result.success ? undefined : collect(result.error.issues, fieldErrors);
  if (result.success && Object.keys(fieldErrors).length === 0) return { ok: true, data: result.data };
  return { ok: false, fieldErrors, formError, values: rawValues(form) };
}

/** The bid form: its fields and its three kinds of rows, each row checked on its own. */
export function parseBidForm(form: FormData): FormResult<BidInput> {
  const fields = bidFieldsSchema.safeParse(formToObject(form, ["issueIds"]));
  const lines = parseRows(form, "line", BID_ROW_FIELDS.line, budgetLineSchema);
  const pledges = parseRows(form, "pledge", BID_ROW_FIELDS.pledge, pledgeSchema);
  const milestones = parseRows(form, "milestone", BID_ROW_FIELDS.milestone, milestoneSchema);
  const fieldErrors: FieldErrors = { ...lines.fieldErrors, ...pledges.fieldErrors, ...milestones.fieldErrors };
  const formError = fields.success ? undefined : collect(fields.error.issues, fieldErrors);
  if (fields.success && Object.keys(fieldErrors).length === 0) {
    return { ok: true, data: { ...fields.data, lines: lines.rows, pledges: pledges.rows, milestones: milestones.rows } };
  }
  return { ok: false, fieldErrors, formError, values: rawValues(form) };
}
