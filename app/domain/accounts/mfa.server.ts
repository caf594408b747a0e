import { createHash, randomBytes } from "node:crypto";
import type { RoleCode } from "../../../db/schema";
import { audit, type AuditContext } from "../../platform/audit.server";
import type { Clock } from "../../platform/clock";
import { decryptField, encryptField } from "../../platform/crypto.server";
import type { Executor } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { hit, peek, reset } from "../../platform/rate-limit.server";
import QRCode from "qrcode";
import { base32Encode, formatSecret, generateSecret, otpauthUri, verifyTotp } from "../../platform/totp";
import { LOGIN_LIMITS } from "./accounts.server";

/**
 * The second sign-in step (TOTP, app/platform/totp.ts). Staff — everyone who can change money,
 * roles, reviews or see care targets or the audit log — must enrol; residents and organisation
 * members may opt in. The secret is stored as an AES-256-GCM envelope and shown only while
 * enrolment is pending; recovery codes are shown once and stored as SHA-256. Wrong codes count
 * against the same per-account and per-address log-in throttle as wrong passwords.
 */

export const MFA_REQUIRED_ROLES: readonly RoleCode[] = ["officer", "liaison", "reviewer", "admin", "privacy_officer", "community_staff", "auditor"];

export function mfaRequired(roles: readonly { role: RoleCode }[]): boolean {
  return roles.some((r) => MFA_REQUIRED_ROLES.includes(r.role));
}

export const RECOVERY_CODE_COUNT = 10;
/** How long a sign-in may wait between the password and the code. */
export const CHALLENGE_MINUTES = 10;
/** How long a re-authentication allows changing the password or the authenticator. */
export const REAUTH_MINUTES = 5;

export const WRONG_CODE_MESSAGE = "验证码不正确或已使用过，请输入验证器上最新的 6 位数字";

export interface MfaState {
  enabled: boolean;
  pending: boolean;
  recoveryCodesLeft: number;
}

export async function mfaState(db: Executor, userId: string): Promise<MfaState> {
  const row = await db.selectFrom("user_mfa").select("enabled_at").where("user_id", "=", userId).executeTakeFirst();
  const left = row?.enabled_at
    ? Number(
        (
          await db
            .selectFrom("mfa_recovery_codes")
            .select((eb) => eb.fn.countAll<string>().as("n"))
            .where("user_id", "=", userId)
            .where("used_at", "is", null)
            .executeTakeFirstOrThrow()
        ).n,
      )
    : 0;
  return { enabled: !!row?.enabled_at, pending: !!row && !row.enabled_at, recoveryCodesLeft: left };
}

/** Whether the user has an enabled authenticator (one query; used on every request of a staff member). */
export async function mfaEnabled(db: Executor, userId: string): Promise<boolean> {
  const row = await db.selectFrom("user_mfa").select("enabled_at").where("user_id", "=", userId).executeTakeFirst();
  return !!row?.enabled_at;
}

/**
 * The secret of a pending enrolment, created on first call. Once enrolment is confirmed the
 * secret is never returned again.
 */
export async function pendingSecret(db: Executor, userId: string): Promise<string> {
  await db
    .insertInto("user_mfa")
    .values({ user_id: userId, secret_enc: encryptField(generateSecret()) })
    .onConflict((oc) => oc.column("user_id").doNothing())
    .execute();
  const row = await db.selectFrom("user_mfa").select(["secret_enc", "enabled_at"]).where("user_id", "=", userId).executeTakeFirstOrThrow();
  if (row.enabled_at) throw new DomainError("conflict", "已经启用了两步验证");
  return decryptField(row.secret_enc);
}

async function throttle(db: Executor, phone: string, ctx: AuditContext, now: Date): Promise<void> {
  const acc = await peek(db, `login:phone:${phone}`, LOGIN_LIMITS.perAccount, now);
  const ip = await peek(db, `login:ip:${ctx.ip ?? "unknown"}`, LOGIN_LIMITS.perIp, now);
  if (acc.hits >= LOGIN_LIMITS.perAccount.limit || ip.hits >= LOGIN_LIMITS.perIp.limit) {
    const wait = Math.max(acc.retryAfterSeconds, ip.hits >= LOGIN_LIMITS.perIp.limit ? ip.retryAfterSeconds : 0);
    await audit(db, ctx, { action: "user.mfa_throttled", entityType: "user", entityId: ctx.userId });
    throw new DomainError("rate_limited", `验证失败次数过多，请 ${Math.max(1, Math.ceil(wait / 60))} 分钟后再试`);
  }
}

async function failed(db: Executor, phone: string, ctx: AuditContext, now: Date, method: string, field: string): Promise<never> {
  await hit(db, `login:phone:${phone}`, LOGIN_LIMITS.perAccount, now);
  await hit(db, `login:ip:${ctx.ip ?? "unknown"}`, LOGIN_LIMITS.perIp, now);
  await audit(db, ctx, { action: "user.mfa_failed", entityType: "user", entityId: ctx.userId, summary: { method } });
  const message = method === "recovery" ? "恢复码不正确或已经用过" : WRONG_CODE_MESSAGE;
  throw new DomainError("unauthenticated", message, { [field]: message });
}

/**
 * Accepts a code from the authenticator once: the matched step must be later than the last one
 * this user used (a conditional update, so two requests with the same code cannot both pass).
 */
async function acceptCode(db: Executor, userId: string, code: string, now: Date, requireEnabled: boolean): Promise<boolean> {
  const row = await db.selectFrom("user_mfa").select(["secret_enc", "enabled_at", "last_used_step"]).where("user_id", "=", userId).executeTakeFirst();
  if (!row || (requireEnabled && !row.enabled_at)) return false;
  const step = verifyTotp(decryptField(row.secret_enc), code, now, row.last_used_step == null ? null : Number(row.last_used_step));
  if (step == null) return false;
  const claimed = await db
    .updateTable("user_mfa")
    .set({ last_used_step: step, ...(requireEnabled ? {} : { enabled_at: now }) })
    .where("user_id", "=", userId)
    .where((eb) => eb.or([eb("last_used_step", "is", null), eb("last_used_step", "<", String(step))]))
    .returning("user_id")
    .executeTakeFirst();
  return !!claimed;
}

function newRecoveryCode(): string {
  const raw = base32Encode(randomBytes(7)).slice(0, 10);
  return `${raw.slice(0, 5)}-${raw.slice(5)}`;
}

export function hashRecoveryCode(userId: string, code: string): string {
  const normalised = code.toUpperCase().replace(/[\s-]/g, "");
  return createHash("sha256").update(`lsw-recovery:${userId}:${normalised}`).digest("hex");
}

async function issueRecoveryCodes(db: Executor, userId: string): Promise<string[]> {
  await db.deleteFrom("mfa_recovery_codes").where("user_id", "=", userId).execute();
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await db
    .insertInto("mfa_recovery_codes")
    .values(codes.map((c) => ({ user_id: userId, code_hash: hashRecoveryCode(userId, c) })))
    .execute();
  return codes;
}

/** Confirms a pending enrolment with a code from the app; returns the recovery codes (shown once). */
export async function confirmEnrolment(
  db: Executor,
  ctx: AuditContext,
  user: { id: string; phone: string },
  code: string,
  clock: Clock,
): Promise<{ recoveryCodes: string[] }> {
  const now = clock.now();
  await throttle(db, user.phone, ctx, now);
  const row = await db.selectFrom("user_mfa").select("enabled_at").where("user_id", "=", user.id).executeTakeFirst();
  if (!row) throw new DomainError("invalid", "请先扫描二维码，再输入验证码");
  if (row.enabled_at) throw new DomainError("conflict", "已经启用了两步验证");
  if (!(await acceptCode(db, user.id, code, now, false))) await failed(db, user.phone, ctx, now, "enrol", "code");
  await reset(db, `login:phone:${user.phone}`);
  const recoveryCodes = await issueRecoveryCodes(db, user.id);
  await audit(db, ctx, { action: "user.mfa_enrol", entityType: "user", entityId: user.id, summary: { recoveryCodes: RECOVERY_CODE_COUNT } });
  return { recoveryCodes };
}

/** The second sign-in step: a code from the app, or one unused recovery code. */
export async function verifySecondFactor(
  db: Executor,
  ctx: AuditContext,
  user: { id: string; phone: string },
  input: { code: string } | { recoveryCode: string },
  clock: Clock,
): Promise<{ method: "totp" | "recovery" }> {
  const now = clock.now();
  await throttle(db, user.phone, ctx, now);
  if ("code" in input) {
    if (!(await acceptCode(db, user.id, input.code, now, true))) await failed(db, user.phone, ctx, now, "totp", "code");
  } else {
    const used = await db
      .updateTable("mfa_recovery_codes")
      .set({ used_at: now })
      .where("user_id", "=", user.id)
      .where("code_hash", "=", hashRecoveryCode(user.id, input.recoveryCode))
      .where("used_at", "is", null)
      .returning("id")
      .executeTakeFirst();
    if (!used || !(await mfaEnabled(db, user.id))) await failed(db, user.phone, ctx, now, "recovery", "recoveryCode");
  }
  await reset(db, `login:phone:${user.phone}`);
  const method = "code" in input ? "totp" : "recovery";
  await audit(db, ctx, { action: "user.mfa_passed", entityType: "user", entityId: user.id, summary: { method } });
  return { method };
}

export async function regenerateRecoveryCodes(db: Executor, ctx: AuditContext, userId: string): Promise<string[]> {
  if (!(await mfaEnabled(db, userId))) throw new DomainError("invalid", "尚未启用两步验证");
  const codes = await issueRecoveryCodes(db, userId);
  await audit(db, ctx, { action: "user.mfa_recovery_regenerate", entityType: "user", entityId: userId });
  return codes;
}

/** Turns the second step off; staff cannot (their roles require it). */
export async function disableMfa(db: Executor, ctx: AuditContext, userId: string, roles: readonly { role: RoleCode }[]): Promise<void> {
  if (mfaRequired(roles)) throw new DomainError("forbidden", "工作人员必须使用两步验证，不能停用");
  const row = await db.deleteFrom("user_mfa").where("user_id", "=", userId).returning("user_id").executeTakeFirst();
  if (!row) throw new DomainError("not_found", "尚未启用两步验证");
  await db.deleteFrom("mfa_recovery_codes").where("user_id", "=", userId).execute();
  await audit(db, ctx, { action: "user.mfa_disable", entityType: "user", entityId: userId });
}

// ——— the sign-in between password and code ———

function challengeId(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createChallenge(db: Executor, userId: string, redirectTo: string, clock: Clock): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db
    .insertInto("login_challenges")
    .values({ id: challengeId(token), user_id: userId, redirect_to: redirectTo, expires_at: new Date(clock.now().getTime() + CHALLENGE_MINUTES * 60_000) })
    .execute();
  return token;
}

export interface Challenge {
  userId: string;
  phone: string;
  displayName: string;
  redirectTo: string;
}

export async function readChallenge(db: Executor, token: string | null, clock: Clock): Promise<Challenge | null> {
  if (!token || token.length > 100) return null;
  const row = await db
    .selectFrom("login_challenges as c")
    .innerJoin("users as u", "u.id", "c.user_id")
    .select(["c.user_id", "u.phone", "u.display_name", "c.redirect_to", "u.disabled_at"])
    .where("c.id", "=", challengeId(token))
    .where("c.expires_at", ">", clock.now())
    .executeTakeFirst();
  if (!row || row.disabled_at) return null;
  return { userId: row.user_id, phone: row.phone, displayName: row.display_name, redirectTo: row.redirect_to };
}

export async function endChallenge(db: Executor, token: string): Promise<void> {
  await db.deleteFrom("login_challenges").where("id", "=", challengeId(token)).execute();
}

// ——— re-authentication before changing password or authenticator ———

export async function recentlyAuthenticated(db: Executor, sessionId: string, clock: Clock): Promise<boolean> {
  const row = await db.selectFrom("user_sessions").select(["created_at", "reauth_at"]).where("id", "=", sessionId).executeTakeFirst();
  if (!row) return false;
  const last = Math.max(new Date(row.created_at).getTime(), row.reauth_at ? new Date(row.reauth_at).getTime() : 0);
  return clock.now().getTime() - last <= REAUTH_MINUTES * 60_000;
}

export async function markReauthenticated(db: Executor, sessionId: string, clock: Clock): Promise<void> {
  await db.updateTable("user_sessions").set({ reauth_at: clock.now() }).where("id", "=", sessionId).execute();
}


export interface EnrolmentView {
  /** The secret in groups of four, for typing into an app by hand. */
  secret: string;
  uri: string;
  /** The otpauth:// URI as a QR code: an SVG data URL (no script, allowed by the CSP's img-src data:). */
  qr: string;
}

/** What the enrolment page shows while enrolment is pending (never after). */
export async function enrolmentView(secret: string, account: string): Promise<EnrolmentView> {
  const uri = otpauthUri(secret, account);
  const svg = await QRCode.toString(uri, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
  return { secret: formatSecret(secret), uri, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}
