import { beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../platform/clock";
import { getDb } from "../../platform/db.server";
import { createUser, placeTree, scoped } from "../../../tests/support/factories";
import { insertTarget } from "../../../tests/support/care-factories";
import type { CareActor } from "./access.server";
import { exportTargets, readTarget, unmaskTarget } from "./care.server";
import { accessReport } from "./report.server";

let tree: Awaited<ReturnType<typeof placeTree>>;
let privacy: CareActor;
const targets: string[] = [];

beforeAll(async () => {
  const db = getDb();
  tree = await placeTree(db);
  const p = await createUser(db, { roles: [{ role: "privacy_officer", place: tree.city }] });
  privacy = { userId: p.id, roles: [scoped("privacy_officer", tree.city)] };
  for (let i = 0; i < 60; i++) targets.push((await insertTarget(db, i % 2 ? tree.communityA1 : tree.communityA2)).id);
});

/** Audit rows as reads at a given Shanghai time (the log takes its time from the database, so tests write them directly). */
async function readsAt(userId: string, day: string, targetIds: string[]) {
  await getDb()
    .insertInto("audit_log")
    .values(targetIds.map((id) => ({ at: `${day}T09:00:00+08:00`, actor_user_id: userId, actor_role: "officer", action: "care.read", entity_type: "care_target", entity_id: id, place_id: tree.communityA1.id, summary: "{}" })))
    .execute();
}

describe("access report for the privacy officer", () => {
  it("counts reads, distinct records, unmasks and exports per reader, and flags more than 50 records in a day", async () => {
    const db = getDb();
    const heavy = await createUser(db, { name: "大量查阅者" });
    const light = await createUser(db, { name: "正常查阅者" });
    await readsAt(heavy.id, "2026-05-10", targets.slice(0, 51));
    await readsAt(light.id, "2026-05-10", targets.slice(0, 3));
    await readsAt(light.id, "2026-05-11", targets.slice(0, 3));
    const report = await accessReport(db, privacy, { placeId: tree.city.id, from: "2026-05-01", to: "2026-05-31" });
    const h = report.find((r) => r.userId === heavy.id)!;
    const l = report.find((r) => r.userId === light.id)!;
    expect(h).toMatchObject({ name: "大量查阅者", reads: 51, distinctTargets: 51, busiestDay: { day: "2026-05-10", distinct: 51 } });
    expect(h.flaggedDays.map((d) => [d.day, d.flags])).toEqual([["2026-05-10", ["over_daily_limit", "above_own_baseline"]]]);
    expect(l).toMatchObject({ reads: 6, distinctTargets: 3, flaggedDays: [] });
    expect(report[0].userId).toBe(heavy.id);
  });

  it("flags a day above three times the reader's own 30-day average", async () => {
    const db = getDb();
    const reader = await createUser(db, { name: "逐渐增多者" });
    for (let d = 1; d <= 30; d++) await readsAt(reader.id, `2026-03-${String(d).padStart(2, "0")}`, targets.slice(0, 4));
    await readsAt(reader.id, "2026-03-31", targets.slice(0, 13));
    await readsAt(reader.id, "2026-04-01", targets.slice(0, 12));
    const report = await accessReport(db, privacy, { placeId: tree.city.id, from: "2026-03-31", to: "2026-04-01" });
    const r = report.find((x) => x.userId === reader.id)!;
    expect(r.flaggedDays).toEqual([{ day: "2026-03-31", distinct: 13, baseline: 4, flags: ["above_own_baseline"] }]);
    expect(r.reads).toBe(25);
  });

  it("includes real reads, unmasks and exports from the domain, and is refused to anyone but a privacy officer of the place", async () => {
    const db = getDb();
    const o = await createUser(db, { name: "区干部" });
    const officer = { userId: o.id, roles: [scoped("officer", tree.districtA)] };
    await readTarget(db, officer, { userId: o.id }, fixedClock("2026-06-01T10:00:00+08:00"), targets[0]);
    await unmaskTarget(db, officer, { userId: o.id }, targets[0], "核对身份信息");
    await exportTargets(db, officer, { userId: o.id }, tree.districtA.id);
    // These audit rows carry the database's clock, so the period spans any date the test may run on.
    const report = await accessReport(db, privacy, { placeId: tree.city.id, from: "2000-01-01", to: "2100-12-31" });
    expect(report.find((r) => r.userId === o.id)).toMatchObject({ reads: 1, unmasks: 1, exports: 1, exportedRows: 60, distinctTargets: 1 });
    await expect(accessReport(db, officer, { placeId: tree.city.id, from: "2026-01-01", to: "2026-12-31" })).rejects.toThrow("没有权限");
    const siblingPrivacy = { userId: privacy.userId, roles: [scoped("privacy_officer", tree.districtB)] };
    await expect(accessReport(db, siblingPrivacy, { placeId: tree.city.id, from: "2026-01-01", to: "2026-12-31" })).rejects.toThrow("没有权限");
  });
});
