import { sql } from "kysely";
import type { ActionTypeCode, IssueStatus, PhotoContentType } from "../../../db/schema";
import { audit, auditInsertSelect, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import { fixedQuery, inTransaction, prepared, type Executor } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { deniedMessage } from "../../platform/permissions";
import { escapeLike } from "../../lib/like";
import { fileStore, preparePhoto, safeFileName, type PreparedPhoto } from "../../platform/uploads.server";
import { limitedWrite, refuseOverLimit, throttleWrite } from "../../platform/write-limits.server";
import { notify } from "../notifications/notifications.server";
import { bigrams, canEditComment, canTransition, earlyCloseNeedsReason, ISSUE_STATUS_LABELS, isTerminal, MAX_PHOTO_BYTES, MAX_PHOTOS, OPEN_STATUSES, searchTerms, TERMINAL_STATUSES } from "./rules";
import type { IssueListQuery, RaiseIssueInput } from "./schema";

// ---------------------------------------------------------------------------------------------
// Lifecycle

export interface TransitionOptions {
  /** Shown on the public timeline; required when declining. */
  note?: string | null;
  /** Required when merging: the issue this one duplicates. */
  mergedIntoId?: string;
  /** The roundtable that scheduled or decided it, linked from the timeline. */
  roundtableId?: string | null;
  /** Set when a decision names the action type (转入创投). */
  actionType?: ActionTypeCode | null;
}

/**
 * The one way an issue changes status. Refuses transitions the table in rules.ts does not allow,
 * writes the public timeline row and the audit row, and tells the author and the supporters.
 * Later features (calls, grants, evaluation) call it to move issues on; keep the signature stable.
 */
export async function transitionIssue(
  trx: Executor,
  ctx: AuditContext,
  issueId: string,
  to: IssueStatus,
  opts: TransitionOptions,
  clock: Clock,
): Promise<{ from: IssueStatus; to: IssueStatus }> {
  const now = clock.now();
  const issue = await trx
    .selectFrom("issues")
    .select(["id", "status", "title", "place_id", "author_id"])
    .where("id", "=", issueId)
    .forUpdate()
    .executeTakeFirst();
  if (!issue) throw new DomainError("not_found", "议题不存在");
  if (!canTransition(issue.status, to)) {
    throw new DomainError("conflict", `议题当前为「${ISSUE_STATUS_LABELS[issue.status]}」，不能改为「${ISSUE_STATUS_LABELS[to]}」`);
  }
  const note = opts.note?.trim() || null;
  if (to === "declined" && !note) throw new DomainError("invalid", "不予受理时请写明理由", { note: "请写明理由" });
  if (earlyCloseNeedsReason(issue.status, to) && (note?.length ?? 0) < 4) throw new DomainError("invalid", "提前办结议题时请写明理由（至少 4 个字）", { note: "请写明理由" });
  let mergedIntoId: string | null = null;
  if (to === "merged") {
    const target = opts.mergedIntoId
      ? await trx.selectFrom("issues").select(["id", "status", "place_id"]).where("id", "=", opts.mergedIntoId).executeTakeFirst()
      : undefined;
    if (!target || target.id === issue.id) throw new DomainError("invalid", "请选择要合并到的另一个议题", { mergedIntoId: "请选择议题" });
    if (isTerminal(target.status) || target.status === "merged") throw new DomainError("invalid", "不能合并到已结束的议题", { mergedIntoId: "该议题已结束" });
    mergedIntoId = target.id;
  }
  await trx
    .updateTable("issues")
    .set({
      status: to,
      status_changed_at: now,
      ...(mergedIntoId ? { merged_into_id: mergedIntoId } : {}),
      ...(opts.actionType ? { action_type: opts.actionType } : {}),
    })
    .where("id", "=", issue.id)
    .execute();
  await trx
    .insertInto("issue_events")
    .values({ issue_id: issue.id, at: now, actor_id: ctx.userId, from_status: issue.status, to_status: to, note, roundtable_id: opts.roundtableId ?? null })
    .execute();
  await audit(trx, ctx, {
    action: "issue.transition",
    entityType: "issue",
    entityId: issue.id,
    placeId: issue.place_id,
    summary: { before: { status: issue.status }, after: { status: to, mergedIntoId, actionType: opts.actionType ?? null }, note },
  });
  const supporters = await trx.selectFrom("issue_supports").select("user_id").where("issue_id", "=", issue.id).execute();
  await notify(
    trx,
    [issue.author_id, ...supporters.map((s) => s.user_id)].filter((u) => u !== ctx.userId),
    {
      kind: "issue.status",
      title: `议题「${issue.title}」${ISSUE_STATUS_LABELS[to]}`,
      body: note ?? "",
      link: `/issues/${issue.id}`,
    },
    now,
  );
  return { from: issue.status, to };
}

// ---------------------------------------------------------------------------------------------
// Photos

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

const PHOTO_REFUSALS: Record<Extract<PreparedPhoto, { ok: false }>["reason"], (name: string) => string> = {
  not_image: (name) => `「${name}」不是 JPEG、PNG 或 WebP 图片`,
  undecodable: (name) => `照片「${name}」已损坏或无法识别，请重新拍摄或换一张`,
  too_many_pixels: (name) => `照片「${name}」像素过多（超过 5000 万像素），请缩小后再上传`,
};

/**
 * Checks and stores photos as drafts of the uploader (issue_id null), so a form that fails
 * validation keeps them: the page shows them again and sends their ids back in hidden inputs.
 * Each photo is re-encoded without metadata (EXIF location included) and gets a thumbnail
 * (preparePhoto in app/platform/uploads.server.ts).
 */
export async function storeDraftPhotos(
  db: Executor,
  uploaderId: string,
  files: readonly UploadedFile[],
  alreadyKept: number,
  clock: Clock,
): Promise<{ ids: string[]; errors: string[] }> {
  const errors: string[] = [];
  const ids: string[] = [];
  for (const f of files) {
    if (alreadyKept + ids.length >= MAX_PHOTOS) {
      errors.push(`最多上传 ${MAX_PHOTOS} 张照片，「${f.name}」未保存`);
      continue;
    }
    if (f.bytes.length > MAX_PHOTO_BYTES) {
      errors.push(`照片「${f.name}」超过 5 MB`);
      continue;
    }
    const prepared = await preparePhoto(f.bytes);
    if (!prepared.ok) {
      errors.push(PHOTO_REFUSALS[prepared.reason](f.name));
      continue;
    }
    const { type, photo, thumb } = prepared;
    const key = await fileStore().put(photo.bytes);
    const thumbKey = await fileStore().put(thumb.bytes);
    const row = await db
      .insertInto("issue_photos")
      .values({
        uploader_id: uploaderId,
        storage_key: key,
        content_type: type,
        byte_size: photo.bytes.length,
        width: photo.width,
        height: photo.height,
        thumb_key: thumbKey,
        thumb_width: thumb.width,
        thumb_height: thumb.height,
        thumb_byte_size: thumb.bytes.length,
        original_name: safeFileName(f.name, type),
        created_at: clock.now(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  return { ids, errors };
}

/** Draft photos of this uploader among the given ids (others' or attached ones are ignored). */
export async function draftPhotos(db: Executor, uploaderId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom("issue_photos")
    .select(["id", "original_name as name"])
    .where("uploader_id", "=", uploaderId)
    .where("issue_id", "is", null)
    .where("id", "in", ids)
    .orderBy("created_at")
    .execute();
}

export interface ServedPhoto {
  key: string;
  contentType: PhotoContentType;
  name: string;
}

/**
 * The stored file to serve for a photo, or null when this viewer may not see it. size "thumb" is
 * the WebP thumbnail; a photo stored before thumbnails existed serves its original instead.
 */
export async function getPhotoForServing(db: Executor, photoId: string, viewerId: string | null, size: "full" | "thumb" = "full"): Promise<ServedPhoto | null> {
  const row = await db
    .selectFrom("issue_photos as ph")
    .leftJoin("issues as i", "i.id", "ph.issue_id")
    .select(["ph.storage_key", "ph.thumb_key", "ph.content_type", "ph.original_name", "ph.issue_id", "ph.uploader_id", "i.hidden_at"])
    .where("ph.id", "=", photoId)
    .executeTakeFirst();
  if (!row) return null;
  // A draft is only the uploader's; a hidden issue's photos are hidden with it.
  if (row.issue_id === null && row.uploader_id !== viewerId) return null;
  if (row.hidden_at) return null;
  if (size === "thumb" && row.thumb_key) return { key: row.thumb_key, contentType: "image/webp", name: row.original_name.replace(/\.[^.]*$/, "_thumb.webp") };
  return { key: row.storage_key, contentType: row.content_type, name: row.original_name };
}

// ---------------------------------------------------------------------------------------------
// Raise

export async function raiseIssue(db: Executor, ctx: AuditContext, authorId: string, input: RaiseIssueInput, clock: Clock): Promise<{ id: string }> {
  const now = clock.now();
  const place = await db.selectFrom("places").select(["id", "level"]).where("id", "=", input.placeId).executeTakeFirst();
  if (!place || place.level !== "community") throw new DomainError("invalid", "请选择议题所在的社区或村", { placeId: "请选择社区/村" });
  const issue = await db
    .insertInto("issues")
    .values({
      place_id: place.id,
      author_id: authorId,
      title: input.title,
      description: input.description,
      category: input.category,
      location_text: input.locationText ?? null,
      visible_name: input.anonymous ? null : (input.visibleName ?? null),
      anonymous: input.anonymous,
      created_at: now,
      status_changed_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("issue_search").values({ issue_id: issue.id, bigrams: bigrams(`${input.title} ${input.description}`) }).execute();
  if (input.photoIds.length > 0) {
    const photos = await draftPhotos(db, authorId, input.photoIds);
    for (const [position, p] of photos.entries()) {
      await db.updateTable("issue_photos").set({ issue_id: issue.id, position }).where("id", "=", p.id).execute();
    }
  }
  await db.insertInto("issue_events").values({ issue_id: issue.id, at: now, actor_id: authorId, from_status: null, to_status: "pending", note: null }).execute();
  await audit(db, ctx, { action: "issue.raise", entityType: "issue", entityId: issue.id, placeId: place.id, summary: { after: { title: input.title, category: input.category, photos: input.photoIds.length } } });
  return issue;
}

// ---------------------------------------------------------------------------------------------
// List and search

export interface IssueListItem {
  id: string;
  title: string;
  excerpt: string;
  category: string;
  status: IssueStatus;
  actionType: ActionTypeCode | null;
  placeName: string;
  supportCount: number;
  commentCount: number;
  createdAt: Date;
  supportedByViewer: boolean;
  /** The first photo, for a thumbnail in the list. */
  photo: { id: string; thumbWidth: number | null; thumbHeight: number | null; altText: string | null } | null;
}

interface Cursor {
  v: number;
  t: string;
  id: string;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

function decodeCursor(s: string | undefined): Cursor | undefined {
  if (!s) return undefined;
  try {
    const c = JSON.parse(Buffer.from(s, "base64url").toString()) as Cursor;
    if (typeof c.v === "number" && typeof c.t === "string" && !Number.isNaN(Date.parse(c.t)) && /^[0-9a-f-]{36}$/.test(c.id)) return c;
  } catch {
    // a mangled cursor starts the list from the top
  }
  return undefined;
}

/**
 * Issues under a place (any level, everything below it), filtered and sorted, a page at a time
 * with a keyset cursor. Keyword terms are matched by their bigrams on the GIN index, then
 * rechecked with ILIKE (bigrams alone would also match "照…明").
 *
 * A search first looks at the first SEARCH_WINDOW issues in the page's order (walking the sort
 * index) and keeps it when that fills the page or covers every candidate. Common words fill it at
 * once; the GIN plan the planner prefers would fetch and sort every match first (24,883 issues for
 * 「噪音 扰民」 at province scale: 130 ms alone, 0.5 s under load), because it estimates
 * correlated bigrams as independent. Rare words fall through to the GIN plan, which suits them.
 */
export async function listIssues(
  db: Executor,
  query: Omit<IssueListQuery, "place"> & {
    placePath?: string;
    /** Set when the place is a community (nothing below it): matched on place_id, so the per-place index gives the order. */
    communityId?: number;
    limit?: number;
    viewerId?: string | null;
    openOnly?: boolean;
  },
): Promise<{ items: IssueListItem[]; next: string | null }> {
  const limit = query.limit ?? 20;
  const sortColumn = query.sort === "discussed" ? "i.comment_count" : query.sort === "supported" ? "i.support_count" : null;
  let base = db
    .selectFrom("issues as i")
    .innerJoin("places as p", "p.id", "i.place_id")
    .select([
      "i.id",
      "i.title",
      sql<string>`left(i.description, 90)`.as("excerpt"),
      "i.category",
      "i.status",
      "i.action_type as actionType",
      "p.name as placeName",
      "i.support_count as supportCount",
      "i.comment_count as commentCount",
      "i.created_at as createdAt",
      sql<string>`to_char(i.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as("cursorTime"),
    ])
    .where("i.hidden_at", "is", null);
  if (query.communityId !== undefined) base = base.where("i.place_id", "=", query.communityId);
  else if (query.placePath) base = base.where("p.path", "like", `${escapeLike(query.placePath)}%`);
  if (query.category) base = base.where("i.category", "=", query.category);
  if (query.status) base = base.where("i.status", "=", query.status);
  if (query.openOnly) base = base.where("i.status", "in", OPEN_STATUSES);
  if (query.action) base = base.where("i.action_type", "=", query.action);
  const cursor = decodeCursor(query.cursor);
  if (cursor) {
    base = sortColumn
      ? base.where(sql<boolean>`(${sql.ref(sortColumn)}, i.created_at, i.id) < (${cursor.v}, ${cursor.t}::timestamptz, ${cursor.id}::uuid)`)
      : base.where(sql<boolean>`(i.created_at, i.id) < (${cursor.t}::timestamptz, ${cursor.id}::uuid)`);
  }
  const ordered = <Q extends typeof base>(q: Q) =>
    (sortColumn ? q.orderBy(sortColumn as "i.support_count", "desc") : q).orderBy("i.created_at", "desc").orderBy("i.id", "desc");
  const terms = searchTerms(query.q ?? "");
  // Every term in the title or the description; `t` is the table's alias in the statement.
  const termsMatch = (t: "i" | "w") =>
    sql<boolean>`${sql.join(
      terms.map((term) => `%${escapeLike(term)}%`).map((like) => sql`(${sql.ref(`${t}.title`)} ilike ${like} or ${sql.ref(`${t}.description`)} ilike ${like})`),
      sql` and `,
    )}`;
  type Row = Awaited<ReturnType<typeof base.execute>>[number];
  let rows: Row[] | undefined;
  if (terms.length > 0) {
    // The window, then the terms rechecked on it; the left join keeps the window's size when nothing matches.
    const window = ordered(base.select("i.description")).limit(SEARCH_WINDOW);
    const order = (t: "w" | "h") => {
      const count = sortColumn ? sql`${sql.ref(`${t}.${sortColumn === "i.support_count" ? "supportCount" : "commentCount"}`)} desc, ` : sql``;
      return sql`${count}${sql.ref(`${t}.createdAt`)} desc, ${sql.ref(`${t}.id`)} desc`;
    };
    const { rows: found } = await sql<{ windowRows: number; description?: string } & Partial<Row>>`
      with w as (${window})
      select c.n as "windowRows", h.* from (select count(*)::int as n from w) c
      left join lateral (select * from w where ${termsMatch("w")} order by ${order("w")} limit ${limit + 1}) h on true
      order by ${order("h")}`.execute(db);
    const hits = found.filter((r) => r.id !== null && r.id !== undefined);
    if (hits.length > limit || (found[0]?.windowRows ?? 0) < SEARCH_WINDOW) {
      rows = hits.map(({ windowRows: _n, description: _d, ...r }) => r as Row);
    }
  }
  if (!rows) {
    let q = base;
    const grams = [...new Set(terms.flatMap((term) => bigrams(term)))];
    if (grams.length > 0) q = q.where("i.id", "in", (eb) => eb.selectFrom("issue_search as s").select("s.issue_id").where("s.bigrams", "@>", sql<string[]>`${sql.val(grams)}::text[]`));
    if (terms.length > 0) q = q.where(termsMatch("i"));
    rows = await ordered(q).limit(limit + 1).execute();
  }
  const page = rows.slice(0, limit);
  const supported = new Set<string>();
  if (query.viewerId && page.length > 0) {
    const s = await db
      .selectFrom("issue_supports")
      .select("issue_id")
      .where("user_id", "=", query.viewerId)
      .where("issue_id", "in", page.map((r) => r.id))
      .execute();
    for (const r of s) supported.add(r.issue_id);
  }
  // The first photo of each issue on the page, for its thumbnail.
  const photoOf = new Map<string, NonNullable<IssueListItem["photo"]>>();
  if (page.length > 0) {
    const photos = await db
      .selectFrom("issue_photos")
      .distinctOn("issue_id")
      .select(["issue_id", "id", "thumb_width as thumbWidth", "thumb_height as thumbHeight", "alt_text as altText"])
      .where("issue_id", "in", page.map((r) => r.id))
      .orderBy("issue_id")
      .orderBy("position")
      .execute();
    for (const { issue_id, ...p } of photos) if (issue_id) photoOf.set(issue_id, p);
  }
  const last = page[page.length - 1];
  return {
    items: page.map(({ cursorTime: _c, ...r }) => ({ ...r, supportedByViewer: supported.has(r.id), photo: photoOf.get(r.id) ?? null })),
    next:
      rows.length > limit && last
        ? encodeCursor({ v: query.sort === "discussed" ? last.commentCount : query.sort === "supported" ? last.supportCount : 0, t: last.cursorTime, id: last.id })
        : null,
  };
}

/**
 * How many issues, in the page's order, a search looks at before it asks the GIN index (listIssues).
 * The window rechecks only the ILIKE terms; that equals the bigram query as long as
 * `issue_search.bigrams` is bigrams(title + " " + description) — whatever changes an issue's text
 * must write its bigrams again (today only raiseIssue and the seeds write either).
 */
export const SEARCH_WINDOW = 2000;

// ---------------------------------------------------------------------------------------------
// Detail

export const HIDDEN_TEXT = "已被隐藏";

export async function getIssue(db: Executor, issueId: string, viewer: { userId: string | null; isStaff: boolean }) {
  const issue = await db
    .selectFrom("issues as i")
    .innerJoin("places as p", "p.id", "i.place_id")
    .innerJoin("users as u", "u.id", "i.author_id")
    .select([
      "i.id",
      "i.title",
      "i.description",
      "i.category",
      "i.location_text as locationText",
      "i.status",
      "i.action_type as actionType",
      "i.merged_into_id as mergedIntoId",
      "i.support_count as supportCount",
      "i.comment_count as commentCount",
      "i.created_at as createdAt",
      "i.hidden_at as hiddenAt",
      "i.hidden_reason as hiddenReason",
      "i.anonymous",
      "i.visible_name as visibleName",
      "i.author_id as authorId",
      "u.display_name as authorRealName",
      "p.id as placeId",
      "p.name as placeName",
      "p.path as placePath",
    ])
    .where("i.id", "=", issueId)
    .executeTakeFirst();
  if (!issue) return undefined;
  const [photos, events, comments, decisions, supported, mergedInto] = await Promise.all([
    db.selectFrom("issue_photos").select(["id", "original_name as name", "thumb_width as thumbWidth", "thumb_height as thumbHeight", "alt_text as altText"]).where("issue_id", "=", issue.id).orderBy("position").execute(),
    db
      .selectFrom("issue_events as e")
      .leftJoin("users as u", "u.id", "e.actor_id")
      .leftJoin("roundtables as r", "r.id", "e.roundtable_id")
      .select(["e.id", "e.at", "e.from_status as from", "e.to_status as to", "e.note", "e.actor_id as actorId", "u.display_name as actorName", "e.roundtable_id as roundtableId", "r.title as roundtableTitle"])
      .where("e.issue_id", "=", issue.id)
      .orderBy("e.at")
      .orderBy("e.id")
      .execute(),
    db
      .selectFrom("issue_comments as c")
      .innerJoin("users as u", "u.id", "c.author_id")
      .select([
        "c.id",
        "c.parent_id as parentId",
        "c.author_id as authorId",
        "u.display_name as authorName",
        "c.body",
        "c.created_at as createdAt",
        "c.edited_at as editedAt",
        "c.deleted_at as deletedAt",
        "c.hidden_at as hiddenAt",
        "c.hidden_reason as hiddenReason",
      ])
      .where("c.issue_id", "=", issue.id)
      .orderBy("c.created_at")
      .orderBy("c.id")
      .limit(500)
      .execute(),
    db
      .selectFrom("roundtable_decisions as d")
      .innerJoin("roundtables as r", "r.id", "d.roundtable_id")
      .select([
        "d.id",
        "d.kind",
        "d.responsible",
        sql<string | null>`to_char(d.due_date, 'YYYY-MM-DD')`.as("dueDate"),
        "d.action_type as actionType",
        "d.budget_estimate_fen as budgetEstimateFen",
        "d.referred_to as referredTo",
        "d.reason",
        "d.votes_for as votesFor",
        "d.votes_against as votesAgainst",
        "d.votes_abstain as votesAbstain",
        "d.created_at as createdAt",
        "r.id as roundtableId",
        "r.title as roundtableTitle",
      ])
      .where("d.issue_id", "=", issue.id)
      .orderBy("d.created_at")
      .execute(),
    viewer.userId
      ? db.selectFrom("issue_supports").select("user_id").where("issue_id", "=", issue.id).where("user_id", "=", viewer.userId).executeTakeFirst()
      : Promise.resolve(undefined),
    issue.mergedIntoId ? db.selectFrom("issues").select(["id", "title"]).where("id", "=", issue.mergedIntoId).executeTakeFirst() : Promise.resolve(undefined),
  ]);
  const hidden = issue.hiddenAt !== null;
  const showBody = !hidden || viewer.isStaff;
  const { authorRealName, anonymous, visibleName, authorId, ...rest } = issue;
  const publicAuthor = anonymous ? "匿名居民" : (visibleName ?? authorRealName);
  return {
    ...rest,
    title: showBody ? issue.title : HIDDEN_TEXT,
    description: showBody ? issue.description : "",
    authorName: publicAuthor,
    /** Staff always see who raised it, even when it is anonymous to the public. */
    staffAuthor: viewer.isStaff ? authorRealName : null,
    isAuthor: viewer.userId === authorId,
    photos: showBody ? photos : [],
    // The author's own steps show their public name, so an anonymous issue stays anonymous.
    events: events.map(({ actorId, ...e }) => ({ ...e, actorName: actorId === authorId ? publicAuthor : e.actorName })),
    decisions,
    mergedInto: mergedInto ?? null,
    supportedByViewer: supported !== undefined,
    comments: comments.map((c) => {
      const gone = c.deletedAt !== null || (c.hiddenAt !== null && !viewer.isStaff);
      return {
        id: c.id,
        parentId: c.parentId,
        authorName: c.authorName,
        isOwn: c.authorId === viewer.userId,
        body: gone ? "" : c.body,
        createdAt: c.createdAt,
        editedAt: c.editedAt,
        deleted: c.deletedAt !== null,
        hidden: c.hiddenAt !== null,
        hiddenReason: c.hiddenReason,
      };
    }),
  };
}
export type IssueDetail = NonNullable<Awaited<ReturnType<typeof getIssue>>>;

/** What a command needs to know about its issue; `path` is its place's, for the permission check. */
export interface IssueRef {
  id: string;
  title: string;
  status: IssueStatus;
  place_id: number;
  author_id: string;
  hidden_at: Date | null;
  path: string;
}

/** The issue a command acts on, read once: the route checks the permission on its place and hands it to the command. */
export async function issueRef(db: Executor, issueId: string): Promise<IssueRef | undefined> {
  return (await issueRefQuery(db, issueId)).rows[0];
}

const issueRefQuery = fixedQuery("issue_ref", (db, issueId: string) =>
  db
    .selectFrom("issues as i")
    .innerJoin("places as p", "p.id", "i.place_id")
    .select(["i.id", "i.title", "i.status", "i.place_id", "i.author_id", "i.hidden_at", "p.path"])
    .where("i.id", "=", issueId),
);

/** A command's issue: the one the route already read, or read now. */
async function loadIssue(db: Executor, issue: string | IssueRef): Promise<IssueRef> {
  if (typeof issue !== "string") return issue;
  const row = await issueRef(db, issue);
  if (!row) throw new DomainError("not_found", "议题不存在");
  return row;
}

// ---------------------------------------------------------------------------------------------
// Support (附议)

/**
 * Adds the person's support. The primary key (issue_id, user_id) makes a second support a no-op
 * however many arrive at once; the counter moves in the same statement (trigger).
 *
 * One statement reads the issue, counts the write limit, adds the support and its audit row: they
 * commit together without a transaction around them, in one round trip (each round trip was a
 * tenth of a support's cost at province scale). Who may support (a verified resident of the
 * issue's community) is the `issue.support` permission: the route passes the actor's `grants`
 * (requirePlaceGrants) and the statement applies them to the issue's place as `covers` does,
 * naming the role that allowed it in the audit row; outside them it writes and counts nothing and
 * throws `forbidden`. Without `grants` the caller has checked (ctx.role is the role).
 */
export async function supportIssue(
  db: Executor,
  ctx: AuditContext,
  userId: string,
  target: string | IssueRef,
  clock: Clock,
  grants?: ReadonlyArray<{ placePath: string; role: string }>,
): Promise<{ added: boolean }> {
  const issueId = typeof target === "string" ? target : target.id;
  const now = clock.now();
  const paths = grants ? grants.map((g) => g.placePath) : null;
  const roles = grants ? grants.map((g) => g.role) : null;
  const statement = limitedWrite<{ open: boolean; within: boolean; added: boolean }>("support", userId, now, {
    target: sql`
      select i.id, i.place_id, open, within, open and within as ok,
             case when ${paths}::text[] is null then ${ctx.role ?? null}::text
                  else (select g.role from unnest(${paths}::text[], ${roles}::text[]) with ordinality as g(path, role, n)
                        where starts_with(p.path, g.path) order by g.n limit 1) end as role
      from issues i join places p on p.id = i.place_id,
           lateral (select i.hidden_at is null and i.status <> all(${TERMINAL_STATUSES}::text[]) as open,
                           ${paths}::text[] is null or exists (select 1 from unnest(${paths}::text[]) as g(path) where starts_with(p.path, g.path)) as within) f
      where i.id = ${issueId}::uuid`,
    added: (withinLimit) => sql`
      insert into issue_supports (issue_id, user_id, created_at)
      select allowed.id, ${userId}::uuid, ${now}::timestamptz from allowed, hit where ${withinLimit}
      on conflict (issue_id, user_id) do nothing
      returning issue_id`,
    logged: auditInsertSelect({ ...ctx, role: sql`allowed.role` }, { action: "issue.support", entityType: "issue", entityId: sql`added.issue_id`, placeId: sql`allowed.place_id` }, sql`added, allowed`),
    result: sql`target.open, target.within, exists (select 1 from added) as added`,
  });
  const { rows } = await prepared("support_issue", statement, db).execute(db);
  const row = rows[0];
  if (!row) throw new DomainError("not_found", "议题不存在");
  if (!row.within) throw new DomainError("forbidden", deniedMessage("issue.support"));
  if (!row.open) throw new DomainError("conflict", "该议题已结束或已被隐藏，不能附议");
  refuseOverLimit("support", row, now);
  return { added: row.added };
}

export async function withdrawSupport(db: Executor, ctx: AuditContext, userId: string, target: string | IssueRef): Promise<{ removed: boolean }> {
  const issue = await loadIssue(db, target);
  const r = await db.deleteFrom("issue_supports").where("issue_id", "=", issue.id).where("user_id", "=", userId).executeTakeFirst();
  const removed = Number(r.numDeletedRows) > 0;
  if (removed) await audit(db, ctx, { action: "issue.support_withdraw", entityType: "issue", entityId: issue.id, placeId: issue.place_id });
  return { removed };
}

// ---------------------------------------------------------------------------------------------
// Comments

export async function addComment(
  db: Executor,
  ctx: AuditContext,
  userId: string,
  target: string | IssueRef,
  input: { body: string; parentId?: string },
  clock: Clock,
): Promise<{ id: string }> {
  const now = clock.now();
  const issueId = typeof target === "string" ? target : target.id;
  let parent: { id: string; author_id: string } | undefined;
  let title = "";
  if (input.parentId) {
    const issue = await loadIssue(db, target);
    if (issue.hidden_at) throw new DomainError("conflict", HIDDEN_NO_COMMENTS);
    title = issue.title;
    const p = await db.selectFrom("issue_comments").select(["id", "parent_id", "author_id"]).where("id", "=", input.parentId).where("issue_id", "=", issue.id).executeTakeFirst();
    if (!p) throw new DomainError("invalid", "要回复的评论不存在");
    // Threads are one level deep: a reply to a reply joins the same thread; its author is told.
    parent = { id: p.parent_id ?? p.id, author_id: p.author_id };
  }
  const replyTo = parent && parent.author_id !== userId ? parent.author_id : null;
  // One statement, as supportIssue: it reads the issue (a comment needs only a signed-in person),
  // counts the limit, adds the comment and its audit row. A reply also notifies, in the same transaction.
  const write = async (ex: Executor) => {
    const statement = limitedWrite<{ open: boolean; id: string | null }>("comment", userId, now, {
      target: sql`select i.id, i.place_id, i.hidden_at is null as open, i.hidden_at is null as ok from issues i where i.id = ${issueId}::uuid`,
      added: (withinLimit) => sql`
        insert into issue_comments (issue_id, parent_id, author_id, body, created_at)
        select allowed.id, ${parent?.id ?? null}::uuid, ${userId}::uuid, ${input.body}::text, ${now}::timestamptz from allowed, hit where ${withinLimit}
        returning id`,
      logged: auditInsertSelect(ctx, { action: "comment.add", entityType: "comment", entityId: sql`added.id`, placeId: sql`allowed.place_id`, summary: { issueId } }, sql`added, allowed`),
      result: sql`target.open, (select id from added) as id`,
    });
    const { rows } = await prepared("add_comment", statement, ex).execute(ex);
    const row = rows[0];
    if (!row) throw new DomainError("not_found", "议题不存在");
    if (!row.open) throw new DomainError("conflict", HIDDEN_NO_COMMENTS);
    refuseOverLimit("comment", row, now);
    const id = row.id!;
    if (replyTo) {
      await notify(ex, [replyTo], { kind: "comment.reply", title: `有人回复了您在「${title}」下的评论`, body: input.body.slice(0, 80), link: `/issues/${issueId}#c-${id}` }, now);
    }
    return { id };
  };
  return replyTo ? inTransaction(db, write) : write(db);
}

const HIDDEN_NO_COMMENTS = "该议题已被隐藏，不能评论";

async function ownComment(db: Executor, userId: string, commentId: string) {
  const c = await db
    .selectFrom("issue_comments as c")
    .innerJoin("issues as i", "i.id", "c.issue_id")
    .select(["c.id", "c.issue_id", "c.author_id", "c.created_at", "c.deleted_at", "c.hidden_at", "i.place_id"])
    .where("c.id", "=", commentId)
    .executeTakeFirst();
  if (!c) throw new DomainError("not_found", "评论不存在");
  if (c.author_id !== userId) throw new DomainError("forbidden", "只能修改自己的评论");
  return c;
}

export async function editComment(db: Executor, ctx: AuditContext, userId: string, commentId: string, body: string, clock: Clock): Promise<void> {
  const now = clock.now();
  const c = await ownComment(db, userId, commentId);
  if (c.hidden_at) throw new DomainError("conflict", "该评论已被隐藏，不能修改");
  if (!canEditComment({ createdAt: c.created_at, authorId: c.author_id, deleted: c.deleted_at !== null }, userId, now)) {
    throw new DomainError("conflict", "评论发表 15 分钟后不能再修改");
  }
  await throttleWrite(db, "comment", userId, clock);
  await db.updateTable("issue_comments").set({ body, edited_at: now }).where("id", "=", c.id).execute();
  await audit(db, ctx, { action: "comment.edit", entityType: "comment", entityId: c.id, placeId: c.place_id });
}

export async function deleteComment(db: Executor, ctx: AuditContext, userId: string, commentId: string, clock: Clock): Promise<void> {
  const c = await ownComment(db, userId, commentId);
  if (c.deleted_at) return;
  await db.updateTable("issue_comments").set({ deleted_at: clock.now() }).where("id", "=", c.id).execute();
  await audit(db, ctx, { action: "comment.delete", entityType: "comment", entityId: c.id, placeId: c.place_id });
}

// ---------------------------------------------------------------------------------------------
// Reports (举报) and moderation

export async function reportContent(
  db: Executor,
  ctx: AuditContext,
  userId: string,
  input: { issueId: string; commentId?: string; reason: string },
  clock: Clock,
): Promise<{ id: string }> {
  const issue = await loadIssue(db, input.issueId);
  if (input.commentId) {
    const c = await db.selectFrom("issue_comments").select("id").where("id", "=", input.commentId).where("issue_id", "=", issue.id).executeTakeFirst();
    if (!c) throw new DomainError("not_found", "评论不存在");
  }
  const row = await db
    .insertInto("content_reports")
    .values({ issue_id: issue.id, comment_id: input.commentId ?? null, reporter_id: userId, reason: input.reason, created_at: clock.now() })
    .returning("id")
    .executeTakeFirstOrThrow();
  await audit(db, ctx, { action: "content.report", entityType: input.commentId ? "comment" : "issue", entityId: input.commentId ?? issue.id, placeId: issue.place_id, summary: { reportId: row.id } });
  return row;
}

/** Hides an issue or a comment with a reason; the author is told, the reports on it are closed. */
export async function hideContent(
  db: Executor,
  ctx: AuditContext,
  input: { issueId: string; commentId?: string | null; reason: string },
  clock: Clock,
): Promise<void> {
  const now = clock.now();
  const issue = await loadIssue(db, input.issueId);
  let authorId = issue.author_id;
  if (input.commentId) {
    const c = await db
      .updateTable("issue_comments")
      .set({ hidden_at: now, hidden_reason: input.reason, hidden_by: ctx.userId })
      .where("id", "=", input.commentId)
      .where("issue_id", "=", issue.id)
      .returning("author_id")
      .executeTakeFirst();
    if (!c) throw new DomainError("not_found", "评论不存在");
    authorId = c.author_id;
  } else {
    await db.updateTable("issues").set({ hidden_at: now, hidden_reason: input.reason, hidden_by: ctx.userId }).where("id", "=", issue.id).execute();
  }
  let reports = db
    .updateTable("content_reports")
    .set({ status: "hidden", resolved_by: ctx.userId, resolved_at: now, resolution_note: input.reason })
    .where("issue_id", "=", issue.id)
    .where("status", "=", "open");
  reports = input.commentId ? reports.where("comment_id", "=", input.commentId) : reports.where("comment_id", "is", null);
  await reports.execute();
  await audit(db, ctx, {
    action: "content.hide",
    entityType: input.commentId ? "comment" : "issue",
    entityId: input.commentId ?? issue.id,
    placeId: issue.place_id,
    summary: { reason: input.reason, issueId: issue.id },
  });
  await notify(
    db,
    [authorId],
    { kind: "content.hidden", title: input.commentId ? `您在「${issue.title}」下的评论已被隐藏` : `您的议题「${issue.title}」已被隐藏`, body: `理由：${input.reason}`, link: `/issues/${issue.id}` },
    now,
  );
}

export async function reportTarget(db: Executor, reportId: string) {
  return db
    .selectFrom("content_reports as r")
    .innerJoin("issues as i", "i.id", "r.issue_id")
    .innerJoin("places as p", "p.id", "i.place_id")
    .select(["r.id", "r.issue_id as issueId", "r.comment_id as commentId", "r.status", "p.path as placePath"])
    .where("r.id", "=", reportId)
    .executeTakeFirst();
}

export async function resolveReport(
  db: Executor,
  ctx: AuditContext,
  input: { reportId: string; resolution: "hide" | "dismiss"; note?: string },
  clock: Clock,
): Promise<void> {
  const report = await reportTarget(db, input.reportId);
  if (!report) throw new DomainError("not_found", "举报不存在");
  if (report.status !== "open") throw new DomainError("conflict", "该举报已处理");
  if (input.resolution === "hide") {
    await hideContent(db, ctx, { issueId: report.issueId, commentId: report.commentId, reason: input.note ?? "" }, clock);
    return;
  }
  await db
    .updateTable("content_reports")
    .set({ status: "dismissed", resolved_by: ctx.userId, resolved_at: clock.now(), resolution_note: input.note ?? null })
    .where("id", "=", report.id)
    .execute();
  await audit(db, ctx, { action: "content.report_dismiss", entityType: "content_report", entityId: report.id, summary: { note: input.note ?? null } });
}

export async function listOpenReports(db: Executor, placePaths: readonly string[]) {
  if (placePaths.length === 0) return [];
  return db
    .selectFrom("content_reports as r")
    .innerJoin("issues as i", "i.id", "r.issue_id")
    .innerJoin("places as p", "p.id", "i.place_id")
    .innerJoin("users as u", "u.id", "r.reporter_id")
    .leftJoin("issue_comments as c", "c.id", "r.comment_id")
    .select(["r.id", "r.reason", "r.created_at as createdAt", "i.id as issueId", "i.title as issueTitle", "c.body as commentBody", "r.comment_id as commentId", "p.name as placeName", "u.display_name as reporterName"])
    .where("r.status", "=", "open")
    .where((eb) => eb.or(placePaths.map((pp) => eb("p.path", "like", `${escapeLike(pp)}%`))))
    .orderBy("r.created_at")
    .limit(100)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Queries for other pages

/** Other issues of the same community an issue could be merged into. */
export async function mergeCandidates(db: Executor, issueId: string, placeId: number) {
  return db
    .selectFrom("issues")
    .select(["id", "title"])
    .where("place_id", "=", placeId)
    .where("id", "<>", issueId)
    .where("status", "in", ["pending", "accepted", "scheduled", "decided", "in_call", "in_progress"])
    .where("hidden_at", "is", null)
    .orderBy("created_at", "desc")
    .limit(100)
    .execute();
}

export interface ReadyForCallItem {
  issueId: string;
  title: string;
  placeName: string;
  actionType: ActionTypeCode;
  budgetEstimateFen: number;
  supportCount: number;
  decidedAt: Date;
  roundtableId: string;
  roundtableTitle: string;
}

/**
 * Issues a roundtable decided to take to a call (转入创投) and that are not in a call yet, under a
 * place: what bureau officers and the district liaison pick from when they publish a call.
 */
export async function listReadyForCall(db: Executor, placePath: string): Promise<ReadyForCallItem[]> {
  const rows = await db
    .selectFrom("issues as i")
    .innerJoin("places as p", "p.id", "i.place_id")
    .innerJoin(
      (eb) =>
        eb
          .selectFrom("roundtable_decisions")
          .distinctOn("issue_id")
          .select(["issue_id", "kind", "action_type", "budget_estimate_fen", "created_at", "roundtable_id"])
          .orderBy("issue_id")
          .orderBy("created_at", "desc")
          .as("d"),
      (join) => join.onRef("d.issue_id", "=", "i.id"),
    )
    .innerJoin("roundtables as r", "r.id", "d.roundtable_id")
    .select([
      "i.id as issueId",
      "i.title",
      "p.name as placeName",
      "d.action_type as actionType",
      "d.budget_estimate_fen as budgetEstimateFen",
      "i.support_count as supportCount",
      "d.created_at as decidedAt",
      "r.id as roundtableId",
      "r.title as roundtableTitle",
    ])
    .where("i.status", "=", "decided")
    .where("d.kind", "=", "to_call")
    .where("i.hidden_at", "is", null)
    .where("p.path", "like", `${escapeLike(placePath)}%`)
    .orderBy("d.created_at", "desc")
    .limit(500)
    .execute();
  return rows.map((r) => ({ ...r, actionType: r.actionType!, budgetEstimateFen: Number(r.budgetEstimateFen) }));
}

/** Accepted issues of a community that can go on a roundtable's agenda, most supported first. */
export async function listAgendaCandidates(db: Executor, placePath: string) {
  return db
    .selectFrom("issues as i")
    .innerJoin("places as p", "p.id", "i.place_id")
    .select(["i.id", "i.title", "i.support_count as supportCount", "p.name as placeName"])
    .where("i.status", "=", "accepted")
    .where("i.hidden_at", "is", null)
    .where("p.path", "like", `${escapeLike(placePath)}%`)
    .orderBy("i.support_count", "desc")
    .orderBy("i.created_at")
    .limit(200)
    .execute();
}
