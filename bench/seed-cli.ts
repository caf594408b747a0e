// npm run bench:seed -- --scale province|city|tiny
// Migrates the database at DATABASE_URL with the app's migrations, then fills it (bench/seed.ts).
import { migrateToLatest } from "../db/migrate";
import { BENCH_CARE_ENV, seedBench, type Scale } from "./seed";

process.env.CARE_ENCRYPTION_KEYS ??= BENCH_CARE_ENV.CARE_ENCRYPTION_KEYS;
process.env.CARE_HMAC_KEY ??= BENCH_CARE_ENV.CARE_HMAC_KEY;

const args = process.argv.slice(2);
const i = args.indexOf("--scale");
const scale = (i >= 0 ? args[i + 1] : "tiny") as Scale;
if (!["province", "city", "tiny"].includes(scale)) {
  console.error("用法：npm run bench:seed -- --scale province|city|tiny");
  process.exit(2);
}
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("请设置 DATABASE_URL（一个空的 PostgreSQL 数据库）");
  process.exit(2);
}
const migrated = await migrateToLatest(url);
console.log(`migrations applied: ${migrated.length}`);
const report = await seedBench(url, scale, (m) => console.log(m));
console.log(`seeded ${scale} in ${report.totalSeconds.toFixed(0)} s`);
