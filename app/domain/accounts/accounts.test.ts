import { describe, expect, it } from "vitest";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { DomainError } from "../../platform/errors";
import { createUser, mobile, placeTree, TEST_PASSWORD } from "../../../tests/support/factories";
import { assignRole, authenticate, changePassword, GENERIC_LOGIN_ERROR, LOGIN_LIMITS, loadRoles, registerUser, revokeRole } from "./accounts.server";
import { changePasswordSchema, registerSchema } from "./schema";

const ctx = { userId: null, requestId: "req-test", ip: "198.51.100.7" };
const clock = fixedClock("2026-11-23T02:00:00Z");

async function auditActions(userId: string) {
  const rows = await getDb().selectFrom("audit_log").select("action").where("entity_id", "=", userId).orderBy("id").execute();
  return rows.map((r) => r.action);
}

describe("registration", () => {
  it("validates the mobile number and the password with Chinese messages", () => {
    const bad = registerSchema.safeParse({ phone: "12345", displayName: "", password: "short", passwordConfirm: "x" });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => i.message).join(" ");
    expect(messages).toContain("手机号码");
    expect(messages).toContain("密码至少 8 位");
    const mismatch = registerSchema.safeParse({ phone: "13812345678", displayName: "王", password: "abc12345", passwordConfirm: "abc12346" });
    expect(mismatch.error?.issues[0].message).toBe("两次输入的密码不一致");
  });

  it("refuses passwords from the common-password lists", () => {
    for (const password of ["a123456789", "Woaini1314", "qwe123456", "password1"]) {
      const r = registerSchema.safeParse({ phone: "13812345678", displayName: "王", password, passwordConfirm: password });
      expect(r.error?.issues.map((i) => i.message)).toContain("这个密码太常见，容易被猜中，请换一个");
    }
  });

  it("stores an argon2id hash, never the password, and logs the registration", async () => {
    const db = getDb();
    const phone = mobile();
    const user = await registerUser(db, { phone, displayName: "王阿姨", password: "abc12345", passwordConfirm: "abc12345" }, ctx, clock);
    const row = await db.selectFrom("users").selectAll().where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain("abc12345");
    expect(await auditActions(user.id)).toEqual(["user.register"]);
  });

  it("refuses a second account with the same number", async () => {
    const db = getDb();
    const phone = mobile();
    await registerUser(db, { phone, displayName: "甲", password: "abc12345", passwordConfirm: "abc12345" }, ctx, clock);
    await expect(registerUser(db, { phone, displayName: "乙", password: "abc12345", passwordConfirm: "abc12345" }, ctx, clock)).rejects.toThrow("该手机号码已注册");
  });
});

describe("log-in", () => {
  it("accepts the right password and logs it", async () => {
    const db = getDb();
    const user = await createUser(db);
    const r = await authenticate(db, { phone: user.phone, password: TEST_PASSWORD }, ctx, clock);
    expect(r.id).toBe(user.id);
    expect(await auditActions(user.id)).toContain("user.login");
  });

  it("gives the same message for a wrong password and an unknown number, and logs the failure", async () => {
    const db = getDb();
    const user = await createUser(db);
    const wrong = await authenticate(db, { phone: user.phone, password: "nope12345" }, ctx, clock).catch((e: DomainError) => e);
    const unknown = await authenticate(db, { phone: mobile(), password: "nope12345" }, ctx, clock).catch((e: DomainError) => e);
    expect(wrong).toBeInstanceOf(DomainError);
    expect((wrong as DomainError).message).toBe(GENERIC_LOGIN_ERROR);
    expect((unknown as DomainError).message).toBe(GENERIC_LOGIN_ERROR);
    expect(await auditActions(user.id)).toContain("user.login_failed");
  });

  it("slows an account down after repeated failures, even with the right password, until the window passes", async () => {
    const db = getDb();
    const user = await createUser(db);
    const c = fixedClock("2026-11-23T02:00:00Z");
    for (let i = 0; i < LOGIN_LIMITS.perAccount.limit; i++) {
      await expect(authenticate(db, { phone: user.phone, password: "wrong-pass-1" }, { ...ctx, ip: `10.0.0.${i}` }, c)).rejects.toThrow(GENERIC_LOGIN_ERROR);
    }
    await expect(authenticate(db, { phone: user.phone, password: TEST_PASSWORD }, ctx, c)).rejects.toThrow(/登录失败次数过多，请 15 分钟后再试/);
    c.advance(LOGIN_LIMITS.perAccount.windowSeconds * 1000 + 1000);
    await expect(authenticate(db, { phone: user.phone, password: TEST_PASSWORD }, ctx, c)).resolves.toMatchObject({ id: user.id });
  });

  it("slows an address down after failures across many accounts", async () => {
    const db = getDb();
    const c = fixedClock("2026-11-23T03:00:00Z");
    const ip = { ...ctx, ip: "192.0.2.99" };
    for (let i = 0; i < LOGIN_LIMITS.perIp.limit; i++) {
      await authenticate(db, { phone: mobile(), password: "wrong-pass-1" }, ip, c).catch(() => {});
    }
    const user = await createUser(db);
    await expect(authenticate(db, { phone: user.phone, password: TEST_PASSWORD }, ip, c)).rejects.toThrow(/登录失败次数过多/);
    await expect(authenticate(db, { phone: user.phone, password: TEST_PASSWORD }, { ...ctx, ip: "192.0.2.100" }, c)).resolves.toBeTruthy();
  });
});

describe("roles", () => {
  it("assigns a scoped role, refuses a duplicate and the wrong level, revokes, and logs each change", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const admin = await createUser(db, { roles: [{ role: "admin" }] });
    const user = await createUser(db);
    const actx = { userId: admin.id, role: "admin", requestId: "r", ip: null };

    const a = await assignRole(db, actx, { userId: user.id, role: "officer", placeId: t.districtA.id });
    expect(await loadRoles(db, user.id)).toEqual([
      { role: "officer", placeId: t.districtA.id, placePath: t.districtA.path, placeName: "甲区", organisationId: null, organisationName: null },
    ]);
    await expect(assignRole(db, actx, { userId: user.id, role: "officer", placeId: t.districtA.id })).rejects.toThrow("该用户已拥有此角色");
    await expect(assignRole(db, actx, { userId: user.id, role: "resident", placeId: t.districtA.id })).rejects.toThrow(/不能设在/);
    await expect(assignRole(db, actx, { userId: user.id, role: "community_staff" })).rejects.toThrow(/需要指定所属地区/);

    await revokeRole(db, actx, a.id);
    expect(await loadRoles(db, user.id)).toEqual([]);
    await expect(revokeRole(db, actx, a.id)).rejects.toThrow(/不存在或已撤销/);

    const log = await db.selectFrom("audit_log").select(["action", "actor_user_id", "summary"]).where("entity_id", "=", user.id).orderBy("id").execute();
    expect(log.map((l) => l.action)).toEqual(["role.assign", "role.revoke"]);
    expect(log[0].actor_user_id).toBe(admin.id);
    expect(log[0].summary).toMatchObject({ after: { role: "officer", placeId: t.districtA.id } });
    expect(log[1].summary).toMatchObject({ before: { role: "officer" } });
  });

  it("lets one person hold several roles at once", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const user = await createUser(db, { roles: [{ role: "resident", place: t.communityA1 }] });
    await assignRole(db, { userId: null }, { userId: user.id, role: "community_staff", placeId: t.communityA1.id });
    expect((await loadRoles(db, user.id)).map((r) => r.role)).toEqual(["resident", "community_staff"]);
  });

  it("separation of duties: a person who changes data cannot also be given the role that decides erasure", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const officer = await createUser(db, { roles: [{ role: "officer", place: t.districtA }] });
    await expect(assignRole(db, { userId: null }, { userId: officer.id, role: "privacy_officer", placeId: t.districtA.id })).rejects.toThrow(/职责分离/);
    const privacy = await createUser(db, { roles: [{ role: "privacy_officer", place: t.city }] });
    await expect(assignRole(db, { userId: null }, { userId: privacy.id, role: "admin" })).rejects.toThrow(/职责分离/);
    // reading roles combine freely
    await assignRole(db, { userId: null }, { userId: privacy.id, role: "auditor", placeId: t.city.id });
    expect((await loadRoles(db, privacy.id)).map((r) => r.role)).toEqual(["privacy_officer", "auditor"]);
  });
});

describe("password change", () => {
  it("needs the current password, then only the new one works", async () => {
    const db = getDb();
    const user = await createUser(db);
    const input = changePasswordSchema.parse({ currentPassword: TEST_PASSWORD, password: "Lanhua2026x", passwordConfirm: "Lanhua2026x" });
    await expect(changePassword(db, { userId: user.id }, user.id, { ...input, currentPassword: "wrong-1234" })).rejects.toThrow("当前密码不正确");
    await changePassword(db, { userId: user.id }, user.id, input);
    await expect(authenticate(db, { phone: user.phone, password: TEST_PASSWORD }, ctx, clock)).rejects.toThrow(GENERIC_LOGIN_ERROR);
    await expect(authenticate(db, { phone: user.phone, password: "Lanhua2026x" }, ctx, clock)).resolves.toMatchObject({ id: user.id });
    expect(await auditActions(user.id)).toContain("user.password_change");
  });
});
