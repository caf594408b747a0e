import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../../db/seed/demo";
import { systemClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { todayOf } from "../care/care.server";
import { liaisonOverview } from "../liaison/liaison.server";
import { lastEndedPeriod } from "../liaison/rules";
import { programmeFigures } from "./figures.server";

function lastYear() {
  const today = todayOf(systemClock);
  const from = new Date(Date.parse(today) - 365 * 86_400_000).toISOString().slice(0, 10);
  return { from, to: today };
}

/** The city dashboard on the demo programme: the seeds' kind of figures, and how long the aggregate queries take. */
describe("the dashboard on the demo data", () => {
  let city: { id: number; path: string };
  beforeAll(async () => {
    await getDb().transaction().execute((trx) => seedDemo(trx));
    city = await getDb().selectFrom("places").select(["id", "path"]).where("name", "=", "南昌市").executeTakeFirstOrThrow();
  });

  it("shows the verified organisations of all nine districts, the pools' money and the decided issues, computed in well under a second", async () => {
    const db = getDb();
    // The last year: the earlier rounds' pools were topped up 190 and 290 days ago.
    const period = lastYear();
    await programmeFigures(db, city.id, period); // warm the connection pool and plans
    const started = performance.now();
    const f = await programmeFigures(db, city.id, period);
    const ms = performance.now() - started;
    const verified = await db.selectFrom("organisations").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "verified").executeTakeFirstOrThrow();
    expect(f.metrics.organisations.total).toBe(Number(verified.n));
    expect(Object.values(f.metrics.organisations.byArea).filter((n) => n > 0)).toHaveLength(9);
    // 316.3 万元 of this year's pools, 820 万 and 810 万元 of the earlier rounds' (db/seed/history.ts).
    expect(f.metrics.poolFunds.total).toBe(316_300_000 + 820_000_000 + 810_000_000);
    expect(f.metrics.issuesDecided.byAction.mei).toBeGreaterThanOrEqual(1);
    expect(ms).toBeLessThan(1_000);
    console.warn(`programmeFigures(南昌市, ${period.from}…${period.to}): ${ms.toFixed(1)} ms`);
  });

  it("reproduces the programme's figures: 560 projects, 448 万元 leveraged, residents' satisfaction and people served", async () => {
    const f = await programmeFigures(getDb(), city.id, lastYear());
    expect(f.metrics.projects.total).toBe(560);
    expect(f.metrics.leveraged.total).toBe(448_000_000);
    expect(Object.values(f.metrics.projects.byArea).filter((n) => n > 0)).toHaveLength(9);
    expect(f.metrics.satisfaction.total).toBeGreaterThan(380);
    expect(f.metrics.beneficiaries.total).toBeGreaterThan(10_000);
    expect(f.metrics.disbursed.total).toBeLessThanOrEqual(f.metrics.grantsAwarded.total);
    expect(f.stories).toHaveLength(5);
    expect(f.topProjects).toHaveLength(10);
    expect(f.projectStatus.total.closed).toBeGreaterThan(500);
  });

  it("has 13 liaisons, and the city sees each one's summary of last week", async () => {
    const rows = await liaisonOverview(getDb(), [city.path], lastEndedPeriod("weekly", todayOf(systemClock)), systemClock);
    expect(rows).toHaveLength(13);
    expect(rows.filter((r) => r.state === "submitted").length).toBeGreaterThanOrEqual(8);
  });
});
