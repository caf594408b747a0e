// npm run db:backup [-- --out <file or folder>]
// DATABASE_URL set: pg_dump -Fc into backups/linli-<time>.dump. Otherwise the embedded database:
// a copy of DATA_DIR (./.data) into backups/linli-<time>/, only while the app is stopped.
import path from "node:path";
import { backupDatabase, backupEmbedded } from "../backup";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "").replace("T", "-");

try {
  if (process.env.DATABASE_URL) {
    const out = arg("out") ?? path.join("backups", `linli-${stamp}.dump`);
    await backupDatabase(process.env.DATABASE_URL, out);
    console.log(`已备份到 ${out}（pg_dump 自定义格式；恢复：npm run db:restore -- --from ${out} --to <新数据库的连接串>）`);
  } else {
    const dataDir = path.resolve(process.env.DATA_DIR ?? ".data");
    const out = arg("out") ?? path.join("backups", `linli-${stamp}`);
    await backupEmbedded(dataDir, out);
    console.log(`已把内置数据库目录 ${dataDir} 复制到 ${out}（恢复：npm run db:restore -- --from ${out}）`);
  }
} catch (e) {
  console.error(`备份失败：${(e as Error).message}`);
  process.exitCode = 1;
}
