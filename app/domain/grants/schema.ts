import { z } from "zod";
import type { FormResult } from "../../lib/form";
import { parseForm } from "../../lib/form";
import { parseYuan, type Fen } from "../../lib/money";

const text = (label: string, min: number, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(min, `${label}至少 ${min} 个字`)
    .max(max, `${label}最多 ${max} 个字`);

/** The hidden field every money form renders with crypto.randomUUID(): the same submission pays once. */
export const zIdempotencyKey = z.string({ error: "表单已过期，请刷新页面后重试" }).regex(/^[A-Za-z0-9:-]{8,80}$/, "表单已过期，请刷新页面后重试");

export const awardSchema = z.object({
  bidId: z.uuid({ error: "请选择申报书" }),
  amount: z.string({ error: "请输入资助金额" }).transform((raw, ctx) => {
    const fen = parseYuan(raw);
    if (fen === undefined || fen <= 0) {
      ctx.addIssue({ code: "custom", message: "请输入以元为单位的资助金额，最多两位小数" });
      return z.NEVER;
    }
    return fen as Fen;
  }),
  idempotencyKey: zIdempotencyKey,
});

export const objectionSchema = z.object({ reason: text("异议理由", 10, 1000) });

export const answerObjectionSchema = z.object({
  objectionId: z.uuid({ error: "异议不存在" }),
  decision: z.enum(["dismiss", "uphold"], { error: "请选择答复结果" }),
  reply: text("答复内容", 4, 1000),
});

export const liaisonReviewSchema = z.object({
  reportId: z.uuid({ error: "报告不存在" }),
  decision: z.enum(["forward", "return"], { error: "请选择审核结果" }),
  comment: z.string().trim().max(1000, "意见最多 1000 个字").default(""),
});

export const officerDecisionSchema = z.object({
  reportId: z.uuid({ error: "报告不存在" }),
  decision: z.enum(["approve", "return"], { error: "请选择审批结果" }),
  comment: z.string().trim().max(1000, "意见最多 1000 个字").default(""),
});

export const disbursementSchema = z.object({
  position: z.coerce.number({ error: "请选择里程碑" }).int().positive("请选择里程碑"),
  paymentReference: text("支付凭证号", 4, 60),
  idempotencyKey: zIdempotencyKey,
});

export const refundSchema = z.object({
  amount: z.string({ error: "请输入退回金额" }).transform((raw, ctx) => {
    const fen = parseYuan(raw);
    if (fen === undefined || fen <= 0) {
      ctx.addIssue({ code: "custom", message: "请输入以元为单位的退回金额，最多两位小数" });
      return z.NEVER;
    }
    return fen as Fen;
  }),
  paymentReference: text("收款凭证号", 4, 60),
  reason: text("退回原因", 4, 500),
  idempotencyKey: zIdempotencyKey,
});

export const endGrantSchema = z.object({
  to: z.enum(["suspended", "terminated"], { error: "请选择暂停或终止" }),
  reason: text("原因", 4, 500),
  idempotencyKey: zIdempotencyKey,
});

const rating = (label: string) => z.coerce.number({ error: `请选择${label}` }).int(`请选择${label}`).min(1, `请选择${label}`).max(5, `请选择${label}`);

export const evaluationSchema = z.object({
  satisfaction: rating("满意度"),
  solved: rating("问题解决程度"),
  comment: z.string().trim().max(500, "评价最多 500 个字").default(""),
});
export type EvaluationInput = z.infer<typeof evaluationSchema>;

/** Rows of the report form (the form works without JavaScript, so it shows a fixed number of rows). */
export const REPORT_ROWS = { activity: 3, spending: 3 } as const;

const reportFieldsSchema = z.object({
  narrative: text("进展说明", 10, 3000),
  beneficiaryCount: z.coerce.number({ error: "请填写服务人数" }).int("服务人数应为整数").min(0, "服务人数不能为负").max(1_000_000, "服务人数过大"),
  beneficiaryGroup: text("服务对象", 2, 100),
  inKindReceived: z.string().trim().max(1000, "实物支持最多 1000 个字").default(""),
});

export interface ReportInput extends z.infer<typeof reportFieldsSchema> {
  activities: Array<{ date: string; description: string }>;
  spending: Array<{ category: string; description: string; amountFen: Fen }>;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The report form: the fixed fields by schema, then the activity and spending rows (a row left empty is skipped). */
export function parseReportForm(form: FormData): FormResult<ReportInput> {
  const base = parseForm(reportFieldsSchema, form);
  const fieldErrors: Record<string, string> = base.ok ? {} : { ...base.fieldErrors };
  const get = (k: string) => String(form.get(k) ?? "").trim();
  const activities: ReportInput["activities"] = [];
  for (let i = 1; i <= REPORT_ROWS.activity; i++) {
    const date = get(`activityDate${i}`);
    const description = get(`activityText${i}`);
    if (!date && !description) continue;
    if (!DATE_RE.test(date)) fieldErrors[`activityDate${i}`] = "日期格式应为 年-月-日";
    if (description.length < 2 || description.length > 200) fieldErrors[`activityText${i}`] = "活动内容 2–200 个字";
    activities.push({ date, description });
  }
  if (activities.length === 0 && !fieldErrors.activityText1) fieldErrors.activityText1 = "请至少填写一项活动";
  const spending: ReportInput["spending"] = [];
  for (let i = 1; i <= REPORT_ROWS.spending; i++) {
    const category = get(`spendCategory${i}`);
    const description = get(`spendText${i}`);
    const amount = get(`spendAmount${i}`);
    if (!description && !amount) continue;
    const fen = parseYuan(amount);
    if (fen === undefined || fen < 0) fieldErrors[`spendAmount${i}`] = "请输入以元为单位的金额";
    if (description.length < 2 || description.length > 200) fieldErrors[`spendText${i}`] = "支出说明 2–200 个字";
    spending.push({ category: category || "其他", description, amountFen: fen ?? 0 });
  }
  if (!base.ok || Object.keys(fieldErrors).length > 0) {
    const values: Record<string, string> = {};
    for (const [k, v] of form) if (typeof v === "string") values[k] = v;
    return { ok: false, fieldErrors, values };
  }
  return { ok: true, data: { ...base.data, activities, spending } };
}
