import { z } from "zod";
import type { ScoreInput } from "./review.server";

export const declareSchema = z.discriminatedUnion("conflict", [
  z.object({ conflict: z.literal("no") }),
  z.object({ conflict: z.literal("yes"), reason: z.string({ error: "请说明回避原因" }).trim().min(2, "请说明回避原因").max(300, "回避原因最多 300 个字") }),
], { error: "请选择是否需要回避" });

/**
 * The score form: `score.<position>` and `comment.<position>` per criterion. Blank scores are
 * left out (a draft may be partial); anything that is not a whole number is an error here, the
 * range (0 to the weight) is the domain's rule.
 */
export function parseScores(form: FormData, positions: readonly number[]): { scores: ScoreInput[]; fieldErrors: Record<string, string> } {
  const scores: ScoreInput[] = [];
  const fieldErrors: Record<string, string> = {};
  for (const position of positions) {
    const raw = String(form.get(`score.${position}`) ?? "").trim();
    const comment = String(form.get(`comment.${position}`) ?? "").slice(0, 1000);
    if (raw === "") continue;
    if (!/^\d{1,3}$/.test(raw)) {
      fieldErrors[`score.${position}`] = "得分应为整数";
      continue;
    }
    scores.push({ position, score: Number(raw), comment });
  }
  return { scores, fieldErrors };
}
