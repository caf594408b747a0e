import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { poolBalance } from "../../app/domain/ledger/ledger.server";
import { validateUscc } from "../../app/lib/uscc";
import { authenticate } from "../../app/domain/accounts/accounts.server";
import { ancestry } from "../../app/domain/places/places.server";
import { systemClock } from "../../app/platform/clock";
import { getDb } from "../../app/platform/db.server";
import { validateIdCard } from "../../app/lib/idcard";
import { decryptField } from "../../app/platform/crypto.server";
import { listIssues, listReadyForCall } from "../../app/domain/issues/issues.server";
import { isVerifiedResident } from "../../app/domain/residents/residents.server";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, seedDemo } from "./demo";
import { demoTotpSecret } from "./demo-totp";
import { DEMO_RESIDENTS } from "./issues";

describe("demo data", () => {
  let seedMs = 0;
  beforeAll(async () => {
    const started = performance.now();
    await getDb().transaction().execute((trx) => seedDemo(trx));
    seedMs = performance.now() - started;
  });

  // Measured on the shared 2-core machine: ≈1.1–1.7 s before the earlier rounds (db/seed/history.ts),
  // which add ≈0.9–1.1 s; a first start (migrations and seed) took 4–6 s at a load of 13, and the
  // seed alone 9.6 s inside the full test suite at a load of 25. The bound is the first start's
  // budget of about 10 s with room for the suite running beside it.
  it("loads in under 12 seconds even beside the test suite (a first start waits for it)", () => {
    console.warn(`seedDemo: ${seedMs.toFixed(0)} ms`);
    expect(seedMs).toBeLessThan(12_000);
  });

  it("enrols every demo staff account in two-step sign-in with its demo secret, and no resident", async () => {
    const db = getDb();
    const rows = await db.selectFrom("user_mfa as m").innerJoin("users as u", "u.id", "m.user_id").select(["u.phone", "m.secret_enc", "m.enabled_at"]).execute();
    const phones = rows.map((r) => r.phone);
    for (const p of ["13900000001", "13900000002", "13900000004", "13900000006", "13900000007", "13900000021", "13900000061"]) expect(phones).toContain(p);
    expect(phones).not.toContain("13900000009");
    expect(phones).not.toContain("13900000008");
    const officer = rows.find((r) => r.phone === "13900000002")!;
    expect(officer.enabled_at).not.toBeNull();
    expect(decryptField(officer.secret_enc)).toBe(demoTotpSecret("13900000002"));
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
    expect([...roles].sort()).toEqual(["admin", "auditor", "community_staff", "liaison", "officer", "org_member", "privacy_officer", "resident", "reviewer"]);
    const first = DEMO_ACCOUNTS[0];
    await expect(authenticate(db, { phone: first.phone, password: DEMO_PASSWORD }, { userId: null, ip: "127.0.0.1" }, systemClock)).resolves.toBeTruthy();
  });

  it("holds about 400 organisations in every district, each with a valid code, mostly verified", async () => {
    const db = getDb();
    const orgs = await db
      .selectFrom("organisations as o")
      .innerJoin("places as p", "p.id", "o.place_id")
      .select(["o.name", "o.uscc", "o.status", "p.level", "p.name as district", "o.service_areas"])
      .execute();
    expect(orgs.length).toBeGreaterThanOrEqual(400);
    expect(orgs.every((o) => o.uscc !== null && validateUscc(o.uscc).ok)).toBe(true);
    expect(new Set(orgs.map((o) => o.uscc)).size).toBe(orgs.length);
    expect(orgs.every((o) => o.level === "district" && o.service_areas.length > 0)).toBe(true);
    expect(new Set(orgs.map((o) => o.district)).size).toBe(9);
    expect(orgs.filter((o) => o.status === "verified").length / orgs.length).toBeGreaterThan(0.75);
    const named = orgs.filter((o) => ["江西省照明电器协会", "南昌心灵家园成长中心", "南昌乐清商会", "上坊路社区爱心妈妈志愿服务团"].includes(o.name));
    expect(named.map((o) => o.status)).toEqual(["verified", "verified", "verified", "verified"]);
  });

  it("makes the demo organisation member the 负责人 of 江西省照明电器协会", async () => {
    const row = await getDb()
      .selectFrom("organisation_members as m")
      .innerJoin("users as u", "u.id", "m.user_id")
      .innerJoin("organisations as o", "o.id", "m.organisation_id")
      .select(["u.phone", "o.name", "m.org_role"])
      .execute();
    expect(row).toContainEqual({ phone: "13900000008", name: "江西省照明电器协会", org_role: "lead" });
  });

  it("seeds the pools the seeds name, their totals in the ledger", async () => {
    const db = getDb();
    const pools = await db.selectFrom("funding_pools").select(["id", "name"]).orderBy("name").execute();
    const totals = Object.fromEntries(await Promise.all(pools.map(async (p) => [p.name, (await poolBalance(db, p.id)).total])));
    expect(totals).toEqual({
      "2026年市福彩公益金社区社会组织服务项目": 163_000_000,
      "南昌慈善总会“为民爱民”专项基金": 60_000_000,
      "党建引领小微创投": 6_000_000,
      "青云谱区“点亮桔灯”社区微创投": 87_300_000,
      // The earlier rounds (db/seed/history.ts): what their projects took, rounded up to 10 万元.
      "南昌市社区公益创投第一期资金": 820_000_000,
      "南昌市社区公益创投第二期资金": 810_000_000,
    });
  });

  it("carries 点亮桔灯 through every stage of a grant, with realistic committed and disbursed figures and a demo member", async () => {
    const db = getDb();
    const pool = await db.selectFrom("funding_pools").select("id").where("name", "like", "%点亮桔灯%").executeTakeFirstOrThrow();
    const balance = await poolBalance(db, pool.id);
    expect(balance.committed).toBeGreaterThan(30_000_000);
    expect(balance.disbursed).toBeGreaterThan(10_000_000);
    expect(balance.committed).toBeLessThanOrEqual(balance.total);
    const statuses = await db.selectFrom("grants").select("status").where("pool_id", "=", pool.id).distinct().execute();
    expect(new Set(statuses.map((s) => s.status))).toEqual(new Set(["publicity", "in_progress", "awaiting_evaluation", "closed", "terminated"]));
    const evaluations = await db.selectFrom("grant_evaluations").select("id").execute();
    expect(evaluations.length).toBeGreaterThanOrEqual(20);
    const member = await db.selectFrom("users").select("id").where("phone", "=", "13900000026").executeTakeFirst();
    expect(member).toBeDefined();
  });

  it("adds the earlier rounds: 560 projects and 448 万元 of 撬动 in all, every pool's ledger adding up", async () => {
    const db = getDb();
    const projects = await db.selectFrom("grants").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "<>", "withdrawn").executeTakeFirstOrThrow();
    expect(Number(projects.n)).toBe(560);
    const leveraged = await db
      .selectFrom("bid_pledges as p")
      .innerJoin("grants as g", "g.bid_id", "p.bid_id")
      .select((eb) => eb.fn.sum<number>("p.value_fen").as("s"))
      .where("g.status", "<>", "withdrawn")
      .executeTakeFirstOrThrow();
    expect(Number(leveraged.s)).toBe(448_000_000);
    // Every pool: nothing committed beyond what was put in, nothing paid beyond what was committed.
    const pools = await db.selectFrom("funding_pools").select("id").execute();
    for (const p of pools) {
      const b = await poolBalance(db, p.id);
      expect(b.available).toBeGreaterThanOrEqual(0);
      expect(b.disbursed).toBeLessThanOrEqual(b.committed);
      expect(b.total).toBe(b.available + b.committed);
    }
    // Every grant: its commitment less releases equals what it was awarded (or paid, when terminated), and it was never overpaid.
    const grants = await db
      .selectFrom("grants as g")
      .leftJoin("ledger_entries as l", "l.grant_id", "g.id")
      .select([
        "g.id",
        "g.status",
        "g.amount_fen",
        sql<number>`coalesce(sum(l.amount_fen) filter (where l.kind = 'commit'), 0) - coalesce(sum(l.amount_fen) filter (where l.kind = 'release'), 0)`.as("awarded"),
        sql<number>`coalesce(sum(l.amount_fen) filter (where l.kind = 'disburse'), 0) - coalesce(sum(l.amount_fen) filter (where l.kind = 'refund'), 0)`.as("paid"),
      ])
      .groupBy("g.id")
      .execute();
    for (const g of grants) {
      expect(Number(g.paid)).toBeLessThanOrEqual(Number(g.awarded));
      if (g.status === "closed") expect([Number(g.awarded), Number(g.paid)]).toEqual([Number(g.amount_fen), Number(g.amount_fen)]);
    }
    // Paid tranches have their disbursement records, one ledger row each.
    const unrecorded = await db
      .selectFrom("ledger_entries as l")
      .leftJoin("disbursements as d", "d.ledger_entry_id", "l.id")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("l.kind", "=", "disburse")
      .where("d.id", "is", null)
      .executeTakeFirstOrThrow();
    expect(Number(unrecorded.n)).toBe(0);
  });

  it("loads care targets with valid encrypted ID numbers and the story of 符明, matched to 张元平 for six months until he found a job", async () => {
    const db = getDb();
    const targets = await db.selectFrom("care_targets").select(["id", "name", "id_number_enc", "minor_at_referral", "guardian_relation"]).execute();
    expect(targets.length).toBeGreaterThanOrEqual(24);
    for (const t of targets) expect(validateIdCard(decryptField(t.id_number_enc)).ok).toBe(true);
    const fu = targets.find((t) => t.name.startsWith("符明"))!;
    expect(fu).toMatchObject({ minor_at_referral: true, guardian_relation: "祖父" });
    const match = await db
      .selectFrom("care_matches as m")
      .innerJoin("users as u", "u.id", "m.user_id")
      .select(["u.phone", "m.carer_kind", "m.status"])
      .where("m.target_id", "=", fu.id)
      .executeTakeFirstOrThrow();
    expect(match).toEqual({ phone: "13900000020", carer_kind: "social_worker", status: "active" });
    const services = await db.selectFrom("care_services").select(["kind", "served_on"]).where("target_id", "=", fu.id).orderBy("served_on").execute();
    expect(new Set(services.map((s) => s.kind))).toEqual(new Set(["心理疏导", "社会融入", "就业帮扶"]));
    const months = (services[services.length - 1].served_on.getTime() - services[0].served_on.getTime()) / (30 * 86_400_000);
    expect(months).toBeGreaterThanOrEqual(6);
    const outcome = await db.selectFrom("care_outcomes").select("description").where("target_id", "=", fu.id).executeTakeFirstOrThrow();
    expect(outcome.description).toContain("找到公益性岗位工作");
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
    const lighting = await db.selectFrom("issues").select(["status", "action_type"]).where("title", "=", "小区照明太差，老人夜里出行不便").executeTakeFirstOrThrow();
    expect(lighting).toEqual({ status: "in_call", action_type: "mei" });
    const ready = await listReadyForCall(db, city.path);
    expect(ready.map((r) => r.title)).not.toContain("小区照明太差，老人夜里出行不便");
    expect(ready.find((r) => r.title === "残疾人家庭出行难，希望加装无障碍坡道")).toMatchObject({ actionType: "fu", placeName: "朝阳社区", budgetEstimateFen: 2_000_000 });
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

  it("seeds 点亮桔灯 (36 projects from 16 organisations in three batches), the lighting call with its in-kind lights, and a city call", async () => {
    const db = getDb();
    const orange = await db
      .selectFrom("bids as b")
      .innerJoin("calls as c", "c.id", "b.call_id")
      .select(["b.organisation_id", "b.id"])
      .where("c.title", "like", "“点亮桔灯”%")
      .where("b.status", "=", "submitted")
      .execute();
    expect(orange).toHaveLength(36);
    expect(new Set(orange.map((b) => b.organisation_id)).size).toBe(16);
    const requested = await db.selectFrom("bid_budget_lines").select((eb) => eb.fn.sum<number>("amount_fen").as("s")).where("bid_id", "in", orange.map((b) => b.id)).executeTakeFirstOrThrow();
    expect(Number(requested.s)).toBe(87_300_000);
    const lamps = await db
      .selectFrom("bid_pledges as p")
      .innerJoin("bids as b", "b.id", "p.bid_id")
      .innerJoin("organisations as o", "o.id", "b.organisation_id")
      .select(["p.description", "p.kind"])
      .where("o.name", "=", "江西省照明电器协会")
      .orderBy("p.position")
      .execute();
    expect(lamps.map((p) => p.description)).toEqual(["太阳能庭院灯 10 盏", "太阳能楼道灯 30 盏", "儿童护眼学习台灯 15 台"]);
    expect(lamps.every((p) => p.kind === "in_kind")).toBe(true);
    const submittedReviews = await db.selectFrom("review_assignments").select((eb) => eb.fn.countAll<number>().as("n")).where("status", "=", "submitted").executeTakeFirstOrThrow();
    expect(Number(submittedReviews.n)).toBeGreaterThan(20);
    const tranches = await db.selectFrom("bid_milestones").select(["bid_id", (eb) => eb.fn.sum<number>("tranche_pct").as("s")]).groupBy("bid_id").execute();
    expect(tranches.every((t) => Number(t.s) === 100)).toBe(true);
    expect(await db.selectFrom("calls").select("title").where("title", "=", "2026年市福彩公益金社区社会组织服务项目").executeTakeFirst()).toBeTruthy();
  });
});
