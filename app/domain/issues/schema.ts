import { z } from "zod";
import { ACTION_TYPES, ISSUE_CATEGORIES } from "../vocabulary";
import { ISSUE_STATUSES } from "./rules";

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

export const raiseIssueSchema = z.object({
  title: z.string({ error: "请填写标题" }).trim().min(5, "标题至少 5 个字").max(60, "标题最多 60 个字"),
  description: z.string({ error: "请描述问题" }).trim().min(10, "请用至少 10 个字描述问题").max(2000, "描述最多 2000 个字"),
  category: z.enum(ISSUE_CATEGORIES, { error: "请选择类别" }),
  placeId: z.coerce.number({ error: "请选择社区" }).int().positive("请选择社区"),
  locationText: z.string().trim().max(100, "位置最多 100 个字").optional(),
  visibleName: z.string().trim().max(20, "显示名称最多 20 个字").optional(),
  anonymous: checkbox,
  photoIds: z.array(z.uuid()).max(6, "最多 6 张照片").default([]),
});
export type RaiseIssueInput = z.infer<typeof raiseIssueSchema>;

export const ISSUE_SORTS = ["supported", "newest", "discussed"] as const;
export type IssueSort = (typeof ISSUE_SORTS)[number];
export const ISSUE_SORT_LABELS: Record<IssueSort, string> = { supported: "附议最多", newest: "最新提出", discussed: "讨论最多" };

/** The list's filters, all in the URL so a filtered list can be shared. Bad values are dropped, not refused. */
export const issueListQuerySchema = z.object({
  place: z.coerce.number().int().positive().optional().catch(undefined),
  category: z.enum(ISSUE_CATEGORIES).optional().catch(undefined),
  status: z.enum(ISSUE_STATUSES).optional().catch(undefined),
  action: z.enum(ACTION_TYPES).optional().catch(undefined),
  q: z.string().trim().max(60).optional().catch(undefined),
  sort: z.enum(ISSUE_SORTS).default("supported").catch("supported"),
  cursor: z.string().max(200).optional().catch(undefined),
});
export type IssueListQuery = z.infer<typeof issueListQuerySchema>;

export const commentSchema = z.object({
  body: z.string({ error: "请填写评论内容" }).trim().min(1, "请填写评论内容").max(1000, "评论最多 1000 个字"),
  parentId: z.uuid().optional(),
});

export const deleteCommentSchema = z.object({
  commentId: z.uuid("评论不存在"),
});

export const editCommentSchema = z.object({
  commentId: z.uuid("评论不存在"),
  body: z.string({ error: "请填写评论内容" }).trim().min(1, "请填写评论内容").max(1000, "评论最多 1000 个字"),
});

export const reportSchema = z.object({
  commentId: z.uuid().optional(),
  reason: z.string({ error: "请写明举报理由" }).trim().min(2, "请写明举报理由").max(200, "理由最多 200 个字"),
});

export const hideSchema = z.object({
  commentId: z.uuid().optional(),
  reason: z.string({ error: "请写明隐藏理由" }).trim().min(2, "请写明隐藏理由").max(200, "理由最多 200 个字"),
});

export const resolveReportSchema = z
  .object({
    reportId: z.uuid("举报不存在"),
    resolution: z.enum(["hide", "dismiss"], { error: "请选择处理方式" }),
    note: z.string().trim().max(200, "理由最多 200 个字").optional(),
  })
  .refine((v) => v.resolution === "dismiss" || (v.note?.length ?? 0) >= 2, { message: "隐藏内容时请写明理由（会告知作者）", path: ["note"] });

/** Staff decisions on a new issue: accept, decline (with reason) or merge into a duplicate. */
export const reviewIssueSchema = z
  .object({
    to: z.enum(["accepted", "declined", "merged"], { error: "请选择处理方式" }),
    note: z.string().trim().max(500, "说明最多 500 个字").optional(),
    mergedIntoId: z.uuid("请填写要合并到的议题编号").optional(),
  })
  .refine((v) => v.to !== "declined" || (v.note?.length ?? 0) >= 2, { message: "不予受理时请写明理由", path: ["note"] })
  .refine((v) => v.to !== "merged" || !!v.mergedIntoId, { message: "请填写要合并到的议题编号", path: ["mergedIntoId"] });

/** Staff closing an issue before its project's evaluation ends (提前办结): the reason is required and public. */
export const closeIssueSchema = z.object({
  note: z.string({ error: "请写明提前办结的理由" }).trim().min(4, "请写明提前办结的理由（至少 4 个字）").max(500, "理由最多 500 个字"),
});

/** The uploader's own description of a photo; left empty, the issue title is read instead. */
export const photoAltSchema = z.object({
  photoId: z.uuid({ error: "照片不存在" }),
  altText: z.string().trim().max(120, "照片说明最多 120 个字").optional(),
});
