import { describe, expect, it } from "vitest";
import { createUser } from "../../tests/support/factories";
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
