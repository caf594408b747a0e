import { redirect, type AppLoadContext } from "@remix-run/node";
import { mfaRequired } from "../domain/accounts/mfa.server";
import type { AuditContext } from "./audit.server";
import { systemClock } from "./clock";
import { isDatabaseUnavailable } from "./db.server";
import { deniedMessage, grantingRole, placeGrants, type Action, type Principal, type Resource, type ScopedRole } from "./permissions";
import { isStaff, sessionEnd, TOUCH_INTERVAL_MS } from "./session-policy";
import { blankSessionCookie, invalidateSession, touchSession, validateRequestSession, type SessionUser } from "./session.server";

/** The person behind a request (or an anonymous visitor) with everything the domain needs about them. */
export interface Actor extends Principal {
  user: SessionUser | null;
  sessionId: string | null;
  roles: ScopedRole[];
  requestId: string;
  ip: string | null;
  /** Set-Cookie to send back when the session was extended. */
  refreshCookie?: string;
  /** A staff member who has not enrolled an authenticator yet: may do nothing but enrol. */
  mfaPending?: boolean;
  /** The account's stored 长辈模式 preference (preferences.server.ts elderMode). */
  elderMode?: boolean;
}

const cache = new WeakMap<Request, Promise<Actor>>();

/** Resolves the actor once per request, however many loaders ask. */
export function getActor(request: Request, context: AppLoadContext): Promise<Actor> {
  let p = cache.get(request);
  if (!p) {
    p = resolveActor(request, context).catch((e: unknown) => {
      // Every page resolves the actor first, so a database outage becomes a clean 503 here.
      if (isDatabaseUnavailable(e)) throw new Response("数据库暂时无法连接，请稍后再试", { status: 503 });
      throw e;
    });
    cache.set(request, p);
  }
  return p;
}

async function resolveActor(request: Request, context: AppLoadContext): Promise<Actor> {
  const base = { requestId: context.requestId ?? crypto.randomUUID(), ip: context.ip ?? null };
  const session = await validateRequestSession(request);
  if (!session) return { ...base, user: null, sessionId: null, roles: [] };
  const roles = session.roles;
  const now = systemClock.now();
  if (sessionEnd(session, now, isStaff(roles))) {
    await invalidateSession(session.sessionId);
    return { ...base, user: null, sessionId: null, roles: [], refreshCookie: blankSessionCookie() };
  }
  if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) await touchSession(session.sessionId, now);
  if (context.requestLog) context.requestLog.userId = session.user.id;
  // Staff sign in with a second factor; one who got a staff role mid-session must enrol first.
  const mfaPending = mfaRequired(roles) && !session.mfaEnabled;
  return { ...base, user: session.user, sessionId: session.sessionId, roles, refreshCookie: session.refreshCookie, mfaPending, elderMode: session.elderMode };
}

/**
 * The signed-in actor, or a redirect to the log-in page. A staff member without an authenticator
 * is sent to enrolment (/me/mfa) unless the page is one of the few allowed before it.
 */
export async function requireUser(
  request: Request,
  context: AppLoadContext,
  opts: { allowMfaPending?: boolean } = {},
): Promise<Actor & { user: SessionUser }> {
  const actor = await getActor(request, context);
  if (!actor.user) {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (actor.mfaPending && !opts.allowMfaPending) throw redirect("/me/mfa?required=1");
  return actor as Actor & { user: SessionUser };
}

/**
 * The one server-side gate: throws 403 unless the actor holds a role that allows the action on
 * the resource. Returns the audit context naming the role that allowed it.
 */
export async function requirePermission(
  request: Request,
  context: AppLoadContext,
  action: Action,
  resource: Resource = {},
): Promise<{ actor: Actor & { user: SessionUser }; audit: AuditContext }> {
  const actor = await requireUser(request, context);
  const role = grantingRole(actor, action, resource);
  if (!role) forbidden(action);
  return { actor, audit: auditContext(actor, role.role) };
}

/** The 403 answer of a refused action, with what the person can do about it. */
export function forbidden(action: Action): never {
  throw new Response(deniedMessage(action), { status: 403, statusText: "Forbidden" });
}

/**
 * The gate of `requirePermission` for a command whose one statement reads its resource and checks
 * the place itself (the hottest writes: one round trip fewer). Throws 403 unless some role allows
 * the action somewhere; returns those roles with their places, for the statement to apply the
 * rule of `covers` (the resource's place path starts with the role's) and name the role that
 * allowed it. When the statement finds the resource outside them, the caller answers `forbidden`.
 */
export async function requirePlaceGrants(
  request: Request,
  context: AppLoadContext,
  action: Action,
): Promise<{ actor: Actor & { user: SessionUser }; grants: Array<{ placePath: string; role: string }> }> {
  const actor = await requireUser(request, context);
  const grants = placeGrants(actor, action);
  if (grants.length === 0) forbidden(action);
  return { actor, grants };
}

export function auditContext(actor: Actor, role?: string | null): AuditContext {
  return { userId: actor.user?.id ?? null, role: role ?? null, requestId: actor.requestId, ip: actor.ip };
}

/**
 * For pages listing everything within the actor's reach ("my verification queue"): throws 403
 * unless some role allows the place-scoped action somewhere; returns the covered place paths.
 */
export async function requirePlaceScopes(
  request: Request,
  context: AppLoadContext,
  action: Action,
): Promise<{ actor: Actor & { user: SessionUser }; placePaths: string[] }> {
  const { actor, grants } = await requirePlaceGrants(request, context, action);
  return { actor, placePaths: [...new Set(grants.map((g) => g.placePath))] };
}
