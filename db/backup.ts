import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";

/**
 * Backups (npm run db:backup / db:restore).
 * - A PostgreSQL server (DATABASE_URL): pg_dump in its custom format (-Fc), restored with
 *   pg_restore into a NEW, empty database (restoring over live data is refused).
 * - The embedded PostgreSQL (./.data, no pg_dump binary of its version on the machine): a copy of
 *   the whole data folder (database, care keys, uploads) while the server is stopped; refused
 *   while it runs, because a copy of a running cluster's files is not consistent.
 */

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) => reject(new Error(`${cmd} 无法运行：${e.message}`)));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} 失败（退出码 ${code}）：${err.trim()}`))));
  });
}

async function toolMajor(tool: string): Promise<number> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(tool, ["--version"]);
    let s = "";
    child.stdout.on("data", (d: Buffer) => (s += d.toString()));
    child.on("error", (e) => reject(new Error(`找不到 ${tool}：${e.message}（Debian：apt-get install postgresql-client）`)));
    child.on("close", () => resolve(s));
  });
  const m = /(\d+)(?:\.\d+)?/.exec(out.replace(/^[^0-9]*/, ""));
  if (!m) throw new Error(`无法识别 ${tool} 的版本：${out}`);
  return Number(m[1]);
}

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

async function serverMajor(url: string): Promise<number> {
  const num = await withClient(url, async (c) => Number((await c.query<{ v: string }>("show server_version_num")).rows[0].v));
  return Math.floor(num / 10000);
}

/** pg_dump cannot dump a server newer than itself: say so plainly instead of pg_dump's error. */
async function assertToolFits(tool: string, url: string): Promise<void> {
  const [t, s] = await Promise.all([toolMajor(tool), serverMajor(url)]);
  if (s > t) throw new Error(`${tool} 的版本（${t}）低于数据库服务器（${s}），请安装 PostgreSQL ${s} 的客户端工具`);
}

/** pg_dump -Fc of the database at `url` into `file`. */
export async function backupDatabase(url: string, file: string): Promise<void> {
  await assertToolFits("pg_dump", url);
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--file=${file}`, `--dbname=${url}`]);
}

/** pg_restore of `file` into the database at `url`, which must be empty (no tables in public). */
export async function restoreDatabase(file: string, url: string): Promise<void> {
  await fs.access(file);
  await assertToolFits("pg_restore", url);
  const tables = await withClient(url, async (c) => Number((await c.query<{ n: string }>("select count(*) as n from pg_tables where schemaname = 'public'")).rows[0].n));
  if (tables > 0) throw new Error(`目标数据库已有 ${tables} 张表：只恢复到新建的空数据库，不覆盖现有数据`);
  await run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", `--dbname=${url}`, file]);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the embedded PostgreSQL in `dataDir` (DATA_DIR) is running: its postmaster.pid names a live process. */
export async function embeddedRunning(dataDir: string): Promise<boolean> {
  try {
    const pid = Number((await fs.readFile(path.join(dataDir, "pg", "postmaster.pid"), "utf8")).split("\n")[0]);
    return pid > 0 && pidAlive(pid);
  } catch {
    return false;
  }
}

async function nonEmpty(dir: string): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).length > 0;
  } catch {
    return false;
  }
}

/** As root, the embedded server runs as `postgres`: the copy keeps the owner of the original files. */
async function sameOwner(original: string, copy: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  const { uid, gid } = await fs.stat(original);
  const walk = async (p: string): Promise<void> => {
    await fs.lchown(p, uid, gid);
    if ((await fs.lstat(p)).isDirectory()) for (const e of await fs.readdir(p)) await walk(path.join(p, e));
  };
  await walk(copy);
}

/** A copy of the embedded data folder (database files, pg-state.json, care keys, uploads). */
export async function backupEmbedded(dataDir: string, outDir: string): Promise<void> {
  if (!(await nonEmpty(path.join(dataDir, "pg")))) throw new Error(`${dataDir} 中没有内置数据库`);
  if (await embeddedRunning(dataDir)) throw new Error("内置数据库正在运行：请先停止应用（npm start 的进程），再备份数据目录");
  if (await nonEmpty(outDir)) throw new Error(`${outDir} 已存在且不为空`);
  await fs.cp(dataDir, outDir, { recursive: true, preserveTimestamps: true });
  await sameOwner(path.join(dataDir, "pg"), path.join(outDir, "pg"));
  // A stale pid file in the copy would only confuse the next start.
  await fs.rm(path.join(outDir, "pg", "postmaster.pid"), { force: true });
}

/** Puts a copied data folder back as `dataDir`, which must not hold a database already. */
export async function restoreEmbedded(fromDir: string, dataDir: string): Promise<void> {
  if (!(await nonEmpty(path.join(fromDir, "pg")))) throw new Error(`${fromDir} 不是内置数据库的备份`);
  if (await embeddedRunning(dataDir)) throw new Error("内置数据库正在运行：请先停止应用");
  if (await nonEmpty(path.join(dataDir, "pg"))) throw new Error(`${dataDir} 已有数据库：请恢复到新的 DATA_DIR，或先移走现有目录`);
  await fs.cp(fromDir, dataDir, { recursive: true, preserveTimestamps: true });
  await sameOwner(path.join(fromDir, "pg"), path.join(dataDir, "pg"));
  // PostgreSQL refuses a data directory others can read.
  await fs.chmod(path.join(dataDir, "pg"), 0o700);
}
