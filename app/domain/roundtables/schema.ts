import { z } from "zod";
import { parseYuan } from "../../lib/money";
import { DECISION_KINDS } from "../issues/rules";
import { ACTION_TYPES } from "../vocabulary";

const optionalCount = z.preprocess((v) => (v === "" || v === undefined ? undefined : v), z.coerce.number().int("请填写整数").min(0, "票数不能为负").max(10000).optional());

/** "2026-12-05T19:00" typed in a datetime-local field means Beijing time. */
const beijingDateTime = z
  .string({ error: "请填写日期和时间" })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "请填写日期和时间")
  .transform((s) => new Date(`${s}:00+08:00`))
  .refine((d) => !Number.isNaN(d.getTime()), "日期无效");

export const scheduleRoundtableSchema = z.object({
  placeId: z.coerce.number({ error: "请选择社区" }).int().positive("请选择社区"),
  title: z.string({ error: "请填写会议名称" }).trim().min(4, "会议名称至少 4 个字").max(60, "会议名称最多 60 个字"),
  startsAt: beijingDateTime,
  venue: z.string({ error: "请填写地点" }).trim().min(2, "请填写地点").max(100, "地点最多 100 个字"),
  capacity: z.coerce.number({ error: "请填写名额" }).int("名额须为整数").min(1, "名额至少 1 人").max(1000, "名额最多 1000 人"),
  description: z.string().trim().max(2000, "说明最多 2000 个字").optional(),
  invited: z.string().trim().max(300, "受邀单位最多 300 个字").optional(),
  agenda: z.array(z.uuid()).min(1, "请至少选择一个议题列入议程").max(20, "议程最多 20 项"),
});
export type ScheduleRoundtableInput = z.infer<typeof scheduleRoundtableSchema>;

export const attendanceSchema = z.object({
  attended: z.array(z.uuid()).default([]),
  walkIns: z
    .string()
    .max(2000, "现场参会人员名单过长")
    .optional()
    .transform((s) =>
      (s ?? "")
        .split(/[\n,，、]/)
        .map((n) => n.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().max(20, "每个姓名最多 20 个字")).max(300, "现场参会人员最多 300 人")),
});

export const minutesSchema = z.object({
  minutes: z.string({ error: "请填写会议纪要" }).trim().min(10, "会议纪要至少 10 个字").max(20000, "会议纪要最多 20000 个字"),
});

const optionalText = (max: number, label: string) => z.string().trim().max(max, `${label}最多 ${max} 个字`).optional();

export const decisionSchema = z
  .object({
    issueId: z.uuid("议题不存在"),
    kind: z.enum(DECISION_KINDS, { error: "请选择议定结果" }),
    responsible: optionalText(60, "负责人"),
    dueDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "请填写完成日期")
      .optional(),
    actionType: z.enum(ACTION_TYPES).optional(),
    budgetEstimate: z
      .string()
      .optional()
      .transform((s, ctx) => {
        if (s === undefined) return undefined;
        const fen = parseYuan(s);
        if (fen === undefined || fen < 0) {
          ctx.addIssue({ code: "custom", message: "预算请填写金额（元），最多两位小数" });
          return z.NEVER;
        }
        return fen;
      }),
    referredTo: optionalText(100, "转介单位"),
    reason: optionalText(500, "理由"),
    votesFor: optionalCount,
    votesAgainst: optionalCount,
    votesAbstain: optionalCount,
  })
  .superRefine((v, ctx) => {
    if (v.kind === "community" && !v.responsible) ctx.addIssue({ code: "custom", path: ["responsible"], message: "社区自办请写明由谁负责" });
    if (v.kind === "to_call" && !v.actionType) ctx.addIssue({ code: "custom", path: ["actionType"], message: "转入创投请选择行动类型" });
    if (v.kind === "to_call" && v.budgetEstimate === undefined) ctx.addIssue({ code: "custom", path: ["budgetEstimate"], message: "转入创投请填写预算估算（元）" });
    if (v.kind === "referral" && !v.referredTo) ctx.addIssue({ code: "custom", path: ["referredTo"], message: "转介请写明转介到哪个部门或组织" });
    if (v.kind === "deferred" && !v.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: "暂缓或不予采纳请写明理由" });
  });
export type DecisionInput = z.infer<typeof decisionSchema>;
