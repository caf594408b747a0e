import { z } from "zod";

const zDay = (label: string) => z.iso.date(`请填写有效的${label}（年-月-日）`);

/** The longest period a dashboard or report covers: month-by-month splits stay readable. */
export const MAX_PERIOD_DAYS = 3 * 366;

function periodOk(v: { from: string; to: string }) {
  return v.from <= v.to;
}

function periodShort(v: { from: string; to: string }) {
  return (Date.parse(v.to) - Date.parse(v.from)) / 86_400_000 <= MAX_PERIOD_DAYS;
}

/** ?place=&from=&to= of the dashboard and the public figures; anything unreadable falls back to the defaults. */
export const figuresQuerySchema = z.object({
  place: z.coerce.number().int().positive().optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
});

export const periodSchema = z
  .object({ from: zDay("开始日期"), to: zDay("结束日期") })
  .refine(periodOk, { message: "开始日期不能晚于结束日期", path: ["to"] })
  .refine(periodShort, { message: "统计期间最长三年", path: ["from"] });

export const createReportSchema = z
  .object({
    placeId: z.coerce.number({ error: "请选择地区" }).int().positive("请选择地区"),
    from: zDay("开始日期"),
    to: zDay("结束日期"),
    suggestions: z.string({ error: "请填写意见建议" }).trim().min(10, "意见建议至少 10 个字").max(5000, "意见建议最多 5000 字"),
  })
  .refine(periodOk, { message: "开始日期不能晚于结束日期", path: ["to"] })
  .refine(periodShort, { message: "统计期间最长三年", path: ["from"] });
export type CreateReportInput = z.infer<typeof createReportSchema>;
