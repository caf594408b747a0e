import { describe, expect, it } from "vitest";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { totp } from "../../platform/totp";
import { createUser, placeTree } from "../../../tests/support/factories";
import { LOGIN_LIMITS } from "./accounts.server";
import {
  confirmEnrolment,
  createChallenge,
  disableMfa,
  endChallenge,
  markReauthenticated,
  mfaRequired,
  mfaState,
  pendingSecret,
  readChallenge,
  recentlyAuthenticated,
  regenerateRecoveryCodes,
  verifySecondFactor,
} from "./mfa.server";

const T0 = "2026-11-24T08:00:05Z";

async function enrolled(clock = fixedClock(T0)) {
  const db = getDb();
  const user = await createUser(db);
  const ctx = { userId: user.id, ip: "198.51.100.9" };
  const secret = await pendingSecret(db, user.id);
  const { recoveryCodes } = await confirmEnrolment(db, ctx, user, totp(secret, clock.now()), clock);
  return { db, user, ctx, secret, recoveryCodes, clock };
}

describe("enrolment", () => {
  it("keeps one pending secret until confirmed, stores it encrypted, and shows recovery codes once", async () => {
    const db = getDb();
    const user = await createUser(db);
    const secret = await pendingSecret(db, user.id);
    expect(await pendingSecret(db, user.id)).toBe(secret);
    const row = await db.selectFrom("user_mfa").selectAll().where("user_id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain(secret);
    expect(row.enabled_at).toBeNull();
    expect(await mfaState(db, user.id)).toEqual({ enabled: false, pending: true, recoveryCodesLeft: 0 });

    const clock = fixedClock(T0);
    const { recoveryCodes } = await confirmEnrolment(db, { userId: user.id }, user, totp(secret, clock.now()), clock);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(recoveryCodes[0]).toMatch(/^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    const hashes = await db.selectFrom("mfa_recovery_codes").select("code_hash").where("user_id", "=", user.id).execute();
    expect(hashes.map((h) => h.code_hash)).not.toContain(recoveryCodes[0]);
    expect(hashes.every((h) => /^[0-9a-f]{64}$/.test(h.code_hash))).toBe(true);
    expect(await mfaState(db, user.id)).toEqual({ enabled: true, pending: false, recoveryCodesLeft: 10 });
    // once enrolled, the secret is never handed out again
    await expect(pendingSecret(db, user.id)).rejects.toThrow(/已经启用/);
    const log = await db.selectFrom("audit_log").select(["action", "summary"]).where("entity_id", "=", user.id).execute();
    expect(log.map((l) => l.action)).toContain("user.mfa_enrol");
    expect(JSON.stringify(log)).not.toContain(secret);
  });

  it("refuses to enrol with a wrong code", async () => {
    const db = getDb();
    const user = await createUser(db);
    const secret = await pendingSecret(db, user.id);
    const clock = fixedClock(T0);
    const wrong = String((Number(totp(secret, clock.now())) + 1) % 1_000_000).padStart(6, "0");
    await expect(confirmEnrolment(db, { userId: user.id }, user, wrong, clock)).rejects.toThrow(/验证码不正确/);
    expect((await mfaState(db, user.id)).enabled).toBe(false);
  });
});

describe("the second step at sign-in, with a fixed clock", () => {
  it("accepts the right code", async () => {
    const { db, user, ctx, secret, clock } = await enrolled();
    clock.advance(30_000);
    await expect(verifySecondFactor(db, ctx, user, { code: totp(secret, clock.now()) }, clock)).resolves.toEqual({ method: "totp" });
  });

  it("accepts the code of the previous 30-second step (clock drift)", async () => {
    const { db, user, ctx, secret, clock } = await enrolled();
    const previous = new Date(clock.now().getTime() + 30_000);
    clock.advance(60_000);
    await expect(verifySecondFactor(db, ctx, user, { code: totp(secret, previous) }, clock)).resolves.toEqual({ method: "totp" });
  });

  it("refuses a wrong code and logs the failure", async () => {
    const { db, user, ctx, secret, clock } = await enrolled();
    clock.advance(30_000);
    const wrong = String((Number(totp(secret, clock.now())) + 7) % 1_000_000).padStart(6, "0");
    await expect(verifySecondFactor(db, ctx, user, { code: wrong }, clock)).rejects.toThrow(/验证码不正确/);
    const log = await db.selectFrom("audit_log").select("action").where("entity_id", "=", user.id).execute();
    expect(log.map((l) => l.action)).toContain("user.mfa_failed");
  });

  it("refuses a reused code: the same step already used by this user (here: at enrolment)", async () => {
    const { db, user, ctx, secret, clock } = await enrolled();
    await expect(verifySecondFactor(db, ctx, user, { code: totp(secret, clock.now()) }, clock)).rejects.toThrow(/已使用过/);
    clock.advance(30_000);
    const code = totp(secret, clock.now());
    await verifySecondFactor(db, ctx, user, { code }, clock);
    await expect(verifySecondFactor(db, ctx, user, { code }, clock)).rejects.toThrow(/已使用过/);
  });

  it("lets only one of two simultaneous requests with the same code through", async () => {
    const { db, user, ctx, secret, clock } = await enrolled();
    clock.advance(30_000);
    const code = totp(secret, clock.now());
    const results = await Promise.allSettled([1, 2, 3].map(() => verifySecondFactor(db, ctx, user, { code }, clock)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  });

  it("slows down wrong codes with the log-in throttle: after 5 failures even the right code waits", async () => {
    const { db, user, ctx, secret, clock } = await enrolled();
    clock.advance(30_000);
    for (let i = 0; i < LOGIN_LIMITS.perAccount.limit; i++) {
      await expect(verifySecondFactor(db, ctx, user, { code: "000000" === totp(secret, clock.now()) ? "111111" : "000000" }, clock)).rejects.toThrow(/验证码不正确/);
    }
    await expect(verifySecondFactor(db, ctx, user, { code: totp(secret, clock.now()) }, clock)).rejects.toThrow(/次数过多/);
    clock.advance(LOGIN_LIMITS.perAccount.windowSeconds * 1000 + 1000);
    await expect(verifySecondFactor(db, ctx, user, { code: totp(secret, clock.now()) }, clock)).resolves.toEqual({ method: "totp" });
  });

  it("accepts each recovery code once", async () => {
    const { db, user, ctx, recoveryCodes, clock } = await enrolled();
    await expect(verifySecondFactor(db, ctx, user, { recoveryCode: recoveryCodes[3].toLowerCase() }, clock)).resolves.toEqual({ method: "recovery" });
    await expect(verifySecondFactor(db, ctx, user, { recoveryCode: recoveryCodes[3] }, clock)).rejects.toThrow(/恢复码不正确或已经用过/);
    expect((await mfaState(db, user.id)).recoveryCodesLeft).toBe(9);
    const fresh = await regenerateRecoveryCodes(db, ctx, user.id);
    await expect(verifySecondFactor(db, ctx, user, { recoveryCode: recoveryCodes[4] }, clock)).rejects.toThrow(/恢复码/);
    await expect(verifySecondFactor(db, ctx, user, { recoveryCode: fresh[0] }, clock)).resolves.toEqual({ method: "recovery" });
  });
});

describe("who must use it, and turning it off", () => {
  it("requires it of staff, not of residents or organisation members", async () => {
    for (const role of ["officer", "liaison", "reviewer", "admin", "privacy_officer", "community_staff", "auditor"] as const) expect(mfaRequired([{ role }])).toBe(true);
    expect(mfaRequired([{ role: "resident" }, { role: "org_member" }])).toBe(false);
    expect(mfaRequired([])).toBe(false);
  });

  it("lets a resident turn it off but not a staff member", async () => {
    const { db, user, ctx } = await enrolled();
    await expect(disableMfa(db, ctx, user.id, [{ role: "officer" }])).rejects.toThrow(/必须使用两步验证/);
    await disableMfa(db, ctx, user.id, [{ role: "resident" }]);
    expect(await mfaState(db, user.id)).toEqual({ enabled: false, pending: false, recoveryCodesLeft: 0 });
  });
});

describe("the sign-in between password and code, and re-authentication", () => {
  it("reads a challenge by its token until it expires or ends", async () => {
    const db = getDb();
    await placeTree(db);
    const user = await createUser(db);
    const clock = fixedClock(T0);
    const token = await createChallenge(db, user.id, "/grants", clock);
    expect(await readChallenge(db, token, clock)).toMatchObject({ userId: user.id, redirectTo: "/grants" });
    expect(await readChallenge(db, token + "x", clock)).toBeNull();
    const stored = await db.selectFrom("login_challenges").select("id").execute();
    expect(stored.map((s) => s.id)).not.toContain(token);
    clock.advance(11 * 60_000);
    expect(await readChallenge(db, token, clock)).toBeNull();
    clock.set(T0);
    await endChallenge(db, token);
    expect(await readChallenge(db, token, clock)).toBeNull();
  });

  it("counts the session's start or a re-authentication as recent for five minutes", async () => {
    const db = getDb();
    const user = await createUser(db);
    const clock = fixedClock(T0);
    await db.insertInto("user_sessions").values({ id: "s1", user_id: user.id, expires_at: new Date("2027-01-01"), created_at: clock.now(), ip: null, user_agent: null }).execute();
    expect(await recentlyAuthenticated(db, "s1", clock)).toBe(true);
    clock.advance(6 * 60_000);
    expect(await recentlyAuthenticated(db, "s1", clock)).toBe(false);
    await markReauthenticated(db, "s1", clock);
    clock.advance(4 * 60_000);
    expect(await recentlyAuthenticated(db, "s1", clock)).toBe(true);
    expect(await recentlyAuthenticated(db, "nope", clock)).toBe(false);
  });
});
