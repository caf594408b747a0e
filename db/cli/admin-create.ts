// npm run admin:create -- --phone 13800000000 --name 管理员 [--password ...]
// Makes the first administrator (or gives an existing account the admin role). Without
// --password it reads ADMIN_PASSWORD, or asks on the terminal.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { registerSchema } from "../../app/domain/accounts/schema";
import { audit } from "../../app/platform/audit.server";
import { closeDb, getDb } from "../../app/platform/db.server";
import { hashPassword } from "../../app/platform/password.server";
import { bootDatabase } from "../boot";

const { values } = parseArgs({ options: { phone: { type: "string" }, name: { type: "string" }, password: { type: "string" } } });

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

const phone = values.phone ?? (await ask("管理员手机号码："));
const name = values.name ?? "系统管理员";
const password = values.password ?? process.env.ADMIN_PASSWORD ?? (await ask("密码（至少 8 位，含字母和数字）："));
const parsed = registerSchema.safeParse({ phone, displayName: name, password, passwordConfirm: password });
if (!parsed.success) {
  console.error(parsed.error.issues.map((i) => i.message).join("\n"));
  process.exit(1);
}

const booted = await bootDatabase((m) => console.log(m));
const db = getDb();
try {
  await db.transaction().execute(async (trx) => {
    const hash = await hashPassword(parsed.data.password);
    const user = await trx
      .insertInto("users")
      .values({ phone: parsed.data.phone, display_name: parsed.data.displayName, password_hash: hash })
      .onConflict((oc) => oc.column("phone").doUpdateSet({ password_hash: hash }))
      .returning("id")
      .executeTakeFirstOrThrow();
    const existing = await trx.selectFrom("role_assignments").select("id").where("user_id", "=", user.id).where("role", "=", "admin").where("revoked_at", "is", null).executeTakeFirst();
    if (!existing) await trx.insertInto("role_assignments").values({ user_id: user.id, role: "admin" }).execute();
    await audit(trx, { userId: null, role: "cli" }, { action: "role.assign", entityType: "user", entityId: user.id, summary: { after: { role: "admin" }, via: "admin:create" } });
  });
  console.log(`管理员已就绪：${parsed.data.phone}`);
} finally {
  await closeDb();
  await booted.embedded?.stop();
}
