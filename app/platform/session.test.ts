import { describe, expect, it } from "vitest";
import { createUser, placeTree } from "../../tests/support/factories";
import { loadRoles } from "../domain/accounts/accounts.server";
import { closeDb, getDb } from "./db.server";
import { createSession, invalidateSession, invalidateUserSessions, SESSION_COOKIE, validateRequestSession } from "./session.server";

function requestWith(setCookie: string): Request {
  const pair = setCookie.split(";")[0];
  return new Request("http://localhost/", { headers: { Cookie: pair } });
}

describe("sessions", () => {
  it("are stored in PostgreSQL with HttpOnly, SameSite=Lax cookies", async () => {
    const user = await createUser(getDb());
    const cookie = await createSession(user.id, { ip: "127.0.0.1", userAgent: "vitest" });
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const rows = await getDb().selectFrom("user_sessions").selectAll().where("user_id", "=", user.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].ip).toBe("127.0.0.1");
  });

  it("carry the user's active roles, as loadRoles reads them, and see a revoked role at the next request", async () => {
    const db = getDb();
    const { city, communityA1 } = await placeTree(db);
    const user = await createUser(db, { roles: [{ role: "officer", place: city }, { role: "resident", place: communityA1 }] });
    const cookie = await createSession(user.id, { ip: null, userAgent: null });
    const s = await validateRequestSession(requestWith(cookie));
    expect(s?.roles).toEqual(await loadRoles(db, user.id));
    expect(s?.roles.find((r) => r.role === "officer")).toMatchObject({ placeId: city.id, placePath: city.path, placeName: city.name, organisationId: null });
    await db.updateTable("role_assignments").set({ revoked_at: new Date() }).where("user_id", "=", user.id).where("role", "=", "officer").execute();
    const after = await validateRequestSession(requestWith(cookie));
    expect(after?.roles.map((r) => r.role)).toEqual(["resident"]);
    const none = await createUser(db);
    expect((await validateRequestSession(requestWith(await createSession(none.id, { ip: null, userAgent: null }))))?.roles).toEqual([]);
  });

  it("survive a new connection pool (as after a server restart)", async () => {
    const user = await createUser(getDb());
    const cookie = await createSession(user.id, { ip: null, userAgent: null });
    await closeDb();
    const s = await validateRequestSession(requestWith(cookie));
    expect(s?.user.id).toBe(user.id);
  });

  it("end on the server at log-out: the old cookie no longer works", async () => {
    const user = await createUser(getDb());
    const cookie = await createSession(user.id, { ip: null, userAgent: null });
    const s = await validateRequestSession(requestWith(cookie));
    await invalidateSession(s!.sessionId);
    expect(await validateRequestSession(requestWith(cookie))).toBeNull();
  });

  it("can all be ended at once for a user", async () => {
    const user = await createUser(getDb());
    const a = await createSession(user.id, { ip: null, userAgent: null });
    const b = await createSession(user.id, { ip: null, userAgent: null });
    await invalidateUserSessions(user.id);
    expect(await validateRequestSession(requestWith(a))).toBeNull();
    expect(await validateRequestSession(requestWith(b))).toBeNull();
  });

  it("refuse a disabled account", async () => {
    const user = await createUser(getDb());
    const cookie = await createSession(user.id, { ip: null, userAgent: null });
    await getDb().updateTable("users").set({ disabled_at: new Date() }).where("id", "=", user.id).execute();
    expect(await validateRequestSession(requestWith(cookie))).toBeNull();
  });

  it("set Secure on the cookie in production", async () => {
    const prev = process.env.COOKIE_SECURE;
    process.env.COOKIE_SECURE = "true";
    try {
      await closeDb(); // a new pool builds a new lucia instance with the new setting
      const user = await createUser(getDb());
      expect(await createSession(user.id, { ip: null, userAgent: null })).toMatch(/Secure/);
    } finally {
      if (prev === undefined) delete process.env.COOKIE_SECURE;
      else process.env.COOKIE_SECURE = prev;
      await closeDb();
    }
  });
});
