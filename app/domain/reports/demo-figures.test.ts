import { beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../../db/seed/demo";
import { systemClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { todayOf } from "../care/care.server";
import { liaisonOverview } from "../liaison/liaison.server";
import { lastEndedPeriod } from "../liaison/rules";
import { programmeFigures } from "./figures.server";
import { defaultPeriod } from "./rules";

/** The city dashboard on the demo programme: the seeds' kind of figures, and how long the aggregate queries take. */
describe("the dashboard on the demo data", () => {
  let city: { id: number; path: string };
  beforeAll(async () => {
    await getDb().transaction().execute((trx) => seedDemo(trx));
    city = await getDb().selectFrom("places").select(["id", "path"]).where("name", "=", "南昌市").executeTakeFirstOrThrow();
  });

  it("shows the verified organisations of all nine districts, the pools' 316.3 万元 and the decided issues, computed in well under a second", async () => {
    const db = getDb();
    const period = defaultPeriod(todayOf(systemClock));
    await programmeFigures(db, city.id, period); // warm the connection pool and plans
    const started = performance.now();
    const f = await programmeFigures(db, city.id, period);
    const ms = performance.now() - started;
    const verified = await db.selectFrom("organisations").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "verified").executeTakeFirstOrThrow();
    expect(f.metrics.organisations.total).toBe(Number(verified.n));
    expect(Object.values(f.metrics.organisations.byArea).filter((n) => n > 0)).toHaveLength(9);
    expect(f.metrics.poolFunds.total).toBe(316_300_000);
    expect(f.metrics.issuesDecided.byAction.mei).toBeGreaterThanOrEqual(1);
    expect(ms).toBeLessThan(1_000);
    console.warn(`programmeFigures(南昌市, ${period.from}…${period.to}): ${ms.toFixed(1)} ms`);
  });

  it("has 13 liaisons, and the city sees each one's summary of last week", async () => {
    const rows = await liaisonOverview(getDb(), [city.path], lastEndedPeriod("weekly", todayOf(systemClock)), systemClock);
    expect(rows).toHaveLength(13);
    expect(rows.filter((r) => r.state === "submitted").length).toBeGreaterThanOrEqual(8);
  });
});
