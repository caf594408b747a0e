import { z } from "zod";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What is pushed: "issue:<id>" (an issue decided 转入创投) or "call:<id>" (a published 招贤榜). */
export const zPushTarget = z
  .string({ error: "请选择要推送的议题或招贤榜" })
  .transform((v, ctx) => {
    const [kind, id] = v.split(":");
    if ((kind !== "issue" && kind !== "call") || !UUID.test(id ?? "")) {
      ctx.addIssue({ code: "custom", message: "请选择要推送的议题或招贤榜" });
      return z.NEVER;
    }
    return { kind: kind as "issue" | "call", id: id! };
  });
export type PushTarget = z.output<typeof zPushTarget>;

export const pushSchema = z.object({
  target: zPushTarget,
  organisationIds: z.array(z.uuid("组织不存在"), { error: "请选择接收推送的组织" }).min(1, "请至少选择一家组织").max(30, "一次最多推送给 30 家组织"),
  message: z.string().trim().max(500, "附言最多 500 字").optional(),
});
export type PushInput = z.infer<typeof pushSchema>;
export const PUSH_ARRAY_FIELDS = ["organisationIds"] as const;

export const zPeriodKind = z.enum(["weekly", "monthly"], { error: "请选择周报或月报" });

export const draftSummarySchema = z.object({ kind: zPeriodKind });

export const saveSummarySchema = z.object({
  summaryId: z.uuid("进展小结不存在"),
  annotation: z.string({ error: "请填写工作小结" }).trim().min(10, "请写下本期工作情况（至少 10 个字）").max(3000, "最多 3000 字"),
  intent: z.enum(["save", "submit"]).default("save"),
});

export const guidanceNoteSchema = z.object({
  body: z.string({ error: "请填写指导意见" }).trim().min(5, "指导意见至少 5 个字").max(2000, "指导意见最多 2000 字"),
});
export type GuidanceNoteInput = z.infer<typeof guidanceNoteSchema>;
