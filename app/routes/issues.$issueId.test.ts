import { beforeAll, describe, expect, it } from "vitest";
import { createUser, placeTree, routeContext, sessionCookie } from "../../tests/support/factories";
import { raiseIssue } from "../domain/issues/issues.server";
import { fixedClock } from "../platform/clock";
import { getDb } from "../platform/db.server";
import { action } from "./issues.$issueId";

// The route is where 附议's permission is checked (the command trusts it): this drives the action
// as Remix does, with a session cookie, for people inside and outside the issue's community.

const context = () => routeContext("issue-route-test");

const cookieFor = (userId: string) => sessionCookie(getDb(), userId);

/** The action's answer, or the Response it threw (403, redirects). */
async function post(issueId: string, cookie: string, fields: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const request = new Request(`http://localhost/issues/${issueId}`, { method: "POST", headers: { cookie }, body: new URLSearchParams(fields) });
  try {
    const r = (await action({ request, context: context(), params: { issueId } })) as { init?: { status?: number } | null; data: unknown };
    return { status: r.init?.status ?? 200, body: r.data };
  } catch (e) {
    if (e instanceof Response) return { status: e.status, body: await e.text() };
    throw e;
  }
}

let tree: Awaited<ReturnType<typeof placeTree>>;
let issueId: string;

beforeAll(async () => {
  const db = getDb();
  tree = await placeTree(db);
  const author = await createUser(db, { roles: [{ role: "resident", place: tree.communityA1 }] });
  const clock = fixedClock("2026-12-01T01:00:00Z");
  ({ id: issueId } = await db.transaction().execute((trx) =>
    raiseIssue(trx, { userId: author.id }, author.id, { title: "小区门口积水严重", description: "一下雨门口就积水，老人出门不方便。", category: "社区环境", placeId: tree.communityA1.id, anonymous: false, photoIds: [] }, clock),
  ));
});

describe("附议 through the issue page's action", () => {
  it("refuses, with 403 and how to become a resident, a resident of another community and a person with no resident role", async () => {
    const db = getDb();
    const elsewhere = await createUser(db, { roles: [{ role: "resident", place: tree.communityB1 }] });
    const unverified = await createUser(db);
    for (const person of [elsewhere, unverified]) {
      const r = await post(issueId, await cookieFor(person.id), { intent: "support" });
      expect(r.status).toBe(403);
      expect(r.body).toBe("只有本社区的认证居民才能附议。请先在“居民认证”中提交申请。");
    }
    const supports = await db.selectFrom("issue_supports").select("user_id").where("issue_id", "=", issueId).execute();
    expect(supports).toEqual([]);
    // Refused before anything is written: not counted against the write limit, not audited.
    expect(await db.selectFrom("rate_limits").select("key").where("key", "=", `write:support:user:${elsewhere.id}`).execute()).toEqual([]);
    expect(await db.selectFrom("audit_log").select("id").where("actor_user_id", "=", elsewhere.id).where("action", "=", "issue.support").execute()).toEqual([]);
  });

  it("accepts a resident of several communities where one of them holds the issue", async () => {
    const db = getDb();
    const both = await createUser(db, { roles: [{ role: "resident", place: tree.communityB1 }, { role: "resident", place: tree.communityA1 }] });
    const { id } = await db.transaction().execute((trx) =>
      raiseIssue(trx, { userId: both.id }, both.id, { title: "健身器材需要维修", description: "单杠松动，有安全隐患。", category: "社区环境", placeId: tree.communityA1.id, anonymous: false, photoIds: [] }, fixedClock("2026-12-01T02:00:00Z")),
    );
    expect(await post(id, await cookieFor(both.id), { intent: "support" })).toMatchObject({ status: 200, body: { ok: true, message: "已附议" } });
    const audited = await db.selectFrom("audit_log").select(["actor_role", "place_id"]).where("actor_user_id", "=", both.id).where("action", "=", "issue.support").execute();
    expect(audited).toEqual([{ actor_role: "resident", place_id: tree.communityA1.id }]);
  });

  it("refuses, with 409 and the reason, a closed or hidden issue, and counts nothing", async () => {
    const db = getDb();
    const author = await createUser(db, { roles: [{ role: "resident", place: tree.communityA1 }] });
    const neighbour = await createUser(db, { roles: [{ role: "resident", place: tree.communityA1 }] });
    const cookie = await cookieFor(neighbour.id);
    for (const change of [{ status: "closed" as const }, { hidden_at: new Date() }]) {
      const { id } = await db.transaction().execute((trx) =>
        raiseIssue(trx, { userId: author.id }, author.id, { title: "路灯坏了很久没人修", description: "晚上出门看不见路。", category: "社区环境", placeId: tree.communityA1.id, anonymous: false, photoIds: [] }, fixedClock("2026-12-01T02:00:00Z")),
      );
      await db.updateTable("issues").set(change).where("id", "=", id).execute();
      const r = await post(id, cookie, { intent: "support" });
      expect(r).toMatchObject({ status: 409, body: { ok: false, formError: "该议题已结束或已被隐藏，不能附议" } });
      expect(await db.selectFrom("issue_supports").select("user_id").where("issue_id", "=", id).execute()).toEqual([]);
    }
    expect(await db.selectFrom("rate_limits").select("key").where("key", "=", `write:support:user:${neighbour.id}`).execute()).toEqual([]);
  });

  it("accepts a verified resident of the issue's community, once, with one audit row", async () => {
    const db = getDb();
    const neighbour = await createUser(db, { roles: [{ role: "resident", place: tree.communityA1 }] });
    const cookie = await cookieFor(neighbour.id);
    expect(await post(issueId, cookie, { intent: "support" })).toMatchObject({ status: 200, body: { ok: true, message: "已附议" } });
    expect(await post(issueId, cookie, { intent: "support" })).toMatchObject({ status: 200 });
    const issue = await db.selectFrom("issues").select("support_count").where("id", "=", issueId).executeTakeFirstOrThrow();
    expect(issue.support_count).toBe(1);
    const audited = await db.selectFrom("audit_log").select(["actor_role", "entity_id"]).where("actor_user_id", "=", neighbour.id).where("action", "=", "issue.support").execute();
    expect(audited).toEqual([{ actor_role: "resident", entity_id: issueId }]);
  });

  it("answers 404 for an issue that does not exist", async () => {
    const someone = await createUser(getDb(), { roles: [{ role: "resident", place: tree.communityA1 }] });
    const r = await post("00000000-0000-4000-8000-000000000000", await cookieFor(someone.id), { intent: "support" });
    expect(r.status).toBe(404);
  });
});

describe("评论 through the issue page's action", () => {
  it("adds a signed-in person's comment with its audit row, refuses a hidden issue without counting it, and answers 404 for none", async () => {
    const db = getDb();
    const author = await createUser(db, { roles: [{ role: "resident", place: tree.communityA1 }] });
    const visitor = await createUser(db);
    const cookie = await cookieFor(visitor.id);
    const raise = (title: string) =>
      db.transaction().execute((trx) =>
        raiseIssue(trx, { userId: author.id }, author.id, { title, description: "请社区尽快处理。", category: "社区环境", placeId: tree.communityA1.id, anonymous: false, photoIds: [] }, fixedClock("2026-12-01T03:00:00Z")),
      );
    const open = await raise("楼道堆放杂物影响通行");
    expect(await post(open.id, cookie, { intent: "comment", body: "我也看到了" })).toMatchObject({ status: 200, body: { ok: true, message: "已发表评论" } });
    const comments = await db.selectFrom("issue_comments").select(["id", "body"]).where("issue_id", "=", open.id).execute();
    expect(comments.map((c) => c.body)).toEqual(["我也看到了"]);
    const audited = await db.selectFrom("audit_log").select(["entity_id", "place_id", "summary"]).where("actor_user_id", "=", visitor.id).where("action", "=", "comment.add").execute();
    expect(audited).toEqual([{ entity_id: comments[0]!.id, place_id: tree.communityA1.id, summary: { issueId: open.id } }]);
    const { count } = await db.selectFrom("issues").select("comment_count as count").where("id", "=", open.id).executeTakeFirstOrThrow();
    expect(count).toBe(1);

    const hidden = await raise("电梯经常停运需要检修");
    await db.updateTable("issues").set({ hidden_at: new Date() }).where("id", "=", hidden.id).execute();
    expect(await post(hidden.id, cookie, { intent: "comment", body: "同意" })).toMatchObject({ status: 409, body: { ok: false, formError: "该议题已被隐藏，不能评论", values: { body: "同意" } } });
    expect(await db.selectFrom("issue_comments").select("id").where("issue_id", "=", hidden.id).execute()).toEqual([]);
    const [limit] = await db.selectFrom("rate_limits").select("hits").where("key", "=", `write:comment:user:${visitor.id}`).execute();
    expect(limit?.hits).toBe(1);

    expect((await post("00000000-0000-4000-8000-000000000000", cookie, { intent: "comment", body: "有人吗" })).status).toBe(404);
    expect((await post(open.id, cookie, { intent: "comment", body: "" })).status).toBe(400);
  });
});
