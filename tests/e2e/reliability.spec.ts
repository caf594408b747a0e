import { randomUUID } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import pg from "pg";
import { e2eDatabaseUrl } from "./db";
import { DEMO } from "./demo-accounts";
import { signedInRequest } from "./helpers";

/**
 * The app's database connections are cut (pg_terminate_backend on every backend of the app) three
 * times during a burst of supports and pool top-ups (ledger rows). Every write the app acknowledged
 * (HTTP 200 with ok) must be in the database afterwards; nothing answers 500 (an outage is a 503);
 * and the app works again without a restart. Runs in its own Playwright project after all other
 * specs (playwright.config.ts): cutting connections would fail their requests.
 */

const GUANGNAN_RESIDENTS = ["13900000009", "13900000010", "13900000011", "13900000012"];

async function signedIn(baseURL: string, phone: string): Promise<APIRequestContext> {
  return signedInRequest(baseURL, phone);
}

/** An action's answer through Remix single fetch (`<path>.data`): its status and whether it carries the success message. */
async function post(ctx: APIRequestContext, url: string, form: Record<string, string>, success: string): Promise<{ status: number; ok: boolean }> {
  try {
    const r = await ctx.post(`${url}.data`, { form, maxRedirects: 0, failOnStatusCode: false, timeout: 20_000 });
    const text = await r.text();
    return { status: r.status(), ok: r.status() === 200 && text.includes(success) };
  } catch (e) {
    if (process.env.RELIABILITY_DEBUG) console.log("post failed", url, String(e).slice(0, 300));
    return { status: 0, ok: false }; // the connection itself failed: not acknowledged
  }
}

test("no acknowledged support or ledger write is lost when the app's database connections are terminated mid-run, and the app recovers without a restart", async ({ baseURL }) => {
  test.setTimeout(180_000);
  const db = new pg.Client({ connectionString: e2eDatabaseUrl(), application_name: "e2e-reliability" });
  await db.connect();
  try {
    const issues = (
      await db.query<{ id: string }>(
        `select i.id from issues i join places p on p.id = i.place_id
          where p.name = '广南社区' and i.hidden_at is null and i.status in ('pending', 'accepted', 'scheduled', 'decided', 'in_call', 'in_progress', 'awaiting_evaluation')
          order by i.created_at limit 8`,
      )
    ).rows.map((r) => r.id);
    expect(issues.length).toBeGreaterThan(0);
    const pool = (await db.query<{ id: string }>("select id from funding_pools where name like '%点亮桔灯%' limit 1")).rows[0];
    expect(pool).toBeDefined();

    const residents = await Promise.all(GUANGNAN_RESIDENTS.map(async (phone) => ({ phone, ctx: await signedIn(baseURL!, phone) })));
    const ids = new Map((await db.query<{ id: string; phone: string }>("select id, phone from users where phone = any($1)", [GUANGNAN_RESIDENTS])).rows.map((r) => [r.phone, r.id]));
    const officer = await signedIn(baseURL!, DEMO.districtOfficer);

    // Withdraw first, so each support in the burst is a new row.
    for (const r of residents) for (const issueId of issues) await post(r.ctx, `/issues/${issueId}`, { intent: "withdraw" }, "已撤回附议");

    const acknowledged = { supports: [] as Array<{ issueId: string; userId: string }>, topups: [] as string[] };
    const statuses: Record<number, number> = {};
    const count = (s: number) => (statuses[s] = (statuses[s] ?? 0) + 1);

    const supports = (async () => {
      for (const issueId of issues) {
        await Promise.all(
          residents.map(async (r) => {
            const res = await post(r.ctx, `/issues/${issueId}`, { intent: "support" }, "已附议");
            count(res.status);
            if (res.ok) acknowledged.supports.push({ issueId, userId: ids.get(r.phone)! });
          }),
        );
      }
    })();
    const topups = (async () => {
      for (let i = 0; i < 12; i++) {
        const reason = `可靠性测试注资 ${randomUUID()}`;
        const res = await post(officer, `/bureau/pools/${pool.id}`, { amount: "1.00", reason, idempotencyKey: randomUUID() }, "已注资");
        count(res.status);
        if (res.ok) acknowledged.topups.push(reason);
      }
    })();
    // Cut every backend of the app's database three times while the burst runs.
    let terminated = 0;
    const cuts = (async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 150 + i * 200));
        const { rows } = await db.query<{ n: string }>(
          `select count(*) filter (where pg_terminate_backend(pid)) as n from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
              and application_name not like 'e2e-%'`,
        );
        terminated += Number(rows[0].n);
      }
    })();
    await Promise.all([supports, topups, cuts]);

    expect(terminated, "backends terminated during the burst").toBeGreaterThan(0);
    expect(statuses[500] ?? 0, `statuses ${JSON.stringify(statuses)}`).toBe(0);
    expect(acknowledged.supports.length + acknowledged.topups.length, `some writes were acknowledged (statuses ${JSON.stringify(statuses)})`).toBeGreaterThan(0);

    // Every acknowledged write is there.
    for (const s of acknowledged.supports) {
      const { rowCount } = await db.query("select 1 from issue_supports where issue_id = $1 and user_id = $2", [s.issueId, s.userId]);
      expect(rowCount, `acknowledged support ${JSON.stringify(s)}`).toBe(1);
    }
    for (const reason of acknowledged.topups) {
      const { rowCount } = await db.query("select 1 from ledger_entries where pool_id = $1 and kind = 'topup' and reason = $2", [pool.id, reason]);
      expect(rowCount, `acknowledged top-up ${reason}`).toBe(1);
    }
    // The support counters still equal the rows.
    const { rows: drift } = await db.query<{ id: string }>(
      "select i.id from issues i where i.id = any($1) and i.support_count <> (select count(*) from issue_supports s where s.issue_id = i.id)",
      [issues],
    );
    expect(drift).toEqual([]);

    // The app works again without a restart: ready, and a new write succeeds.
    await expect.poll(async () => (await officer.get("/readyz", { failOnStatusCode: false })).status(), { timeout: 15_000 }).toBe(200);
    const after = `可靠性测试：恢复后注资 ${randomUUID()}`;
    await expect.poll(async () => (await post(officer, `/bureau/pools/${pool.id}`, { amount: "1.00", reason: after, idempotencyKey: randomUUID() }, "已注资")).ok, { timeout: 15_000 }).toBe(true);
    const { rowCount } = await db.query("select 1 from ledger_entries where reason = $1", [after]);
    expect(rowCount).toBe(1);
    console.log(
      `reliability: ${terminated} backends terminated; ${acknowledged.supports.length} supports and ${acknowledged.topups.length} top-ups acknowledged, all present; statuses ${JSON.stringify(statuses)}`,
    );
    for (const r of residents) await r.ctx.dispose();
    await officer.dispose();
  } finally {
    await db.end();
  }
});
