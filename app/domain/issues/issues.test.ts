import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../db/schema";
import { createUser, placeTree } from "../../../tests/support/factories";
import { createPlace } from "../places/places.server";
import { GPS_POINTER, phonePhoto } from "../../../tests/support/images";
import { fixedClock } from "../../platform/clock";
import { getDb, type DB } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { fileStore } from "../../platform/uploads.server";
import { unreadCount } from "../notifications/notifications.server";
import { can } from "../../platform/permissions";
import { loadRoles } from "../accounts/accounts.server";
import { decideVerification, requestVerification } from "../residents/residents.server";
import {
  issueRef,
  SEARCH_WINDOW,
  addComment,
  deleteComment,
  editComment,
  getIssue,
  getPhotoForServing,
  hideContent,
  listIssues,
  listReadyForCall,
  raiseIssue,
  reportContent,
  resolveReport,
  storeDraftPhotos,
  supportIssue,
  transitionIssue,
  withdrawSupport,
} from "./issues.server";
import { bigrams, ISSUE_STATUSES, ISSUE_TRANSITIONS } from "./rules";
import type { RaiseIssueInput } from "./schema";

const clock = fixedClock("2026-12-01T02:00:00Z");
const ctx = (userId: string | null) => ({ userId, role: null });

let tree: Awaited<ReturnType<typeof placeTree>>;
let staff: { id: string };
let author: { id: string };

function input(over: Partial<RaiseIssueInput> = {}): RaiseIssueInput {
  return {
    title: "小区路灯坏了很久没人修",
    description: "三栋和五栋之间的路灯坏了两个月，晚上老人出门很不方便。",
    category: "社区环境",
    placeId: tree.communityA1.id,
    anonymous: false,
    photoIds: [],
    ...over,
  };
}

async function raise(db: DB, over: Partial<RaiseIssueInput> = {}, by = author.id) {
  return db.transaction().execute((trx) => raiseIssue(trx, ctx(by), by, input(over), clock));
}

async function resident(db: DB, place = tree.communityA1) {
  return createUser(db, { roles: [{ role: "resident", place }] });
}

async function expectDomainError(p: Promise<unknown>, code: string, message?: RegExp) {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).code).toBe(code);
  if (message) expect((e as DomainError).message).toMatch(message);
}

beforeAll(async () => {
  // Photos go to a directory of this test file's own (fileStore() reads UPLOAD_DIR on first use).
  process.env.UPLOAD_DIR = await mkdtemp(path.join(os.tmpdir(), "linli-issue-photos-"));
  const db = getDb();
  tree = await placeTree(db);
  staff = await createUser(db, { name: "社区李主任", roles: [{ role: "community_staff", place: tree.communityA1 }] });
  author = await createUser(db, { name: "张阿姨" });
});

describe("resident verification", () => {
  it("approval by community staff creates a resident role scoped to the community, and only then may the person support", async () => {
    const db = getDb();
    const person = await createUser(db);
    const issue = await raise(db);
    const target = (await issueRef(db, issue.id))!;
    expect(can({ roles: await loadRoles(db, person.id) }, "issue.support", { placePath: target.path })).toBe(false);

    const req = await requestVerification(db, ctx(person.id), person.id, { placeId: tree.communityA1.id, realName: "王小明", address: "幸福小区 3 栋 201" }, clock);
    await expectDomainError(
      requestVerification(db, ctx(person.id), person.id, { placeId: tree.communityA1.id, realName: "王小明", address: "幸福小区 3 栋 201" }, clock),
      "conflict",
    );
    await decideVerification(db, ctx(staff.id), { verificationId: req.id, decision: "approve" }, clock);
    const role = await db.selectFrom("role_assignments").select(["role", "place_id"]).where("user_id", "=", person.id).executeTakeFirstOrThrow();
    expect(role).toEqual({ role: "resident", place_id: tree.communityA1.id });
    expect(can({ roles: await loadRoles(db, person.id) }, "issue.support", { placePath: target.path })).toBe(true);
    expect(await supportIssue(db, ctx(person.id), person.id, target, clock)).toEqual({ added: true });
    expect(await unreadCount(db, person.id)).toBe(1);
  });

  it("a rejection needs a reason and gives no role; a resident of another community may not support here", async () => {
    const db = getDb();
    const person = await createUser(db);
    const req = await requestVerification(db, ctx(person.id), person.id, { placeId: tree.communityA1.id, realName: "李四", address: "不详的地址" }, clock);
    await decideVerification(db, ctx(staff.id), { verificationId: req.id, decision: "reject", reason: "地址不在本社区" }, clock);
    expect(await db.selectFrom("role_assignments").select("id").where("user_id", "=", person.id).execute()).toHaveLength(0);
    await expectDomainError(decideVerification(db, ctx(staff.id), { verificationId: req.id, decision: "approve" }, clock), "conflict");

    const elsewhere = await resident(db, tree.communityB1);
    const issue = await raise(db);
    const target = (await issueRef(db, issue.id))!;
    expect(target.path.startsWith(tree.communityA1.path)).toBe(true);
    expect(can({ roles: await loadRoles(db, elsewhere.id) }, "issue.support", { placePath: target.path })).toBe(false);
    expect(can({ roles: await loadRoles(db, (await resident(db)).id) }, "issue.support", { placePath: target.path })).toBe(true);
  });

  it("refuses a verification request for a place that is not a community", async () => {
    const db = getDb();
    const person = await createUser(db);
    await expectDomainError(requestVerification(db, ctx(person.id), person.id, { placeId: tree.streetA.id, realName: "赵六", address: "甲街道某处" }, clock), "invalid");
  });
});

describe("photos", () => {
  it("stores a phone photo without its EXIF (GPS position) with a WebP thumbnail of at most 480 px, shown in the list and on the page", async () => {
    const db = getDb();
    const src = await phonePhoto("jpeg", 4000, 3000);
    expect((await sharp(src).metadata()).exif?.includes(GPS_POINTER)).toBe(true);
    const stored = await storeDraftPhotos(db, author.id, [{ name: "路灯.jpg", bytes: src }], 0, clock);
    expect(stored.errors).toEqual([]);
    const [id] = stored.ids;

    const full = await getPhotoForServing(db, id, author.id);
    const thumb = await getPhotoForServing(db, id, author.id, "thumb");
    expect(full).toMatchObject({ contentType: "image/jpeg", name: "路灯.jpg" });
    expect(thumb).toMatchObject({ contentType: "image/webp", name: "路灯_thumb.webp" });
    const fullBytes = (await fileStore().get(full!.key))!;
    const thumbBytes = (await fileStore().get(thumb!.key))!;
    const fullMeta = await sharp(fullBytes).metadata();
    const thumbMeta = await sharp(thumbBytes).metadata();
    expect([fullMeta.exif, fullMeta.xmp, thumbMeta.exif]).toEqual([undefined, undefined, undefined]);
    expect([fullMeta.width, fullMeta.height]).toEqual([1920, 2560]);
    expect([thumbMeta.format, thumbMeta.width, thumbMeta.height]).toEqual(["webp", 360, 480]);

    // Still a draft: only its uploader gets it.
    expect(await getPhotoForServing(db, id, staff.id, "thumb")).toBeNull();
    const row = await db.selectFrom("issue_photos").select(["byte_size", "width", "height", "thumb_width", "thumb_height", "thumb_byte_size"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toEqual({ byte_size: fullBytes.length, width: 1920, height: 2560, thumb_width: 360, thumb_height: 480, thumb_byte_size: thumbBytes.length });

    const issue = await raise(db, { title: "缩略图测试：单元门口台阶", photoIds: [id] });
    expect(await getPhotoForServing(db, id, null, "thumb")).toMatchObject({ contentType: "image/webp" });
    const view = await getIssue(db, issue.id, { userId: null, isStaff: false });
    expect(view?.photos).toEqual([{ id, name: "路灯.jpg", thumbWidth: 360, thumbHeight: 480, altText: null }]);
    const list = await listIssues(db, { sort: "newest", q: "缩略图测试" });
    expect(list.items.map((i) => i.photo)).toEqual([{ id, thumbWidth: 360, thumbHeight: 480, altText: null }]);
  });

  it("refuses, by name and with the reason in Chinese, a non-image called .jpg and a broken JPEG; stores the good one beside them", async () => {
    const db = getDb();
    const good = await phonePhoto("png", 120, 80);
    const stored = await storeDraftPhotos(
      db,
      author.id,
      [
        { name: "通知.jpg", bytes: new TextEncoder().encode("<html>这是网页不是照片</html>") },
        { name: "坏照片.jpg", bytes: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, ...new TextEncoder().encode("JFIF not really")]) },
        { name: "门口.png", bytes: good },
      ],
      0,
      clock,
    );
    expect(stored.errors).toEqual(["「通知.jpg」不是 JPEG、PNG 或 WebP 图片", "照片「坏照片.jpg」已损坏或无法识别，请重新拍摄或换一张"]);
    expect(stored.ids).toHaveLength(1);
    expect(await db.selectFrom("issue_photos").select("original_name").where("id", "in", stored.ids).execute()).toEqual([{ original_name: "门口.png" }]);
  });

  it("serves the original in place of the thumbnail for a photo stored before thumbnails existed", async () => {
    const db = getDb();
    const key = await fileStore().put(new Uint8Array([1, 2, 3]));
    const old = await db
      .insertInto("issue_photos")
      .values({ uploader_id: author.id, storage_key: key, content_type: "image/png", byte_size: 3, original_name: "旧照片.png", created_at: clock.now() })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(await getPhotoForServing(db, old.id, author.id, "thumb")).toEqual({ key, contentType: "image/png", name: "旧照片.png" });
  });
});

describe("supports (附议)", () => {
  async function separatePool() {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), close: () => pool.end() };
  }

  it("counts one support per resident when the same resident fires 20 concurrent requests over separate connections", async () => {
    const db = getDb();
    const issue = await raise(db);
    const r = await resident(db);
    const { db: other, close } = await separatePool();
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, () => other.transaction().execute((trx) => supportIssue(trx, ctx(r.id), r.id, issue.id, clock))),
      );
      expect(results.filter((x) => x.added)).toHaveLength(1);
    } finally {
      await close();
    }
    const row = await db.selectFrom("issues").select("support_count").where("id", "=", issue.id).executeTakeFirstOrThrow();
    expect(row.support_count).toBe(1);
  });

  it("counts exactly 20 when 20 residents support at the same moment, and the counter equals the rows", async () => {
    const db = getDb();
    const issue = await raise(db);
    const people = await Promise.all(Array.from({ length: 20 }, () => resident(db)));
    const { db: other, close } = await separatePool();
    try {
      await Promise.all(people.map((p) => other.transaction().execute((trx) => supportIssue(trx, ctx(p.id), p.id, issue.id, clock))));
    } finally {
      await close();
    }
    const row = await db.selectFrom("issues").select("support_count").where("id", "=", issue.id).executeTakeFirstOrThrow();
    const { n } = await db.selectFrom("issue_supports").select((eb) => eb.fn.countAll<number>().as("n")).where("issue_id", "=", issue.id).executeTakeFirstOrThrow();
    expect(row.support_count).toBe(20);
    expect(Number(n)).toBe(20);
  });

  it("can be withdrawn, and the list shows the resident which issues they supported", async () => {
    const db = getDb();
    const issue = await raise(db, { title: "可撤回的附议测试议题" });
    const r = await resident(db);
    await supportIssue(db, ctx(r.id), r.id, issue.id, clock);
    let list = await listIssues(db, { sort: "newest", placePath: tree.communityA1.path, viewerId: r.id, q: "可撤回" });
    expect(list.items.map((i) => [i.id, i.supportedByViewer, i.supportCount])).toEqual([[issue.id, true, 1]]);
    expect(await withdrawSupport(db, ctx(r.id), r.id, issue.id)).toEqual({ removed: true });
    list = await listIssues(db, { sort: "newest", placePath: tree.communityA1.path, viewerId: r.id, q: "可撤回" });
    expect(list.items.map((i) => [i.supportedByViewer, i.supportCount])).toEqual([[false, 0]]);
  });
});

describe("lifecycle", () => {
  it("the transition table allows only the documented paths and terminal states go nowhere", () => {
    for (const s of ["declined", "merged", "closed"] as const) expect(ISSUE_TRANSITIONS[s]).toEqual([]);
    expect(ISSUE_TRANSITIONS.pending).toEqual(["accepted", "declined", "merged"]);
    for (const s of ISSUE_STATUSES) for (const t of ISSUE_TRANSITIONS[s]) expect(ISSUE_STATUSES).toContain(t);
  });

  it("refuses illegal transitions in the domain layer (pending → decided, declined → accepted)", async () => {
    const db = getDb();
    const issue = await raise(db);
    await expectDomainError(transitionIssue(db, ctx(staff.id), issue.id, "decided", {}, clock), "conflict", /待受理.*已议定/);
    await expectDomainError(transitionIssue(db, ctx(staff.id), issue.id, "declined", {}, clock), "invalid", /理由/);
    await transitionIssue(db, ctx(staff.id), issue.id, "declined", { note: "属于物业合同纠纷，请联系物业" }, clock);
    await expectDomainError(transitionIssue(db, ctx(staff.id), issue.id, "accepted", {}, clock), "conflict");
    const row = await db.selectFrom("issues").select("status").where("id", "=", issue.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("declined");
  });

  it("writes a public timeline row with actor, from, to and note, an audit row, and notifies author and supporters", async () => {
    const db = getDb();
    const issue = await raise(db);
    const supporter = await resident(db);
    await supportIssue(db, ctx(supporter.id), supporter.id, issue.id, clock);
    const before = { author: await unreadCount(db, author.id), supporter: await unreadCount(db, supporter.id) };
    await transitionIssue(db, ctx(staff.id), issue.id, "accepted", { note: "已转交物业核实" }, clock);
    const detail = await getIssue(db, issue.id, { userId: null, isStaff: false });
    expect(detail!.events.map((e) => [e.from, e.to, e.note, e.actorName])).toEqual([
      [null, "pending", null, "张阿姨"],
      ["pending", "accepted", "已转交物业核实", "社区李主任"],
    ]);
    expect(detail!.events[1].at.toISOString()).toBe("2026-12-01T02:00:00.000Z");
    const auditRow = await db.selectFrom("audit_log").select(["summary", "actor_user_id"]).where("action", "=", "issue.transition").where("entity_id", "=", issue.id).executeTakeFirstOrThrow();
    expect(auditRow).toMatchObject({ actor_user_id: staff.id, summary: { before: { status: "pending" }, after: { status: "accepted" } } });
    expect(await unreadCount(db, author.id)).toBe(before.author + 1);
    expect(await unreadCount(db, supporter.id)).toBe(before.supporter + 1);
    expect(await unreadCount(db, staff.id)).toBe(0);
  });

  it("merges into another live issue only", async () => {
    const db = getDb();
    const a = await raise(db);
    const b = await raise(db);
    await expectDomainError(transitionIssue(db, ctx(staff.id), a.id, "merged", { mergedIntoId: a.id }, clock), "invalid");
    await transitionIssue(db, ctx(staff.id), a.id, "merged", { mergedIntoId: b.id, note: "与另一议题重复" }, clock);
    const detail = await getIssue(db, a.id, { userId: null, isStaff: false });
    expect(detail!.mergedInto?.id).toBe(b.id);
    const c = await raise(db);
    await expectDomainError(transitionIssue(db, ctx(staff.id), c.id, "merged", { mergedIntoId: a.id }, clock), "invalid", /已结束/);
  });
});

describe("comments, reports and hidden content", () => {
  it("threads replies one level deep and tells the person replied to", async () => {
    const db = getDb();
    const issue = await raise(db);
    const commenter = await createUser(db);
    const replier = await createUser(db);
    const top = await addComment(db, ctx(commenter.id), commenter.id, issue.id, { body: "我也遇到过" }, clock);
    const reply = await addComment(db, ctx(replier.id), replier.id, issue.id, { body: "同意", parentId: top.id }, clock);
    const replyToReply = await addComment(db, ctx(commenter.id), commenter.id, issue.id, { body: "谢谢", parentId: reply.id }, clock);
    const rows = await db.selectFrom("issue_comments").select(["id", "parent_id"]).where("issue_id", "=", issue.id).execute();
    expect(rows.find((r) => r.id === replyToReply.id)?.parent_id).toBe(top.id);
    expect(await unreadCount(db, commenter.id)).toBe(1);
    expect(await unreadCount(db, replier.id)).toBe(1);
    const { comment_count } = await db.selectFrom("issues").select("comment_count").where("id", "=", issue.id).executeTakeFirstOrThrow();
    expect(comment_count).toBe(3);
  });

  it("lets the author edit within 15 minutes only, and delete their own comment only", async () => {
    const db = getDb();
    const issue = await raise(db);
    const me = await createUser(db);
    const other = await createUser(db);
    const c = fixedClock("2026-12-01T02:00:00Z");
    const comment = await addComment(db, ctx(me.id), me.id, issue.id, { body: "原文" }, c);
    c.advance(14 * 60 * 1000);
    await editComment(db, ctx(me.id), me.id, comment.id, "改过的文字", c);
    await expectDomainError(editComment(db, ctx(other.id), other.id, comment.id, "别人改", c), "forbidden");
    c.advance(2 * 60 * 1000);
    await expectDomainError(editComment(db, ctx(me.id), me.id, comment.id, "太晚了", c), "conflict", /15 分钟/);
    await expectDomainError(deleteComment(db, ctx(other.id), other.id, comment.id, c), "forbidden");
    await deleteComment(db, ctx(me.id), me.id, comment.id, c);
    const detail = await getIssue(db, issue.id, { userId: me.id, isStaff: false });
    expect(detail!.comments[0]).toMatchObject({ deleted: true, body: "" });
  });

  it("a reported comment hidden by staff shows 已被隐藏 with the reason, the author is told and it is audit-logged", async () => {
    const db = getDb();
    const issue = await raise(db);
    const rude = await createUser(db);
    const reporter = await createUser(db);
    const comment = await addComment(db, ctx(rude.id), rude.id, issue.id, { body: "一些不文明的话" }, clock);
    const report = await reportContent(db, ctx(reporter.id), reporter.id, { issueId: issue.id, commentId: comment.id, reason: "人身攻击" }, clock);
    await resolveReport(db, ctx(staff.id), { reportId: report.id, resolution: "hide", note: "含有人身攻击内容" }, clock);
    const pub = await getIssue(db, issue.id, { userId: null, isStaff: false });
    expect(pub!.comments[0]).toMatchObject({ hidden: true, hiddenReason: "含有人身攻击内容", body: "" });
    const staffView = await getIssue(db, issue.id, { userId: staff.id, isStaff: true });
    expect(staffView!.comments[0].body).toBe("一些不文明的话");
    expect(await unreadCount(db, rude.id)).toBe(1);
    const r = await db.selectFrom("content_reports").select("status").where("id", "=", report.id).executeTakeFirstOrThrow();
    expect(r.status).toBe("hidden");
    expect(await db.selectFrom("audit_log").select("id").where("action", "=", "content.hide").where("entity_id", "=", comment.id).execute()).toHaveLength(1);
  });

  it("a hidden issue leaves public lists, shows 已被隐藏, and a dismissed report leaves content visible", async () => {
    const db = getDb();
    const keep = await raise(db, { title: "举报被驳回的议题标题" });
    const report = await reportContent(db, ctx(author.id), author.id, { issueId: keep.id, reason: "看着不顺眼" }, clock);
    await resolveReport(db, ctx(staff.id), { reportId: report.id, resolution: "dismiss" }, clock);
    expect((await getIssue(db, keep.id, { userId: null, isStaff: false }))!.title).toBe("举报被驳回的议题标题");

    const bad = await raise(db, { title: "含有广告的议题标题", description: "这里是一段广告内容，请勿理会。" });
    await hideContent(db, ctx(staff.id), { issueId: bad.id, reason: "广告" }, clock);
    const pub = await getIssue(db, bad.id, { userId: null, isStaff: false });
    expect(pub).toMatchObject({ title: "已被隐藏", hiddenReason: "广告", description: "" });
    const list = await listIssues(db, { sort: "newest", q: "广告" });
    expect(list.items).toHaveLength(0);
  });
});

describe("list, filter and search", () => {
  it("answers a search the same whether the first issues in order fill the page or the search index is asked", async () => {
    const db = getDb();
    const community = await createPlace(db, { parentId: tree.streetA.id, level: "community", name: "搜索窗口社区" });
    const common = { title: "小区路面常见坑洼", description: "路面坑洼，雨天积水。" };
    const rare = { title: "小区路面常见坑洼，还有罕见裂缝", description: "路面坑洼，还有罕见裂缝。" };
    // SEARCH_WINDOW + 100 issues, newest first by number; the rare word only in the 3 oldest.
    const n = SEARCH_WINDOW + 100;
    await sql`
      with added as (
        insert into issues (place_id, author_id, title, description, category, created_at, status_changed_at)
        select ${community.id}, ${author.id},
               case when g <= 3 then ${rare.title} else ${common.title} end,
               case when g <= 3 then ${rare.description} else ${common.description} end,
               '社区环境', timestamptz '2026-01-01' + g * interval '1 minute', timestamptz '2026-01-01'
        from generate_series(1, ${n}) g
        returning id, title
      )
      insert into issue_search (issue_id, bigrams)
      select id, case when title = ${rare.title} then ${sql.val(bigrams(`${rare.title} ${rare.description}`))}::text[] else ${sql.val(bigrams(`${common.title} ${common.description}`))}::text[] end
      from added`.execute(db);
    const inOrder = async (where: string) =>
      (await sql<{ id: string }>`select id from issues where place_id = ${community.id} and ${sql.raw(where)} order by created_at desc, id desc`.execute(db)).rows.map((r) => r.id);
    const pages = async (q: string, pageCount: number) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < pageCount; i++) {
        const page = await listIssues(db, { sort: "newest", communityId: community.id, q, cursor });
        ids.push(...page.items.map((it) => it.id));
        if (!page.next) break;
        cursor = page.next;
      }
      return ids;
    };
    // Common words: the window fills every page; three pages in order without gaps or repeats.
    expect(await pages("坑洼 积水", 3)).toEqual((await inOrder("description like '%积水%'")).slice(0, 60));
    // A rare word: nothing in the window, so the search index answers, with the same order.
    expect(await pages("罕见 裂缝", 2)).toEqual(await inOrder("title like '%罕见%'"));
    // Sorted by support, the window is the support order.
    await db.updateTable("issues").set({ support_count: 7 }).where("place_id", "=", community.id).where("title", "=", rare.title).execute();
    const bySupport = await listIssues(db, { sort: "supported", communityId: community.id, q: "坑洼" });
    expect(bySupport.items.slice(0, 3).map((i) => i.title)).toEqual([rare.title, rare.title, rare.title]);
    expect(bySupport.items).toHaveLength(20);
  });

  it("finds 2-character words (照明, 养老) in descriptions and titles, and not across punctuation", async () => {
    const db = getDb();
    const lamp = await raise(db, { title: "楼道里晚上太黑了", description: "楼道照明不足，老人上下楼容易摔倒。" });
    const elder = await raise(db, { title: "希望开办老年食堂", description: "社区养老服务太少，独居老人吃饭难。", category: "养老" });
    await raise(db, { title: "健身器材需要维修", description: "照，明天再说。" });
    const ids = async (q: string) => (await listIssues(db, { sort: "newest", q, placePath: tree.city.path })).items.map((i) => i.id);
    expect(await ids("照明")).toEqual([lamp.id]);
    expect(await ids("养老")).toEqual([elder.id]);
    expect(await ids("老人 楼道")).toEqual([lamp.id]);
    expect(bigrams("路灯，照明")).toEqual(["路灯", "照明"]);
  });

  it("filters by place with everything below it, by category and status, and pages with a keyset cursor without gaps or repeats", async () => {
    const db = getDb();
    const c2 = await raise(db, { placeId: tree.communityA2.id, title: "甲二社区的分页议题一", category: "体育" });
    const inB = await raise(db, { placeId: tree.communityB1.id, title: "乙一社区的分页议题一", category: "体育" });
    const inStreet = await listIssues(db, { sort: "newest", placePath: tree.streetA.path, category: "体育" });
    expect(inStreet.items.map((i) => i.id)).toContain(c2.id);
    expect(inStreet.items.map((i) => i.id)).not.toContain(inB.id);
    // A community's own list by place id (the per-place index) is the same list as by its path.
    const byPath = await listIssues(db, { sort: "supported", placePath: tree.communityA2.path });
    const byId = await listIssues(db, { sort: "supported", placePath: tree.communityA2.path, communityId: tree.communityA2.id });
    expect(byId.items.map((i) => i.id)).toEqual(byPath.items.map((i) => i.id));
    expect(byId.items.map((i) => i.id)).toContain(c2.id);
    expect(byId.items.map((i) => i.id)).not.toContain(inB.id);
    const declined = await listIssues(db, { sort: "newest", status: "declined", placePath: tree.city.path });
    expect(declined.items.every((i) => i.status === "declined")).toBe(true);

    for (let k = 0; k < 7; k++) await raise(db, { placeId: tree.communityB1.id, title: `乙一社区分页测试第${k}号` });
    for (const sort of ["newest", "supported", "discussed"] as const) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listIssues(db, { sort, placePath: tree.communityB1.path, limit: 3, cursor });
        seen.push(...page.items.map((i) => i.id));
        cursor = page.next ?? undefined;
      } while (cursor);
      const all = await listIssues(db, { sort, placePath: tree.communityB1.path, limit: 100 });
      expect(seen).toEqual(all.items.map((i) => i.id));
      expect(new Set(seen).size).toBe(8);
    }
  });

  it("sorts by most supported", async () => {
    const db = getDb();
    const quiet = await raise(db, { placeId: tree.communityA2.id, title: "排序测试：少人附议" });
    const popular = await raise(db, { placeId: tree.communityA2.id, title: "排序测试：多人附议" });
    for (let k = 0; k < 3; k++) {
      const r = await resident(db, tree.communityA2);
      await supportIssue(db, ctx(r.id), r.id, popular.id, clock);
    }
    const list = await listIssues(db, { sort: "supported", q: "排序测试", placePath: tree.city.path });
    expect(list.items.map((i) => i.id)).toEqual([popular.id, quiet.id]);
  });

  it("shows an anonymous author to the public as 匿名居民 but to staff by name", async () => {
    const db = getDb();
    const issue = await raise(db, { anonymous: true, visibleName: "不会显示" });
    expect((await getIssue(db, issue.id, { userId: null, isStaff: false }))!).toMatchObject({ authorName: "匿名居民", staffAuthor: null });
    expect((await getIssue(db, issue.id, { userId: staff.id, isStaff: true }))!.staffAuthor).toBe("张阿姨");
  });
});

describe("ready for a call", () => {
  it("lists issues decided 转入创投 under a place until they move into a call", async () => {
    const db = getDb();
    const issue = await raise(db);
    await transitionIssue(db, ctx(staff.id), issue.id, "accepted", {}, clock);
    const rt = await db
      .insertInto("roundtables")
      .values({ place_id: tree.communityA1.id, title: "测试圆桌会", starts_at: clock.now(), venue: "会议室", capacity: 10, created_by: staff.id, status: "published" })
      .returning("id")
      .executeTakeFirstOrThrow();
    await transitionIssue(db, ctx(staff.id), issue.id, "scheduled", { roundtableId: rt.id }, clock);
    await db
      .insertInto("roundtable_decisions")
      .values({ roundtable_id: rt.id, issue_id: issue.id, kind: "to_call", action_type: "mei", budget_estimate_fen: 1_200_000, decided_by: staff.id })
      .execute();
    await transitionIssue(db, ctx(staff.id), issue.id, "decided", { actionType: "mei" }, clock);
    const ready = await listReadyForCall(db, tree.districtA.path);
    expect(ready.find((r) => r.issueId === issue.id)).toMatchObject({ actionType: "mei", budgetEstimateFen: 1_200_000, roundtableTitle: "测试圆桌会" });
    expect((await listReadyForCall(db, tree.districtB.path)).find((r) => r.issueId === issue.id)).toBeUndefined();
    await transitionIssue(db, ctx(staff.id), issue.id, "in_call", { note: "列入招贤榜" }, clock);
    expect((await listReadyForCall(db, tree.districtA.path)).find((r) => r.issueId === issue.id)).toBeUndefined();
  });
});

describe("schema guards", () => {
  it("the timeline is append-only", async () => {
    const db = getDb();
    await raise(db);
    await expect(sql`update issue_events set note = 'x'`.execute(db)).rejects.toThrow(/只追加/);
  });
});
