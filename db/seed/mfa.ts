import type { Kysely } from "kysely";
import { MFA_REQUIRED_ROLES } from "../../app/domain/accounts/mfa.server";
import { encryptField } from "../../app/platform/crypto.server";
import type { Database } from "../schema";
import { demoTotpSecret } from "./demo-totp";

/**
 * Every demo account holding a staff role gets an enrolled authenticator with its deterministic
 * demo secret (demo-totp.ts; README lists how to add it to an app). Runs after every other seed
 * module, so staff created there are covered too. Demo recovery codes are not seeded.
 */
export async function seedDemoMfa(trx: Kysely<Database>): Promise<{ enrolled: number }> {
  const staff = await trx
    .selectFrom("role_assignments as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .select(["u.id", "u.phone"])
    .distinct()
    .where("r.role", "in", [...MFA_REQUIRED_ROLES])
    .where("r.revoked_at", "is", null)
    .where("u.phone", "like", "139000000%")
    .execute();
  if (staff.length === 0) return { enrolled: 0 };
  await trx
    .insertInto("user_mfa")
    .values(staff.map((s) => ({ user_id: s.id, secret_enc: encryptField(demoTotpSecret(s.phone)), enabled_at: new Date() })))
    .onConflict((oc) => oc.column("user_id").doNothing())
    .execute();
  return { enrolled: staff.length };
}
