import { describe, expect, it } from "vitest";
import { createUser, placeTree } from "../../tests/support/factories";
import { getActor } from "./auth.server";
import { getDb } from "./db.server";
import { createSession } from "./session.server";

async function signedInRequest(userId: string, minutesIdle: number, hoursOld = 0) {
  const cookie = await createSession(userId, { ip: null, userAgent: null });
  const id = cookie.split(";")[0].split("=")[1];
  const now = Date.now();
  await getDb()
    .updateTable("user_sessions")
    .set({ last_seen_at: new Date(now - minutesIdle * 60_000), created_at: new Date(now - hoursOld * 3_600_000) })
    .where("id", "=", id)
    .execute();
  return { request: new Request("http://localhost/", { headers: { Cookie: cookie.split(";")[0] } }), id };
}

const context = { requestId: "t", ip: null };

describe("session timeouts at request time", () => {
  it("end an officer's session after 31 idle minutes and delete it on the server", async () => {
    const t = await placeTree(getDb());
    const officer = await createUser(getDb(), { roles: [{ role: "officer", place: t.districtA }] });
    const { request, id } = await signedInRequest(officer.id, 31);
    const actor = await getActor(request, context);
    expect(actor.user).toBeNull();
    expect(actor.refreshCookie).toMatch(/lsw_session=;/);
    expect(await getDb().selectFrom("user_sessions").select("id").where("id", "=", id).executeTakeFirst()).toBeUndefined();
  });

  it("keep a resident's session after 31 idle minutes, and record the activity", async () => {
    const t = await placeTree(getDb());
    const resident = await createUser(getDb(), { roles: [{ role: "resident", place: t.communityA1 }] });
    const { request, id } = await signedInRequest(resident.id, 31);
    const actor = await getActor(request, context);
    expect(actor.user?.id).toBe(resident.id);
    const row = await getDb().selectFrom("user_sessions").select("last_seen_at").where("id", "=", id).executeTakeFirstOrThrow();
    expect(Date.now() - row.last_seen_at.getTime()).toBeLessThan(10_000);
  });

  it("end a staff session older than 12 hours even if it was just used", async () => {
    const admin = await createUser(getDb(), { roles: [{ role: "admin" }] });
    const { request } = await signedInRequest(admin.id, 0, 13);
    expect((await getActor(request, context)).user).toBeNull();
  });
});

describe("second factor", () => {
  it("marks a staff member without a confirmed authenticator as pending, until one is confirmed; residents never", async () => {
    const t = await placeTree(getDb());
    const officer = await createUser(getDb(), { roles: [{ role: "officer", place: t.districtA }] });
    const resident = await createUser(getDb(), { roles: [{ role: "resident", place: t.communityA1 }] });
    expect((await getActor((await signedInRequest(officer.id, 0)).request, context)).mfaPending).toBe(true);
    expect((await getActor((await signedInRequest(resident.id, 0)).request, context)).mfaPending).toBe(false);
    await getDb().insertInto("user_mfa").values({ user_id: officer.id, secret_enc: "x", enabled_at: null }).execute();
    expect((await getActor((await signedInRequest(officer.id, 0)).request, context)).mfaPending).toBe(true);
    await getDb().updateTable("user_mfa").set({ enabled_at: new Date() }).where("user_id", "=", officer.id).execute();
    expect((await getActor((await signedInRequest(officer.id, 0)).request, context)).mfaPending).toBe(false);
  });
});

describe("database outage", () => {
  it("turns into a 503 answer, not a crash, and works again once the database is back", async () => {
    const user = await createUser(getDb());
    const cookie = (await createSession(user.id, { ip: null, userAgent: null })).split(";")[0];
    const good = process.env.DATABASE_URL!;
    const down = new URL(good);
    down.port = "1"; // nothing listens there
    process.env.DATABASE_URL = down.toString();
    try {
      const err = await getActor(new Request("http://localhost/", { headers: { Cookie: cookie } }), context).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Response);
      expect((err as Response).status).toBe(503);
    } finally {
      process.env.DATABASE_URL = good;
    }
    const actor = await getActor(new Request("http://localhost/", { headers: { Cookie: cookie } }), context);
    expect(actor.user?.id).toBe(user.id);
  });
});

describe("what the session lookup brings along (the page shell needs no more queries)", () => {
  it("the roles with their place or organisation names, and the stored 长辈模式 preference", async () => {
    const t = await placeTree(getDb());
    const person = await createUser(getDb(), { roles: [{ role: "resident", place: t.communityA1 }, { role: "liaison", place: t.districtA }] });
    const first = await getActor((await signedInRequest(person.id, 0)).request, context);
    expect(first.roles.map((r) => [r.role, r.placeName, r.placePath])).toEqual([
      ["resident", "甲一社区", t.communityA1.path],
      ["liaison", "甲区", t.districtA.path],
    ]);
    expect(first.elderMode).toBe(false);
    await getDb().updateTable("users").set({ elder_mode: true }).where("id", "=", person.id).execute();
    expect((await getActor((await signedInRequest(person.id, 0)).request, context)).elderMode).toBe(true);
  });
});
