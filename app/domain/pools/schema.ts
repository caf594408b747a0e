import { z } from "zod";
import type { PoolSource } from "../../../db/schema";
import { zYuan } from "../../lib/money";

export const POOL_SOURCES = ["市福彩公益金", "慈善总会专项基金", "党建小微创投", "区级财政", "社会捐赠", "其他"] as const satisfies readonly PoolSource[];

const zDate = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${label}格式应为 年-月-日，例如 2026-01-01`)
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), `${label}不是有效的日期`);

const zIdempotencyKey = z.string().regex(/^[A-Za-z0-9-]{8,64}$/).optional();

export const createPoolSchema = z
  .object({
    placeId: z.coerce.number({ error: "请选择资金池所属地区" }).int().positive("请选择资金池所属地区"),
    name: z.string({ error: "请填写资金池名称" }).trim().min(2, "资金池名称至少 2 个字").max(60, "资金池名称最多 60 个字"),
    source: z.enum(POOL_SOURCES, { error: "请选择资金来源" }),
    total: zYuan,
    periodStart: zDate("开始日期"),
    periodEnd: zDate("结束日期"),
    notes: z.string().trim().max(500, "备注最多 500 个字").optional(),
    idempotencyKey: zIdempotencyKey,
  })
  .refine((v) => v.periodEnd >= v.periodStart, {
    message: "结束日期不能早于开始日期",
    path: ["periodEnd"],
    // Checked even while other fields are wrong, so every problem shows at once.
    when: ({ value }) => {
      const v = value as { periodStart?: unknown; periodEnd?: unknown };
      return typeof v.periodStart === "string" && typeof v.periodEnd === "string";
    },
  });

export type CreatePoolInput = z.infer<typeof createPoolSchema>;

export const topUpSchema = z.object({
  amount: zYuan,
  reason: z.string({ error: "请填写注资说明" }).trim().min(2, "请填写注资说明（至少 2 个字）").max(200, "注资说明最多 200 个字"),
  idempotencyKey: zIdempotencyKey,
});

export type TopUpInput = z.infer<typeof topUpSchema>;
