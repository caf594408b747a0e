import { beforeAll, describe, expect, it } from "vitest";
import { placeTree } from "../../../tests/support/factories";
import { getDb } from "../../platform/db.server";
import { formatMoney } from "../../lib/money";
import { cachedPageFigures, cachedProgrammeFigures, clearFiguresCache, FIGURES_MAX_AGE_MS, FIGURES_STALE_LIMIT_MS, settleFiguresCache } from "./figures-cache.server";
import { pageFigures, viewFigures } from "./rules";

const PERIOD = { from: "2026-01-01", to: "2026-04-30" };
let cityId: number;
let poolId: string;

async function topUp(fen: number) {
  await getDb()
    .insertInto("ledger_entries")
    .values({ pool_id: poolId, kind: "topup", amount_fen: fen, reason: "年度注资", at: "2026-02-01T02:00:00Z" })
    .execute();
}

/** A clock for the cache: `step` ms pass at every reading (a slow computation reads it twice). */
function clock(step: number) {
  let t = 1_000_000;
  const now = () => (t += step);
  return { now, jump: (ms: number) => (t += ms) };
}

beforeAll(async () => {
  const db = getDb();
  const tree = await placeTree(db);
  cityId = tree.city.id;
  const pool = await db
    .insertInto("funding_pools")
    .values({ place_id: cityId, name: "测试福彩公益金", source: "市福彩公益金", period_start: "2026-01-01", period_end: "2026-12-31" })
    .returning("id")
    .executeTakeFirstOrThrow();
  poolId = pool.id;
  await topUp(100_000);
});

describe("dashboard figures cache", () => {
  it("keeps a fast computation exact: every request sees the latest rows", async () => {
    clearFiguresCache();
    const c = clock(0);
    const first = await cachedProgrammeFigures(getDb(), cityId, PERIOD, c.now);
    await topUp(50_000);
    const second = await cachedProgrammeFigures(getDb(), cityId, PERIOD, c.now);
    expect(second.figures.pools[0]!.fen - first.figures.pools[0]!.fen).toBe(50_000);
  });

  it("reuses a slow computation for a minute, then serves it while a fresh one is computed in the background", async () => {
    clearFiguresCache();
    const c = clock(1_000);
    const first = await cachedProgrammeFigures(getDb(), cityId, PERIOD, c.now);
    await topUp(7_000);
    const cached = await cachedProgrammeFigures(getDb(), cityId, PERIOD, c.now);
    expect(cached.figures.pools[0]!.fen).toBe(first.figures.pools[0]!.fen);
    expect(cached.computedAt).toEqual(first.computedAt);
    c.jump(FIGURES_MAX_AGE_MS + 1);
    // Past a minute: nobody waits; this request still gets the old figures, and starts one refresh.
    const stale = await cachedProgrammeFigures(getDb(), cityId, PERIOD, c.now);
    expect(stale.figures).toBe(first.figures);
    await settleFiguresCache();
    const fresh = await cachedProgrammeFigures(getDb(), cityId, PERIOD, c.now);
    expect(fresh.figures.pools[0]!.fen - first.figures.pools[0]!.fen).toBe(7_000);
    expect(fresh.computedAt.getTime()).toBeGreaterThan(first.computedAt.getTime());
  });

  it("never serves figures older than the stale limit: past it, the request waits for fresh ones", async () => {
    clearFiguresCache();
    const c = clock(1_000);
    const first = await cachedProgrammeFigures(getDb(), cityId, PERIOD, c.now);
    await topUp(3_000);
    c.jump(FIGURES_STALE_LIMIT_MS + 1);
    const fresh = await cachedProgrammeFigures(getDb(), cityId, PERIOD, c.now);
    expect(fresh.figures.pools[0]!.fen - first.figures.pools[0]!.fen).toBe(3_000);
  });

  it("past the stale limit, waits for a refresh already under way instead of starting another", async () => {
    clearFiguresCache();
    const c = clock(1_000);
    const first = await cachedProgrammeFigures(getDb(), cityId, PERIOD, c.now);
    c.jump(FIGURES_MAX_AGE_MS + 1);
    await topUp(2_000);
    const pending = cachedProgrammeFigures(getDb(), cityId, PERIOD, c.now); // starts the refresh
    c.jump(FIGURES_STALE_LIMIT_MS);
    const waited = await cachedProgrammeFigures(getDb(), cityId, PERIOD, c.now);
    expect((await pending).figures).toBe(first.figures);
    expect(waited.figures.pools[0]!.fen - first.figures.pools[0]!.fen).toBe(2_000);
    // It is the refresh started before the jump, not a computation of its own started after it.
    expect(waited.computedAt.getTime()).toBeLessThan(first.computedAt.getTime() + FIGURES_STALE_LIMIT_MS);
  });

  it("lets concurrent requests share one computation", async () => {
    clearFiguresCache();
    const c = clock(0);
    const [a, b] = await Promise.all([cachedProgrammeFigures(getDb(), cityId, PERIOD, c.now), cachedProgrammeFigures(getDb(), cityId, PERIOD, c.now)]);
    expect(a.figures).toBe(b.figures);
  });

  it("formats a shared figures object once per mode, as viewFigures would, and a new object anew", async () => {
    clearFiguresCache();
    const { figures } = await cachedProgrammeFigures(getDb(), cityId, PERIOD, clock(0).now);
    const forPublic = cachedPageFigures(figures, true);
    expect(cachedPageFigures(figures, true)).toBe(forPublic);
    expect(forPublic).toEqual(pageFigures(viewFigures(figures, { suppressCare: true, format: formatMoney })));
    const forCare = cachedPageFigures(figures, false);
    expect(forCare).not.toBe(forPublic);
    expect(forCare).toEqual(pageFigures(viewFigures(figures, { suppressCare: false, format: formatMoney })));
    await topUp(5_000);
    clearFiguresCache();
    const { figures: next } = await cachedProgrammeFigures(getDb(), cityId, PERIOD, clock(0).now);
    expect(cachedPageFigures(next, true)).not.toBe(forPublic);
    expect(cachedPageFigures(next, true).poolsBySource).not.toEqual(forPublic.poolsBySource);
  });
});
