import type { RoundtableStatus } from "../../../db/schema";

export const ROUNDTABLE_STATUS_LABELS: Record<RoundtableStatus, string> = { draft: "草稿", published: "已发布", concluded: "已结束" };
