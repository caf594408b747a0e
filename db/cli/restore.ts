// npm run db:restore -- --from <file or folder> [--to <postgres url>]
// A .dump (pg_dump -Fc) goes into the database at --to (default DATABASE_URL), which must be new and
// empty. A folder (an embedded backup) becomes DATA_DIR (./.data), which must not hold a database.
import { stat } from "node:fs/promises";
import path from "node:path";
import { restoreDatabase, restoreEmbedded } from "../backup";

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};

try {
  const from = arg("from");
  if (!from) throw new Error("请用 --from 指定备份文件或目录");
  if ((await stat(from)).isDirectory()) {
    const dataDir = path.resolve(process.env.DATA_DIR ?? ".data");
    await restoreEmbedded(from, dataDir);
    console.log(`已把 ${from} 恢复为内置数据库目录 ${dataDir}，可以启动应用`);
  } else {
    const to = arg("to") ?? process.env.DATABASE_URL;
    if (!to) throw new Error("请用 --to 或 DATABASE_URL 指定要恢复到的（新建的空）数据库");
    await restoreDatabase(from, to);
    console.log(`已恢复到 ${new URL(to).pathname.slice(1)}`);
  }
} catch (e) {
  console.error(`恢复失败：${(e as Error).message}`);
  process.exitCode = 1;
}
