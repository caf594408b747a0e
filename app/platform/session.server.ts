import { NodePostgresAdapter } from "@lucia-auth/adapter-postgresql";
import { Lucia, TimeSpan, type DatabaseSession, type DatabaseUser, type Session } from "lucia";
import type pg from "pg";
import { activeRolesJson, rolesFromJson } from "../domain/accounts/accounts.server";
import { fixedQuery, getDb, getPool } from "./db.server";
import type { ScopedRole } from "./permissions";

/**
 * The only module that knows about lucia (deprecated upstream in v3): sessions are created,
 * validated, invalidated and turned into cookies here and nowhere else, so replacing lucia with
 * a few hand-written functions touches this file alone. See docs/decisions/0001-stack.md.
 */

declare module "lucia" {
  interface Register {
    Lucia: Lucia<{ createdAt: Date; lastSeenAt: Date }, { display_name: string; phone: string; disabled_at: Date | null; mfa_enabled: boolean; elder_mode: boolean; roles: ScopedRole[] }>;
    DatabaseUserAttributes: { display_name: string; phone: string; disabled_at: Date | null; mfa_enabled?: boolean; elder_mode?: boolean; roles?: ScopedRole[] };
    DatabaseSessionAttributes: { ip: string | null; user_agent: string | null; created_at?: Date; last_seen_at?: Date };
  }
}

export const SESSION_COOKIE = "lsw_session";

/** How long a session lasts (SESSION_DAYS, 30 by default); lucia extends it once half has passed. */
export function sessionDays(): number {
  return Number(process.env.SESSION_DAYS ?? 30);
}

export function cookieSecure(): boolean {
  if (process.env.COOKIE_SECURE) return process.env.COOKIE_SECURE === "true";
  return process.env.NODE_ENV === "production";
}

/**
 * The session, its user, whether the user has an authenticator, their 长辈模式 preference and their
 * roles, in one statement: every signed-in request starts here (the stock adapter runs two queries,
 * selects every user column including the password hash, and the MFA check, the preference and the
 * roles were three more). Compiled once, and a named prepared statement: each connection plans it once.
 */
const sessionAndUser = fixedQuery("session_and_user", (db, sessionId: string) =>
  db
    .selectFrom("user_sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select((eb) => [
      "s.user_id",
      "s.expires_at",
      "s.created_at",
      "s.last_seen_at",
      "u.display_name",
      "u.phone",
      "u.disabled_at",
      "u.elder_mode",
      // the rule of mfaEnabled() in app/domain/accounts/mfa.server.ts: a confirmed authenticator
      eb.exists(eb.selectFrom("user_mfa as m").select("m.user_id").whereRef("m.user_id", "=", "u.id").where("m.enabled_at", "is not", null)).as("mfa_enabled"),
      activeRolesJson(db, eb.ref("u.id")).as("roles"),
    ])
    .where("s.id", "=", sessionId),
);

class OneQueryAdapter extends NodePostgresAdapter {
  constructor(pool: pg.Pool) {
    super(pool, { user: "users", session: "user_sessions" });
  }

  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const r = (await sessionAndUser(getDb(), sessionId)).rows[0];
    if (!r) return [null, null];
    return [
      { id: sessionId, userId: r.user_id, expiresAt: r.expires_at, attributes: { created_at: r.created_at, last_seen_at: r.last_seen_at, ip: null, user_agent: null } },
      {
        id: r.user_id,
        attributes: { display_name: r.display_name, phone: r.phone, disabled_at: r.disabled_at, mfa_enabled: r.mfa_enabled === true, elder_mode: r.elder_mode === true, roles: rolesFromJson(r.roles) },
      },
    ];
  }
}

let instance: { pool: pg.Pool; lucia: Lucia } | undefined;

function lucia(): Lucia {
  const pool = getPool();
  if (instance?.pool !== pool) {
    const adapter = new OneQueryAdapter(pool);
    instance = {
      pool,
      lucia: new Lucia(adapter, {
        sessionExpiresIn: new TimeSpan(sessionDays(), "d"),
        sessionCookie: {
          name: SESSION_COOKIE,
          expires: true,
          attributes: { sameSite: "lax", secure: cookieSecure(), path: "/" },
        },
        getUserAttributes: (a) => ({
          display_name: a.display_name,
          phone: a.phone,
          disabled_at: a.disabled_at,
          mfa_enabled: a.mfa_enabled === true,
          elder_mode: a.elder_mode === true,
          roles: a.roles ?? [],
        }),
        getSessionAttributes: (a) => ({ createdAt: new Date(a.created_at ?? 0), lastSeenAt: new Date(a.last_seen_at ?? 0) }),
      }),
    };
  }
  return instance.lucia;
}

export interface SessionUser {
  id: string;
  displayName: string;
  phone: string;
}

export interface ValidSession {
  sessionId: string;
  user: SessionUser;
  createdAt: Date;
  lastSeenAt: Date;
  /** The user has a confirmed authenticator (read with the session). */
  mfaEnabled: boolean;
  /** The user's stored 长辈模式 preference (read with the session; the cookie, when present, wins). */
  elderMode: boolean;
  /** The user's active roles (read with the session; the same rows as loadRoles). */
  roles: ScopedRole[];
  /** A Set-Cookie header to send when the session was extended (sliding expiry). */
  refreshCookie?: string;
}

export async function createSession(userId: string, meta: { ip: string | null; userAgent: string | null }): Promise<string> {
  const session = await lucia().createSession(userId, { ip: meta.ip, user_agent: meta.userAgent?.slice(0, 300) ?? null });
  return lucia().createSessionCookie(session.id).serialize();
}

export async function validateRequestSession(request: Request): Promise<ValidSession | null> {
  const id = lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!id) return null;
  const { session, user } = await lucia().validateSession(id);
  if (!session || !user || user.disabled_at) return null;
  return {
    sessionId: session.id,
    user: { id: user.id, displayName: user.display_name, phone: user.phone },
    createdAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    mfaEnabled: user.mfa_enabled,
    elderMode: user.elder_mode,
    roles: user.roles,
    refreshCookie: refreshed(session),
  };
}

function refreshed(session: Session): string | undefined {
  return session.fresh ? lucia().createSessionCookie(session.id).serialize() : undefined;
}

export function readSessionId(request: Request): string | null {
  return lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
}

export async function invalidateSession(sessionId: string): Promise<void> {
  await lucia().invalidateSession(sessionId);
}

export async function invalidateUserSessions(userId: string): Promise<void> {
  await lucia().invalidateUserSessions(userId);
}

/** Ends every session of a user but one (after a password change, the current one stays). */
export async function invalidateOtherSessions(userId: string, keepSessionId: string): Promise<void> {
  await getDb().deleteFrom("user_sessions").where("user_id", "=", userId).where("id", "!=", keepSessionId).execute();
}

export async function touchSession(sessionId: string, at: Date): Promise<void> {
  await getDb().updateTable("user_sessions").set({ last_seen_at: at }).where("id", "=", sessionId).execute();
}

export function blankSessionCookie(): string {
  return lucia().createBlankSessionCookie().serialize();
}

/**
 * The half-finished sign-in between the password and the code (app/domain/accounts/mfa.server.ts):
 * a random token in its own short-lived cookie, only sent to /login paths. No session exists yet.
 */
export const MFA_CHALLENGE_COOKIE = "lsw_mfa";

export function mfaChallengeCookie(token: string, maxAgeSeconds: number): string {
  return `${MFA_CHALLENGE_COOKIE}=${token}; Path=/login; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${cookieSecure() ? "; Secure" : ""}`;
}

export function clearMfaChallengeCookie(): string {
  return `${MFA_CHALLENGE_COOKIE}=; Path=/login; HttpOnly; SameSite=Lax; Max-Age=0${cookieSecure() ? "; Secure" : ""}`;
}

export function readMfaChallengeToken(request: Request): string | null {
  const header = request.headers.get("Cookie") ?? "";
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === MFA_CHALLENGE_COOKIE) return rest.join("=") || null;
  }
  return null;
}
