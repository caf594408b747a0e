import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, placeTree } from "../../../tests/support/factories";
import { phonePhoto } from "../../../tests/support/images";
import { photoAlt } from "../../components/issues";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { getIssue, listIssues, raiseIssue, storeDraftPhotos } from "./issues.server";
import { setPhotoAltText } from "./photo-alt.server";
import { photoAltSchema } from "./schema";

const clock = fixedClock("2026-12-01T02:00:00Z");
const ctx = (userId: string) => ({ userId, role: null });

let author: { id: string };
let issueId: string;
let photoIds: string[];

beforeAll(async () => {
  process.env.UPLOAD_DIR = await mkdtemp(path.join(os.tmpdir(), "linli-photo-alt-"));
  const db = getDb();
  const tree = await placeTree(db);
  author = await createUser(db, { name: "张阿姨" });
  const png = await phonePhoto("png", 120, 80);
  const stored = await storeDraftPhotos(db, author.id, [{ name: "台阶.png", bytes: png }, { name: "路灯.png", bytes: png }], 0, clock);
  photoIds = stored.ids;
  const issue = await db.transaction().execute((trx) =>
    raiseIssue(trx, ctx(author.id), author.id, { title: "单元门口台阶没有照明", description: "5 栋单元门口的台阶晚上看不清，老人容易摔倒。", category: "社区环境", placeId: tree.communityA1.id, anonymous: false, photoIds }, clock),
  );
  issueId = issue.id;
});

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

describe("photo text alternatives", () => {
  it("reads the issue title until the uploader writes one", async () => {
    const issue = (await getIssue(getDb(), issueId, { userId: null, isStaff: false }))!;
    expect(issue.photos.map((p, i) => photoAlt(issue.title, i, issue.photos.length, p.altText))).toEqual(["单元门口台阶没有照明（照片 1）", "单元门口台阶没有照明（照片 2）"]);
  });

  it("the uploader's text replaces it on the issue page and on the list's card, with an audit row; an empty text returns to the default", async () => {
    const db = getDb();
    await db.transaction().execute((trx) => setPhotoAltText(trx, ctx(author.id), author.id, { issueId, photoId: photoIds[0], altText: "  5 栋门口三级台阶，旁边的路灯不亮  " }));
    const issue = (await getIssue(db, issueId, { userId: null, isStaff: false }))!;
    expect(issue.photos.map((p) => p.altText)).toEqual(["5 栋门口三级台阶，旁边的路灯不亮", null]);
    const card = (await listIssues(db, { sort: "newest" })).items.find((i) => i.id === issueId)!;
    expect(photoAlt(card.title, 0, 1, card.photo!.altText)).toBe("5 栋门口三级台阶，旁边的路灯不亮");
    const log = await db.selectFrom("audit_log").select(["action", "entity_id", "actor_user_id"]).where("action", "=", "issue.photo.alt").execute();
    expect(log).toEqual([{ action: "issue.photo.alt", entity_id: issueId, actor_user_id: author.id }]);

    await db.transaction().execute((trx) => setPhotoAltText(trx, ctx(author.id), author.id, { issueId, photoId: photoIds[0], altText: "   " }));
    expect((await getIssue(db, issueId, { userId: null, isStaff: false }))!.photos[0].altText).toBeNull();
  });

  it("refuses anyone but the uploader, a photo that does not exist, and a photo of another issue", async () => {
    const db = getDb();
    const neighbour = await createUser(db, { name: "李大爷" });
    expect((await refusal(setPhotoAltText(db, ctx(neighbour.id), neighbour.id, { issueId, photoId: photoIds[1], altText: "不是我的照片" }))).code).toBe("forbidden");
    expect((await refusal(setPhotoAltText(db, ctx(author.id), author.id, { issueId, photoId: "00000000-0000-4000-8000-000000000000", altText: "不存在" }))).code).toBe("not_found");
    // A photo is changed only through its own issue's page.
    expect((await refusal(setPhotoAltText(db, ctx(author.id), author.id, { issueId: "00000000-0000-4000-8000-000000000000", photoId: photoIds[1], altText: "别处" }))).code).toBe("not_found");
    expect((await getIssue(db, issueId, { userId: null, isStaff: false }))!.photos[1].altText).toBeNull();
  });

  it("the form limits a description to 120 characters, in Chinese", () => {
    const r = photoAltSchema.safeParse({ photoId: photoIds[0], altText: "字".repeat(121) });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe("照片说明最多 120 个字");
  });
});
