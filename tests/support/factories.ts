import { randomBytes, randomInt } from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import type { PlaceLevel, RoleCode } from "../../db/schema";
import { createPlace, type PlaceSummary } from "../../app/domain/places/places.server";
import type { DB } from "../../app/platform/db.server";
import type { ScopedRole } from "../../app/platform/permissions";

/** A unique valid mobile number per call (test data only). */
export function mobile(): string {
  return `13${randomInt(0, 10)}${String(randomInt(0, 100_000_000)).padStart(8, "0")}`;
}

/**
 * A small tree with siblings at every level, for scope tests:
 * city → {districtA → streetA → {communityA1, communityA2}, districtB → streetB → communityB1}.
 */
export async function placeTree(db: DB) {
  const mk = (parentId: number | null, level: PlaceLevel, name: string) => createPlace(db, { parentId, level, name });
  const city = await mk(null, "city", "测试市");
  const districtA = await mk(city.id, "district", "甲区");
  const districtB = await mk(city.id, "district", "乙区");
  const streetA = await mk(districtA.id, "street", "甲街道");
  const streetB = await mk(districtB.id, "street", "乙街道");
  const communityA1 = await mk(streetA.id, "community", "甲一社区");
  const communityA2 = await mk(streetA.id, "community", "甲二社区");
  const communityB1 = await mk(streetB.id, "community", "乙一社区");
  return { city, districtA, districtB, streetA, streetB, communityA1, communityA2, communityB1 };
}

// A precomputed argon2id hash keeps factories fast; the password is "test-pass-1".
export const TEST_PASSWORD = "test-pass-1";
let testHash: Promise<string> | undefined;

export async function createUser(
  db: DB,
  opts: { phone?: string; name?: string; roles?: Array<{ role: RoleCode; place?: PlaceSummary; organisationId?: string }> } = {},
) {
  const { hashPassword } = await import("../../app/platform/password.server");
  testHash ??= hashPassword(TEST_PASSWORD);
  const user = await db
    .insertInto("users")
    .values({ phone: opts.phone ?? mobile(), display_name: opts.name ?? "测试用户", password_hash: await testHash })
    .returning(["id", "phone", "display_name"])
    .executeTakeFirstOrThrow();
  for (const r of opts.roles ?? []) {
    await db
      .insertInto("role_assignments")
      .values({ user_id: user.id, role: r.role, place_id: r.place?.id ?? null, organisation_id: r.organisationId ?? null })
      .execute();
  }
  return user;
}

export function scoped(role: RoleCode, place?: PlaceSummary, organisationId?: string): ScopedRole {
  return { role, placeId: place?.id ?? null, placePath: place?.path ?? null, organisationId: organisationId ?? null };
}

/**
 * A signed-in person's cookie, for driving a loader or action as Remix does: a session row as
 * lucia makes it; `mfa` marks the second factor enrolled (staff roles require it).
 */
/** The load context server.ts gives a loader or action, for route tests. */
export function routeContext(requestId: string): AppLoadContext {
  return { requestId, ip: "127.0.0.1", requestLog: { userId: null } };
}

export async function sessionCookie(db: DB, userId: string, opts: { mfa?: boolean } = {}): Promise<string> {
  if (opts.mfa) await db.insertInto("user_mfa").values({ user_id: userId, secret_enc: "test", enabled_at: new Date() }).execute();
  const id = randomBytes(20).toString("hex");
  const now = new Date();
  await db.insertInto("user_sessions").values({ id, user_id: userId, expires_at: new Date(now.getTime() + 86_400_000), created_at: now, last_seen_at: now }).execute();
  return `lsw_session=${id}`;
}
