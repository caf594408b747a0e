import { randomBytes } from "node:crypto";
import type { AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as rootLoader } from "../app/root";
import { loader as homeLoader } from "../app/routes/_index";
import { loader as dashboardLoader } from "../app/routes/bureau.dashboard";
import { loader as callLoader } from "../app/routes/calls.$callId._index";
import { loader as issueLoader } from "../app/routes/issues.$issueId";
import { loader as issueListLoader } from "../app/routes/issues._index";
import { loader as projectLoader } from "../app/routes/projects.$grantId";
import { seedBench } from "./seed";

/**
 * No N+1: the SQL statements a page runs (root loader + the route's loader) are counted at the
 * pg client, whatever sends them (Kysely, lucia's adapter, raw pg), and must stay under a fixed
 * bound; for the list and the detail page the count must not grow with the number of rows shown.
 * Runs on the tiny bench seed (bench/seed.ts).
 */
let queries = 0;
const original = pg.Client.prototype.query;

beforeAll(async () => {
  await seedBench(process.env.DATABASE_URL!, "tiny");
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    queries++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
}, 120_000);

afterAll(async () => {
  pg.Client.prototype.query = original;
  await helper?.end();
});

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;
const context = (): AppLoadContext => ({ requestId: "query-budget", ip: "127.0.0.1", requestLog: { userId: null } });

/** Statements one page view sends: the root loader and the route's loader, as Remix runs them. */
async function countPage(loader: Loader, path: string, params: Record<string, string> = {}, cookie?: string): Promise<number> {
  const request = new Request(`http://localhost${path}`, { headers: cookie ? { cookie } : {} });
  queries = 0;
  await Promise.all([rootLoader({ request, context: context(), params: {} }), loader({ request, context: context(), params })]);
  return queries;
}

let helper: pg.Pool | undefined;
async function one<T>(text: string, params: unknown[] = []): Promise<T> {
  if (!helper) {
    helper = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 1 });
    // The file's database is dropped (with force) after the tests: an idle connection ending then is expected.
    helper.on("error", () => undefined);
  }
  return (await helper.query(text, params)).rows[0] as T;
}

async function sessionCookie(userId: string): Promise<string> {
  const id = randomBytes(20).toString("hex");
  await one("insert into user_sessions (id, user_id, expires_at, created_at, last_seen_at) values ($1, $2, now() + interval '1 day', now(), now()) returning id", [id, userId]);
  return `lsw_session=${id}`;
}

/**
 * Fixed bounds per page, a little above today's counts (in brackets), root loader included.
 * Signed in adds the session, roles, unread count and preferences. The dashboard's figures are
 * a fixed set of aggregates (8 metrics, pools, calls, and since the grant figures landed six
 * grant metrics, projects by status and money by source), whatever the number of places.
 */
const BUDGET: Record<string, number> = {
  home: 10, // (8)
  "issue list": 7, // (5)
  "issue list, signed in": 15, // (13)
  search: 6, // (4)
  "issue detail": 8, // (6)
  "issue detail, signed in": 15, // (13)
  call: 6, // (4)
  project: 12, // (10)
  "city dashboard": 36, // (33)
};

describe("queries per page (no N+1)", () => {
  it("keeps every main page under a fixed number of statements", { timeout: 60_000 }, async () => {
    const community = await one<{ id: number }>("select place_id as id from issues group by place_id order by count(*) desc, place_id limit 1");
    const district = await one<{ id: number }>("select id from places where level = 'district' order by id limit 1");
    const issue = await one<{ id: string }>("select id from issues where comment_count > 0 order by comment_count desc, id limit 1");
    const call = await one<{ id: string }>("select id from calls order by id limit 1");
    const grant = await one<{ id: string }>("select id from grants where status = 'in_progress' order by id limit 1");
    const officer = await one<{ user_id: string; place_id: number }>("select user_id, place_id from role_assignments where role = 'officer' and place_id <> 1 order by place_id limit 1");
    const resident = await one<{ user_id: string }>("select user_id from role_assignments where role = 'resident' order by user_id limit 1");
    const residentCookie = await sessionCookie(resident.user_id);
    const pages: Array<[string, number]> = [
      ["home", await countPage(homeLoader, `/?place=${community.id}`)],
      ["issue list", await countPage(issueListLoader, `/issues?place=${district.id}&sort=supported`)],
      ["issue list, signed in", await countPage(issueListLoader, `/issues?place=${district.id}&sort=supported`, {}, residentCookie)],
      ["search", await countPage(issueListLoader, `/issues?q=${encodeURIComponent("路灯")}`)],
      ["issue detail", await countPage(issueLoader, `/issues/${issue.id}`, { issueId: issue.id })],
      ["issue detail, signed in", await countPage(issueLoader, `/issues/${issue.id}`, { issueId: issue.id }, residentCookie)],
      ["call", await countPage(callLoader, `/calls/${call.id}`, { callId: call.id })],
      ["project", await countPage(projectLoader, `/projects/${grant.id}`, { grantId: grant.id })],
      ["city dashboard", await countPage(dashboardLoader, `/bureau/dashboard?place=${officer.place_id}`, {}, await sessionCookie(officer.user_id))],
    ];
    const over = pages.filter(([name, n]) => n > BUDGET[name]!).map(([name, n]) => `${name}: ${n} > ${BUDGET[name]}`);
    expect(over).toEqual([]);
    // Every page did run queries (the counter is wired).
    expect(pages.every(([, n]) => n > 0)).toBe(true);
  });

  it("runs as many statements for a list of 20 issues as for a list of 1", { timeout: 60_000 }, async () => {
    const busy = await one<{ id: number }>("select place_id as id from issues group by place_id having count(*) >= 1 order by count(*) desc limit 1");
    const full = await one<{ n: number }>("select count(*)::int as n from issues where hidden_at is null");
    expect(full.n).toBeGreaterThan(20);
    const many = await countPage(issueListLoader, `/issues?sort=newest&place=${busy.id}`);
    const lonely = await one<{ id: number }>(
      "select place_id as id from issues where hidden_at is null group by place_id having count(*) = 1 order by place_id limit 1",
    );
    const few = await countPage(issueListLoader, `/issues?sort=newest&place=${(lonely ?? busy).id}`);
    expect(many).toBe(few);
  });

  it("runs as many statements for an issue with many comments as for one with one", { timeout: 60_000 }, async () => {
    const most = await one<{ id: string; n: number }>("select id, comment_count as n from issues order by comment_count desc, id limit 1");
    const least = await one<{ id: string; n: number }>("select id, comment_count as n from issues where comment_count = 1 order by id limit 1");
    expect(most.n).toBeGreaterThan(5);
    const a = await countPage(issueLoader, `/issues/${most.id}`, { issueId: most.id });
    const b = await countPage(issueLoader, `/issues/${least.id}`, { issueId: least.id });
    expect(a).toBe(b);
  });
});
