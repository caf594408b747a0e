// npm run bench: the load benchmark of issue 9 (docs/performance.md).
// Needs a built site (npx remix build) and DATABASE_URL pointing at a database filled by
// `npm run bench:seed`. Starts the production server and the bare node:http server as child
// processes, drives both from this process with autocannon, verifies that every acknowledged
// write is in the database, and writes bench/results/<date>.json plus a Markdown table.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "../db/schema";
import { listIssues } from "../app/domain/issues/issues.server";
import { sessionDays } from "../app/platform/session.server";
import { tunedEnv, tunedExecArgv } from "../scripts/runtime-tuning.js";
import { BENCH_CARE_ENV, BENCH_PASSWORD } from "./seed";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("请设置 DATABASE_URL（用 npm run bench:seed 填充过的数据库）");
  process.exit(2);
}
const PORT = Number(process.env.BENCH_PORT ?? 3290);
const BARE_PORT = Number(process.env.BARE_PORT ?? 3299);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const DURATION = Number(process.env.BENCH_DURATION ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const ONLY = process.env.BENCH_ONLY?.split(",");
/**
 * App processes: WEB_CONCURRENCY of the server (node:cluster workers; 1 = a single process, as
 * `npm start` runs by default). One: on 2 cores shared with PostgreSQL it gave the writes' p95
 * 50–54 ms against 69–73 with two workers, and the whole app stays under 500 MB (sixth pass).
 */
const WORKERS = process.env.BENCH_WORKERS ?? "1";
/** Seconds anonymous public pages are reused (app/platform/page-cache.server.ts); 0 measures every page rendered. */
const PAGE_CACHE = process.env.BENCH_PAGE_CACHE ?? "10";
/** Extra node arguments for the app server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a scenario. */
const NODE_ARGS = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
const base = `http://127.0.0.1:${PORT}`;

const pool = new pg.Pool({ connectionString: url, max: 4 });
const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
const q = async <T>(text: string, params: unknown[] = []) => (await pool.query(text, params)).rows as T[];

// ------------------------------------------------------------------------------------------
// Targets, chosen from the data so that every run on the same seed benchmarks the same pages.

const [busiest] = await q<{ place_id: number; path: string; category: string; n: number }>(`
  select d.id as place_id, d.path, i.category, count(*)::int as n
  from issues i join places c on c.id = i.place_id join places s on s.id = c.parent_id join places d on d.id = s.parent_id
  where i.hidden_at is null group by d.id, d.path, i.category order by n desc limit 1`);
const [community] = await q<{ id: number }>(`select place_id as id from issues group by place_id order by count(*) desc limit 1`);
const [city] = await q<{ id: number; path: string }>(`select id, path from places where level = 'city' order by id limit 1`);
const detailIssues = await q<{ id: string }>(`select id from issues where comment_count between 3 and 60 and hidden_at is null order by id limit 500`);
const callIds = await q<{ id: string }>(`select id from calls where status = 'published' order by id limit 300`);
const grantIds = await q<{ id: string }>(`select id from grants where status in ('in_progress','closed','awaiting_evaluation') order by id limit 300`);
if (!busiest || !community || !city) throw new Error("数据库中没有压测数据：请先运行 npm run bench:seed");

// Page 50 of the district list: follow 49 cursors with the loader's own query.
const listQuery = { place: busiest.place_id, category: busiest.category, sort: "supported" as const };
let cursor: string | undefined;
let pagesFollowed = 0;
for (; pagesFollowed < 49; pagesFollowed++) {
  const page = await listIssues(db, { sort: "supported", category: busiest.category as never, placePath: busiest.path, cursor });
  if (!page.next) break;
  cursor = page.next;
}
const listParams = new URLSearchParams({ place: String(listQuery.place), category: listQuery.category, sort: "supported" });
const page50Params = new URLSearchParams(listParams);
if (cursor) page50Params.set("cursor", cursor);

// Sessions made directly in user_sessions (as lucia would), for residents spread over many
// communities, for the city's officer, and accounts for the log-in scenario.
// Each run starts with the write limits unused: runs minutes apart reuse the same accounts, and
// the comment limit (20 per 10 minutes) would otherwise refuse the second run's comments.
await pool.query(`delete from rate_limits where key like 'write:%'`);
const now = new Date();
// The lifetime a log-in gives (session.server.ts): a shorter one would make lucia extend every
// session on its first request, an UPDATE a real session makes once in 15 days.
const expires = new Date(now.getTime() + sessionDays() * 24 * 3600_000);
async function sessionFor(userId: string): Promise<string> {
  const id = randomBytes(20).toString("hex");
  await pool.query("insert into user_sessions (id, user_id, expires_at, created_at, last_seen_at) values ($1, $2, $3, $4, $4)", [id, userId, expires, now]);
  return `lsw_session=${id}`;
}
// Support pairs: a resident and an open issue of their own community they have not supported yet.
const pairs = await q<{ user_id: string; issue_id: string }>(`
  with c as (
    select place_id from issues where status in ('pending','accepted','scheduled','decided') and hidden_at is null
    group by place_id order by count(*) desc limit 400
  ), u as (
    select r.user_id, r.place_id, row_number() over (partition by r.place_id order by r.user_id) as k
    from role_assignments r join c on c.place_id = r.place_id where r.role = 'resident' and r.revoked_at is null
  ), i as (
    select i.id, i.place_id, row_number() over (partition by i.place_id order by i.id) as k
    from issues i join c on c.place_id = i.place_id where i.status in ('pending','accepted','scheduled','decided') and i.hidden_at is null
  )
  select u.user_id, i.id as issue_id from u join i on i.place_id = u.place_id and i.k <= 40 where u.k <= 25
    and not exists (select 1 from issue_supports s where s.issue_id = i.id and s.user_id = u.user_id)
  order by u.k, i.k, u.place_id limit 60000`);
const sessionOf = new Map<string, string>();
for (const p of pairs) if (!sessionOf.has(p.user_id)) sessionOf.set(p.user_id, await sessionFor(p.user_id));
const [officer] = await q<{ user_id: string }>(`select user_id from role_assignments where role = 'officer' and place_id = $1 and revoked_at is null limit 1`, [city.id]);
const officerCookie = await sessionFor(officer!.user_id);
const loginPhones = (await q<{ phone: string }>(`select phone from users where phone like '13%' order by phone desc limit 3000`)).map((r) => r.phone);
console.log(`targets: district ${busiest.place_id} · ${busiest.category} (${busiest.n} issues, page 50 after ${pagesFollowed} cursors), community ${community.id}, city ${city.id}`);
console.log(`sessions: ${sessionOf.size} residents (${pairs.length} support pairs), 1 officer; ${loginPhones.length} log-in accounts`);

// ------------------------------------------------------------------------------------------
// Servers

// BENCH_APP_LOG=<file>: the app's stdout goes there (its request log; with BENCH_NODE_ARGS=--trace-gc, its collections).
const APP_LOG = process.env.BENCH_APP_LOG;

function start(name: string, args: string[], env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", APP_LOG && name === "app" ? openSync(APP_LOG, "w") : "ignore", "inherit"] });
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = async () => {
      if (child.exitCode !== null) return reject(new Error(`${name} exited with ${child.exitCode}`));
      try {
        const r = await fetch(readyUrl);
        if (r.status < 500) return resolve(child);
      } catch {
        // not yet
      }
      if (Date.now() - t0 > 120_000) return reject(new Error(`${name} did not start`));
      setTimeout(poll, 300);
    };
    void poll();
  });
}

const serverEnv = { ...BENCH_CARE_ENV, ...process.env, NODE_ENV: "production", PORT: String(PORT), HOST: "127.0.0.1", DEMO_DATA: "false", COOKIE_SECURE: "false" } as Record<string, string>;
// As `npm start` runs it: the memory settings of scripts/runtime-tuning.js unless BENCH_NODE_ARGS or the environment choose others.
const app = await start(
  "app",
  [...tunedExecArgv(NODE_ARGS, process.env.NODE_OPTIONS), "--import", "tsx", "server.ts"],
  tunedEnv({ ...serverEnv, WEB_CONCURRENCY: WORKERS, PAGE_CACHE_SECONDS: PAGE_CACHE }) as Record<string, string>,
  `${base}/readyz`,
);
const bare = await start("bare", ["--import", "tsx", "bench/bare.ts"], { ...serverEnv, BARE_PORT: String(BARE_PORT) }, `http://127.0.0.1:${BARE_PORT}/issues`);

/** A process and its descendants (the cluster's workers): /proc/<pid>/task/<tid>/children. */
function treeOf(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const tid of readdirSync(`/proc/${out[i]}/task`)) {
        const kids = readFileSync(`/proc/${out[i]}/task/${tid}/children`, "utf8").trim();
        if (kids) out.push(...kids.split(" ").map(Number));
      }
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
/** CPU time (user + system) of a process and its workers, in ms: /proc/<pid>/stat fields 14 and 15, in clock ticks (100/s). */
function cpuMsOf(pid: number): number {
  let ms = 0;
  for (const p of treeOf(pid)) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
      ms += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // gone meanwhile
    }
  }
  return ms;
}
/** Highest RSS of the app's processes together, and of its largest single process. */
let rssMax = 0;
let rssMaxProcess = 0;
const rssTimer = setInterval(() => {
  const each = treeOf(app.pid!).map(rssOf);
  rssMax = Math.max(rssMax, each.reduce((a, b) => a + b, 0));
  rssMaxProcess = Math.max(rssMaxProcess, ...each);
}, 250);

// ------------------------------------------------------------------------------------------
// Scenarios

type Req = autocannon.Request;
interface Scenario {
  name: string;
  kind: "read" | "write" | "dashboard" | "login" | "bare";
  target?: string;
  requests: () => Req[];
  bareOf?: string;
}

function roundRobinByUser<P extends { user_id: string }>(all: P[]): P[] {
  const byUser = new Map<string, P[]>();
  for (const p of all) {
    const list = byUser.get(p.user_id);
    if (list) list.push(p);
    else byUser.set(p.user_id, [p]);
  }
  const lists = [...byUser.values()];
  const out: P[] = [];
  for (let k = 0; out.length < all.length; k++) for (const list of lists) if (list[k]) out.push(list[k]!);
  return out;
}
const rotate = <T>(items: T[]) => {
  let i = 0;
  return () => items[i++ % items.length]!;
};
const get = (paths: string[], headers: Record<string, string> = {}): (() => Req[]) => {
  return () => {
    const next = rotate(paths);
    return [{ method: "GET", headers, setupRequest: (r: Req) => ({ ...r, path: next() }) }];
  };
};

const ackedSupports: Array<{ user_id: string; issue_id: string }> = [];
const ackedComments: string[] = [];
let commentSeq = 0;
const runTag = randomBytes(4).toString("hex");
// A write scenario's warm-up and its measured run take turns from one rotation: the measured
// supports are new ones (a repeated support is a cheaper no-op), each log-in a different account.
const nextSupportPair = rotate(pairs);
// Comments go round the residents one at a time (each gets ~15 in a run, under the limit of 20
// in 10 minutes); pairs are in resident-major blocks, so a third of them wrapped round onto the
// same residents once a run passed 20,000 comments and drew 429s.
const nextCommentPair = rotate(roundRobinByUser(pairs));
const nextLoginPhone = rotate(loginPhones);
const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const writeHeaders = { "content-type": "application/x-www-form-urlencoded", origin: base };

const scenarios: Scenario[] = [
  // Paths are ASCII only: autocannon writes the request line as given.
  { name: "社区首页 community home", kind: "read", requests: get([`/?place=${community.id}`]) },
  { name: "议题列表 第1页 district list p1", kind: "read", requests: get([`/issues?${listParams}`]), bareOf: "bare 议题列表 p1" },
  { name: "议题列表 第50页 district list p50", kind: "read", requests: get([`/issues?${page50Params}`]), bareOf: "bare 议题列表 p50" },
  { name: "议题详情 issue detail", kind: "read", requests: get(detailIssues.map((r) => `/issues/${r.id}`)), bareOf: "bare 议题详情" },
  { name: "关键词搜索 keyword search", kind: "read", requests: get(["路灯", "养老", "停车", "噪音 扰民"].map((k) => `/issues?q=${encodeURIComponent(k)}`)) },
  { name: "招贤榜 call page", kind: "read", requests: get(callIds.map((r) => `/calls/${r.id}`)) },
  { name: "项目 project page", kind: "read", requests: get(grantIds.map((r) => `/projects/${r.id}`)) },
  { name: "市级看板 city dashboard", kind: "dashboard", requests: get([`/bureau/dashboard?place=${city.id}`], { cookie: officerCookie }) },
  {
    name: "附议 support (write)",
    kind: "write",
    requests: () => {
      const next = nextSupportPair;
      return [
        {
          method: "POST",
          setupRequest: (r: Req, ctx: Record<string, unknown>) => {
            const p = next();
            ctx.pair = p;
            return { ...r, path: `/issues/${p.issue_id}.data`, headers: { ...writeHeaders, cookie: sessionOf.get(p.user_id)! }, body: form({ intent: "support" }) };
          },
          onResponse: (status: number, _body: string, ctx: Record<string, unknown>) => {
            if (status === 200) ackedSupports.push(ctx.pair as { user_id: string; issue_id: string });
          },
        },
      ];
    },
  },
  {
    name: "评论 comment (write)",
    kind: "write",
    requests: () => {
      const next = nextCommentPair;
      return [
        {
          method: "POST",
          setupRequest: (r: Req, ctx: Record<string, unknown>) => {
            const p = next();
            const body = `压测评论 ${runTag}-${++commentSeq}：同意，希望尽快解决。`;
            ctx.body = body;
            return { ...r, path: `/issues/${p.issue_id}.data`, headers: { ...writeHeaders, cookie: sessionOf.get(p.user_id)! }, body: form({ intent: "comment", body }) };
          },
          onResponse: (status: number, _body: string, ctx: Record<string, unknown>) => {
            if (status === 200) ackedComments.push(ctx.body as string);
          },
        },
      ];
    },
  },
  {
    name: "登录 log-in",
    kind: "login",
    requests: () => {
      const next = nextLoginPhone;
      return [
        {
          method: "POST",
          setupRequest: (r: Req) => ({ ...r, path: "/login.data", headers: writeHeaders, body: form({ phone: next(), password: BENCH_PASSWORD, redirectTo: "/" }) }),
        },
      ];
    },
  },
  { name: "bare 议题列表 p1", kind: "bare", target: `http://127.0.0.1:${BARE_PORT}`, requests: get([`/issues?${listParams}`]) },
  { name: "bare 议题列表 p50", kind: "bare", target: `http://127.0.0.1:${BARE_PORT}`, requests: get([`/issues?${page50Params}`]) },
  { name: "bare 议题详情", kind: "bare", target: `http://127.0.0.1:${BARE_PORT}`, requests: get(detailIssues.map((r) => `/issues/${r.id}`)) },
];

interface Result {
  name: string;
  kind: Scenario["kind"];
  requests: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  bytesPerSec: number;
  ratioToBare?: number;
  rssMaxMB?: number;
  /** The largest single app process (the primary or one worker). */
  rssMaxProcessMB?: number;
  /** CPU time the serving process spent per request: unlike latency, hardly affected by other load on the machine. */
  cpuMsPerRequest?: number;
  cpuRatioToBare?: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function run(s: Scenario, seconds: number, record: boolean): Promise<Result> {
  const latencies: number[] = [];
  let ok = 0;
  let bad = 0;
  // BENCH_TRACE=<prefix>: every measured response's time and latency, to see spikes within a run.
  const trace: Array<[number, number]> = [];
  const instance = autocannon({ url: s.target ?? base, connections: CONNECTIONS, duration: seconds, requests: s.requests(), timeout: 10 });
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (!record) return;
    latencies.push(ms);
    if (process.env.BENCH_TRACE) trace.push([Date.now(), ms]);
    if (status >= 200 && status < 400) ok++;
    else bad++;
  });
  const r = await instance;
  if (process.env.BENCH_TRACE && record) writeFileSync(`${process.env.BENCH_TRACE}-${s.name.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "")}.json`, JSON.stringify(trace));
  latencies.sort((a, b) => a - b);
  return {
    name: s.name,
    kind: s.kind,
    requests: ok + bad,
    reqPerSec: Math.round(((ok + bad) / seconds) * 10) / 10,
    p50: round1(percentile(latencies, 50)),
    p95: round1(percentile(latencies, 95)),
    p99: round1(percentile(latencies, 99)),
    errors: r.errors + r.timeouts,
    non2xx: bad,
    bytesPerSec: r.throughput.average,
  };
}

const results: Result[] = [];
try {
  for (const s of scenarios) {
    if (ONLY && !ONLY.some((o) => s.name.includes(o))) continue;
    await run(s, WARMUP, false);
    rssMax = 0;
    rssMaxProcess = 0;
    const servingPid = s.kind === "bare" ? bare.pid! : app.pid!;
    const cpuBefore = cpuMsOf(servingPid);
    const r = await run(s, DURATION, true);
    if (r.requests > 0) r.cpuMsPerRequest = round1((cpuMsOf(servingPid) - cpuBefore) / r.requests);
    if (s.kind !== "bare") {
      r.rssMaxMB = Math.round(rssMax / 1048576);
      r.rssMaxProcessMB = Math.round(rssMaxProcess / 1048576);
    }
    results.push(r);
    console.log(`${r.name}: ${r.reqPerSec} req/s, p50 ${r.p50} ms, p95 ${r.p95} ms, p99 ${r.p99} ms, errors ${r.errors}, non-2xx ${r.non2xx}, RSS ${r.rssMaxMB ?? "-"} MB (largest process ${r.rssMaxProcessMB ?? "-"} MB), CPU ${r.cpuMsPerRequest ?? "-"} ms/req`);
  }
} finally {
  clearInterval(rssTimer);
  app.kill("SIGTERM");
  bare.kill("SIGTERM");
}
for (const r of results) {
  const s = scenarios.find((x) => x.name === r.name)!;
  const b = s.bareOf ? results.find((x) => x.name === s.bareOf) : undefined;
  if (b && b.reqPerSec > 0) r.ratioToBare = Math.round((r.reqPerSec / b.reqPerSec) * 100) / 100;
  if (b?.cpuMsPerRequest && r.cpuMsPerRequest) r.cpuRatioToBare = Math.round((b.cpuMsPerRequest / r.cpuMsPerRequest) * 100) / 100;
}

// Every acknowledged write must be in the database.
const supportRows = ackedSupports.length
  ? await q<{ n: number }>(
      `select count(*)::int as n from issue_supports s join (select distinct * from unnest($1::uuid[], $2::uuid[]) as u(issue_id, user_id)) a on a.issue_id = s.issue_id and a.user_id = s.user_id`,
      [ackedSupports.map((a) => a.issue_id), ackedSupports.map((a) => a.user_id)],
    )
  : [{ n: 0 }];
const uniqueSupports = new Set(ackedSupports.map((a) => `${a.issue_id}/${a.user_id}`)).size;
const commentRows = ackedComments.length ? await q<{ n: number }>(`select count(*)::int as n from issue_comments where body = any($1::text[])`, [ackedComments]) : [{ n: 0 }];
const [counters] = await q<{ bad: number }>(`
  select count(*)::int as bad from issues i
  where i.id = any($1::uuid[]) and (i.support_count <> (select count(*) from issue_supports s where s.issue_id = i.id)
     or i.comment_count <> (select count(*) from issue_comments c where c.issue_id = i.id and c.deleted_at is null))`,
  [[...new Set(ackedSupports.map((a) => a.issue_id))]]);
const verification = {
  supportsAcknowledged: uniqueSupports,
  supportsPresent: supportRows[0]!.n,
  commentsAcknowledged: ackedComments.length,
  commentsPresent: commentRows[0]!.n,
  issuesWithWrongCounters: counters!.bad,
};
console.log("writes:", JSON.stringify(verification));
// The run's supports are taken back once checked (the counter trigger moves the counts back): the
// pairs are residents and issues of one community not yet supported, and ~20 runs on one database
// used them all up. Every run then finds the same 60,000 pairs.
// Not when a write is missing: the evidence stays. Then a vacuum (the machine may run with
// autovacuum off), so that dead rows from earlier runs do not slow the next one's writes.
if (ackedSupports.length > 0 && verification.supportsPresent === verification.supportsAcknowledged && verification.issuesWithWrongCounters === 0) {
  await q(
    `delete from issue_supports s using (select distinct * from unnest($1::uuid[], $2::uuid[]) as u(issue_id, user_id)) a where a.issue_id = s.issue_id and a.user_id = s.user_id`,
    [ackedSupports.map((a) => a.issue_id), ackedSupports.map((a) => a.user_id)],
  );
  await q("vacuum (analyze) issue_supports, issues");
}
// Every write leaves dead rows elsewhere too: the sealing updates each audit row once, the limits
// count in place. Left to grow (40 runs: 394,610 dead audit rows), they cost later runs 10–20 % of
// their writes' throughput.
await q("vacuum (analyze) audit_log, rate_limits, issue_comments, user_sessions");

const [{ n: issueCount }] = await q<{ n: number }>("select count(*)::int as n from issues");
// Machines differ (the bare server's req/s says by how much); so do PostgreSQL's settings.
const postgres = Object.fromEntries(
  (await q<{ name: string; setting: string }>(`select name, current_setting(name) as setting from pg_settings
    where name in ('server_version', 'shared_buffers', 'autovacuum', 'synchronous_commit', 'max_wal_size', 'wal_compression')`)).map((r) => [r.name, r.setting]),
);
const meta = {
  date: new Date().toISOString(),
  database: url.replace(/\/\/[^@]*@/, "//"),
  issues: issueCount,
  connections: CONNECTIONS,
  durationSeconds: DURATION,
  warmupSeconds: WARMUP,
  cpus: (await import("node:os")).cpus().length,
  cpuModel: (await import("node:os")).cpus()[0]?.model ?? "",
  postgres,
  appProcesses: WORKERS,
  pageCacheSeconds: Number(PAGE_CACHE),
  note: process.env.BENCH_NOTE ?? "",
  targets: { district: busiest.place_id, category: busiest.category, districtCategoryIssues: busiest.n, page50CursorsFollowed: pagesFollowed, community: community.id, city: city.id },
};
const table = [
  "| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx | ratio to bare | app RSS max MB (all / largest process) | CPU ms/req | CPU ratio to bare |",
  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ...results.map(
    (r) =>
      `| ${r.name} | ${r.reqPerSec} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r.ratioToBare ?? ""} | ${r.rssMaxMB === undefined ? "" : `${r.rssMaxMB} / ${r.rssMaxProcessMB}`} | ${r.cpuMsPerRequest ?? ""} | ${r.cpuRatioToBare ?? ""} |`,
  ),
].join("\n");
const dir = path.resolve("bench/results");
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${meta.date.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, `${JSON.stringify({ meta, results, verification, table }, null, 2)}\n`);
console.log(`\n${table}\n\nresults: ${path.relative(process.cwd(), file)}`);
await db.destroy();
const failed = verification.supportsPresent !== verification.supportsAcknowledged || verification.commentsPresent !== verification.commentsAcknowledged;
process.exit(failed ? 1 : 0);
