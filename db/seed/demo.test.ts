import { beforeAll, describe, expect, it } from "vitest";
import { authenticate } from "../../app/domain/accounts/accounts.server";
import { ancestry } from "../../app/domain/places/places.server";
import { systemClock } from "../../app/platform/clock";
import { getDb } from "../../app/platform/db.server";
import { listIssues, listReadyForCall } from "../../app/domain/issues/issues.server";
import { isVerifiedResident } from "../../app/domain/residents/residents.server";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "./demo";
import { DEMO_RESIDENTS } from "./issues";

describe("demo data", () => {
  let seconds = 0;
  beforeAll(async () => {
    const started = performance.now();
    await getDb().transaction().execute((trx) => seedDemo(trx));
    seconds = (performance.now() - started) / 1000;
  });

  it("loads in under 3 seconds", () => {
    expect(seconds).toBeLessThan(3);
  });

  it("loads 南昌市 with its districts (division codes) and the communities the seeds name", async () => {
    const db = getDb();
    const codes = await db.selectFrom("places").select(["name", "code"]).where("level", "=", "district").orderBy("code").execute();
    expect(codes).toEqual([
      { name: "东湖区", code: "360102" },
      { name: "西湖区", code: "360103" },
      { name: "青云谱区", code: "360104" },
      { name: "青山湖区", code: "360111" },
      { name: "新建区", code: "360112" },
      { name: "红谷滩区", code: "360113" },
      { name: "南昌县", code: "360121" },
      { name: "安义县", code: "360123" },
      { name: "进贤县", code: "360124" },
    ]);
    for (const [community, trail] of [
      ["灌婴路社区", "江西省 南昌市 西湖区 朝农街道 灌婴路社区"],
      ["广南社区", "江西省 南昌市 西湖区 南站街道 广南社区"],
      ["上坊路社区", "江西省 南昌市 青山湖区 塘山镇 上坊路社区"],
    ]) {
      const p = await db.selectFrom("places").select(["path"]).where("name", "=", community).executeTakeFirstOrThrow();
      expect((await ancestry(db, p)).map((a) => a.name).join(" ")).toBe(trail);
    }
    expect(await db.selectFrom("places").select("id").where("name", "=", "招贤镇").executeTakeFirst()).toBeTruthy();
  });

  it("creates one demo account per role, each able to log in with the README password", async () => {
    const db = getDb();
    const roles = new Set(DEMO_ACCOUNTS.map((a) => a.role));
    expect([...roles].sort()).toEqual(["admin", "community_staff", "liaison", "officer", "org_member", "resident", "reviewer"]);
    const first = DEMO_ACCOUNTS[0];
    await expect(authenticate(db, { phone: first.phone, password: DEMO_PASSWORD }, { userId: null, ip: "127.0.0.1" }, systemClock)).resolves.toBeTruthy();
  });

  it("has at least 60 issues across at least 6 communities, with supports and comments, and exact counters", async () => {
    const db = getDb();
    const rows = await db.selectFrom("issues").select(["place_id", "support_count", "comment_count", "id"]).execute();
    expect(rows.length).toBeGreaterThanOrEqual(60);
    expect(new Set(rows.map((r) => r.place_id)).size).toBeGreaterThanOrEqual(6);
    const supports = await db.selectFrom("issue_supports").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(rows.reduce((n, r) => n + r.support_count, 0)).toBe(Number(supports.n));
    expect(rows.filter((r) => r.comment_count > 0).length).toBeGreaterThan(20);
  });

  it("tells 广南社区's lighting story (转入创投, 邻里美) and 灌婴路社区's two families (邻里亲, referred to 南昌乐清商会)", async () => {
    const db = getDb();
    const city = await db.selectFrom("places").select("path").where("name", "=", "南昌市").executeTakeFirstOrThrow();
    const search = await listIssues(db, { sort: "supported", q: "照明", placePath: city.path, limit: 50 });
    expect(search.items.map((i) => i.title)).toContain("小区照明太差，老人夜里出行不便");
    const ready = await listReadyForCall(db, city.path);
    expect(ready.find((r) => r.title === "小区照明太差，老人夜里出行不便")).toMatchObject({ actionType: "mei", placeName: "广南社区", budgetEstimateFen: 3_800_000 });
    const referral = await db
      .selectFrom("roundtable_decisions as d")
      .innerJoin("issues as i", "i.id", "d.issue_id")
      .select(["d.kind", "d.referred_to", "i.action_type", "i.status"])
      .where("i.title", "=", "两户困难家庭急需社会帮扶")
      .executeTakeFirstOrThrow();
    expect(referral).toEqual({ kind: "referral", referred_to: "南昌乐清商会", action_type: "qin", status: "decided" });
  });

  it("makes the demo residents verified residents of their communities", async () => {
    const db = getDb();
    for (const r of DEMO_RESIDENTS.slice(0, 3)) {
      const user = await db.selectFrom("users").select("id").where("phone", "=", r.phone).executeTakeFirstOrThrow();
      const place = await db.selectFrom("places").select("path").where("name", "=", r.community).executeTakeFirstOrThrow();
      expect(await isVerifiedResident(db, user.id, place.path)).toBe(true);
    }
  });
});
