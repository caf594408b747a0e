import pg from "pg";
import { bigrams } from "../app/domain/issues/rules";
import { ISSUE_CATEGORIES } from "../app/domain/vocabulary";
import { makeIdCard } from "../app/lib/idcard";
import { makeUscc } from "../app/lib/uscc";
import { blindIndex, careKeys, encryptField } from "../app/platform/crypto.server";
import { hashPassword } from "../app/platform/password.server";

/**
 * Deterministic synthetic data at province scale (issue 9), generated inside PostgreSQL with
 * `INSERT … SELECT generate_series(…)`: no rows travel over the wire except the few that need
 * Node (统一社会信用代码 and ID numbers with their check characters, the care envelopes).
 * Ids are md5-derived UUIDs (md5('u' || n)::uuid …), so every run produces the same rows and a
 * row's id can be computed from its number without a join. Random choices come from random()
 * after setseed() on one connection, and inserts never run in parallel, so they repeat too.
 */

export type Scale = "province" | "city" | "tiny";

export interface Volumes {
  cities: number;
  districts: number;
  streets: number;
  communities: number;
  residents: number;
  issues: number;
  supports: number;
  comments: number;
  roundtables: number;
  organisations: number;
  calls: number;
  bids: number;
  grants: number;
  ledger: number;
  careTargets: number;
  serviceLogs: number;
}

const PROVINCE: Volumes = {
  cities: 11,
  districts: 120,
  streets: 1_500,
  communities: 20_000,
  residents: 2_000_000,
  issues: 500_000,
  supports: 5_000_000,
  comments: 1_500_000,
  roundtables: 60_000,
  organisations: 30_000,
  calls: 5_000,
  bids: 60_000,
  grants: 20_000,
  ledger: 300_000,
  careTargets: 100_000,
  serviceLogs: 1_000_000,
};

const TINY: Volumes = {
  cities: 2,
  districts: 4,
  streets: 8,
  communities: 20,
  residents: 400,
  issues: 120,
  supports: 1_200,
  comments: 360,
  roundtables: 12,
  organisations: 16,
  calls: 4,
  bids: 24,
  grants: 8,
  ledger: 120,
  careTargets: 20,
  serviceLogs: 200,
};

export function volumesFor(scale: Scale): Volumes {
  if (scale === "province") return PROVINCE;
  if (scale === "tiny") return TINY;
  return Object.fromEntries(Object.entries(PROVINCE).map(([k, v]) => [k, Math.max(1, Math.round(v / 10))])) as unknown as Volumes;
}

/**
 * Fixed care keys for benchmark databases (synthetic data only): the seed encrypts with them and
 * the benchmarked production server, which refuses to run care features without keys, gets them.
 */
export const BENCH_CARE_ENV = {
  CARE_ENCRYPTION_KEYS: `bench:${Buffer.alloc(32, 7).toString("base64")}`,
  CARE_HMAC_KEY: Buffer.alloc(32, 9).toString("base64"),
};

/** Every seeded account has this password (one argon2 hash shared by all, computed once). */
export const BENCH_PASSWORD = "linli-bench-2026";
/** Residents' phones: 13 + the resident number on 9 digits; staff: 19 + 9 digits. */
export const residentPhone = (n: number) => `13${String(n).padStart(9, "0")}`;
export const staffPhone = (n: number) => `19${String(n).padStart(9, "0")}`;
/** The anchor of all dates: data is "now" at this instant, whatever day the seed runs. */
export const ANCHOR = "2026-11-01T00:00:00Z";

/** Place ids: province 1, then cities, districts, streets, communities in blocks. */
export function placeIds(v: Volumes) {
  const city = 1;
  const district = city + v.cities;
  const street = district + v.districts;
  const community = street + v.streets;
  return { province: 1, cityBase: city, districtBase: district, streetBase: street, communityBase: community };
}

const TITLES = [
  "小区路灯损坏夜间出行不便",
  "楼道照明长期不亮",
  "老年人助餐点太远",
  "儿童放学后无人照看",
  "垃圾分类投放点异味大",
  "电动车充电桩不够用",
  "小区绿化带被占用种菜",
  "独居老人缺少探访",
  "社区活动室开放时间太短",
  "积水路段雨天无法通行",
  "广场舞噪音扰民",
  "停车位紧张消防通道被占",
  "残疾人出行无障碍设施缺失",
  "农村留守儿童课后辅导",
  "邻里纠纷缺少调解渠道",
  "健身器材老化存在隐患",
  "菜市场周边环境脏乱",
  "高空抛物屡禁不止",
  "物业服务响应慢",
  "村道缺少安全护栏",
];

const DESCRIPTIONS = [
  "居民反映这一问题已经持续了好几个月，多次向物业和社区反映，希望能尽快协商解决，改善大家的生活。",
  "每天早晚高峰时段情况尤其严重，老人和孩子出行存在安全隐患，建议社区组织居民代表实地查看后商量办法。",
  "附近几栋楼的住户都有同样的困扰，大家愿意出力参与，希望社区能够牵头，联系相关部门和社会组织一起想办法。",
  "问题看起来不大，但影响到很多家庭的日常生活，特别是行动不便的长辈，希望能列入幸福圆桌会议题讨论。",
  "我们整理了居民的意见，初步有三种方案，希望听取更多邻居的想法，在圆桌会上形成共识后再推进。",
];

const COMMENTS = [
  "同意，我家也遇到过这个情况。",
  "建议先做个问卷，了解大家的意见。",
  "可以联系街道看看有没有专项资金支持。",
  "我愿意当志愿者参与协调。",
  "这个问题确实需要尽快解决，附议！",
  "上周圆桌会已经提到过，期待后续进展。",
  "希望物业能给个明确的答复时间。",
  "楼里的老人都很关心这件事。",
];

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈";
const GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍建华红梅鑫波斌宇浩凯健俊帆帅旭宁";

export interface SeedReport {
  scale: Scale;
  volumes: Volumes;
  seconds: Record<string, number>;
  totalSeconds: number;
}

/** Fills an empty, migrated database. `log` gets one line per step. */
export async function seedBench(connectionString: string, scale: Scale, log: (m: string) => void = () => {}): Promise<SeedReport> {
  const v = volumesFor(scale);
  const ids = placeIds(v);
  const client = new pg.Client({ connectionString });
  await client.connect();
  const seconds: Record<string, number> = {};
  const t0 = Date.now();
  const step = async (name: string, sqlText: string, params: unknown[] = []) => {
    const t = Date.now();
    await client.query("select setseed(0.20261124)");
    // One statement at a time (the extended protocol takes one), each with just the parameters it uses.
    for (const statement of sqlText.split(/;\s*\n/).map((x) => x.trim()).filter(Boolean)) {
      const used = [...new Set([...statement.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
      const text = statement.replace(/\$(\d+)/g, (_, n: string) => `$${used.indexOf(Number(n)) + 1}`);
      await client.query(text, used.map((n) => params[n - 1]));
    }
    seconds[name] = (Date.now() - t) / 1000;
    log(`${name}: ${seconds[name].toFixed(1)} s`);
  };
  try {
    const { rows: existing } = await client.query<{ n: number }>("select count(*)::int as n from places");
    if (existing[0]!.n > 0) throw new Error("数据库不是空的：bench:seed 只向刚迁移的空数据库写入");
    await client.query("set synchronous_commit = off");
    await client.query("set maintenance_work_mem = '256MB'");
    const hash = await hashPassword(BENCH_PASSWORD);
    const P = v;
    const { cityBase, districtBase, streetBase, communityBase } = ids;

    // Places: contiguous blocks, so low-numbered communities belong to low-numbered streets and districts.
    await step(
      "places",
      `
      insert into places (id, parent_id, level, name, code, path) values (1, null, 'province', '江西省', '360000', '/1/');
      insert into places (id, parent_id, level, name, code, path)
        select ${cityBase} + g, 1, 'city', '第' || g || '市', '36' || lpad(g::text, 2, '0') || '00', '/1/' || (${cityBase} + g) || '/'
        from generate_series(1, ${P.cities}) g;
      insert into places (id, parent_id, level, name, code, path)
        select ${districtBase} + g, ${cityBase} + 1 + ((g - 1) * ${P.cities}) / ${P.districts}, 'district', '第' || g || '区', '37' || lpad(g::text, 4, '0'), '~' || (${districtBase} + g)
        from generate_series(1, ${P.districts}) g;
      insert into places (id, parent_id, level, name, code, path)
        select ${streetBase} + g, ${districtBase} + 1 + ((g - 1)::bigint * ${P.districts}) / ${P.streets}, 'street', '第' || g || '街道', '38' || lpad(g::text, 7, '0'), '~' || (${streetBase} + g)
        from generate_series(1, ${P.streets}) g;
      insert into places (id, parent_id, level, name, code, path)
        select ${communityBase} + g, ${streetBase} + 1 + ((g - 1)::bigint * ${P.streets}) / ${P.communities},
               'community', (array['幸福','和平','光明','朝阳','新村','东湖','西湖','青山','桔园','广南'])[1 + g % 10] || g || (case when g % 4 = 0 then '村' else '社区' end),
               '39' || lpad(g::text, 10, '0'), '~' || (${communityBase} + g)
        from generate_series(1, ${P.communities}) g;
      update places c set path = p.path || c.id || '/' from places p where c.parent_id = p.id and c.level = 'district';
      update places c set path = p.path || c.id || '/' from places p where c.parent_id = p.id and c.level = 'street';
      update places c set path = p.path || c.id || '/' from places p where c.parent_id = p.id and c.level = 'community';
      select setval('places_id_seq', (select max(id) from places));
      `,
    );

    // Staff: 1 admin, 1 officer per city, 1 liaison per district, 1 community worker per street,
    // 50 reviewers, 1 organisation lead per organisation.
    const staff = { admin: 1, officers: P.cities + 1, liaisons: P.districts, workers: P.streets, reviewers: 50 };
    const orgLeadBase = staff.admin + staff.officers + staff.liaisons + staff.workers + staff.reviewers;
    const staffCount = orgLeadBase + P.organisations;
    await step(
      "users",
      `
      insert into users (id, phone, display_name, password_hash, created_at)
        select md5('u' || g)::uuid, '13' || lpad(g::text, 9, '0'),
               substr($1, 1 + g % ${SURNAMES.length}, 1) || substr($2, 1 + (g / ${SURNAMES.length}) % ${GIVEN.length}, 1) || substr($2, 1 + (g / 7) % ${GIVEN.length}, 1),
               $3, timestamptz '${ANCHOR}' - (g % 700) * interval '1 day'
        from generate_series(1, ${P.residents}) g;
      insert into users (id, phone, display_name, password_hash, created_at)
        select md5('s' || g)::uuid, '19' || lpad(g::text, 9, '0'), '工作人员' || g, $3, timestamptz '${ANCHOR}' - interval '800 days'
        from generate_series(1, ${staffCount}) g;
      `,
      [SURNAMES, GIVEN, hash],
    );

    // Residents: verified (approved request + resident role) in community 1 + (n-1) * C / R.
    const residentPlace = (g: string) => `${communityBase} + 1 + ((${g} - 1)::bigint * ${P.communities}) / ${P.residents}`;
    // The biggest tables are loaded with session_replication_role = replica: foreign-key checks and
    // the counting triggers do not fire for them (it is what makes 2 million residents and 5 million
    // supports fit in minutes). Their references are correct by construction, and the tiny-scale
    // test checks every foreign key of the schema and every counter. Tables whose triggers must run
    // (ledger, audit log: append-only, hash chains) are loaded normally.
    const bulk = "set session_replication_role = replica";
    const normal = "set session_replication_role = origin";
    await step(
      "residents",
      `
      ${bulk};
      insert into resident_verifications (id, user_id, place_id, real_name, address, status, decided_by, decided_at, created_at)
        select md5('rv' || g)::uuid, md5('u' || g)::uuid, ${residentPlace("g")}, '居民' || g, (g % 40 + 1) || '栋' || (g % 30 + 1) || '号',
               'approved', md5('s' || (${1 + staff.officers + staff.liaisons} + 1 + (g % ${P.streets})))::uuid,
               timestamptz '${ANCHOR}' - (g % 700) * interval '1 day', timestamptz '${ANCHOR}' - (g % 700) * interval '1 day' - interval '1 day'
        from generate_series(1, ${P.residents}) g;
      insert into role_assignments (id, user_id, role, place_id, granted_at)
        select md5('ra' || g)::uuid, md5('u' || g)::uuid, 'resident', ${residentPlace("g")}, timestamptz '${ANCHOR}' - (g % 700) * interval '1 day'
        from generate_series(1, ${P.residents}) g;
      insert into role_assignments (id, user_id, role, place_id, organisation_id)
        select md5('rs1')::uuid, md5('s1')::uuid, 'admin', null::int, null::uuid
        union all select md5('rs' || (1 + g))::uuid, md5('s' || (1 + g))::uuid, 'officer', case when g = 1 then 1 else ${cityBase} + g - 1 end, null
          from generate_series(1, ${staff.officers}) g
        union all select md5('rs' || (${1 + staff.officers} + g))::uuid, md5('s' || (${1 + staff.officers} + g))::uuid, 'liaison', ${districtBase} + g, null
          from generate_series(1, ${P.districts}) g
        union all select md5('rs' || (${1 + staff.officers + staff.liaisons} + g))::uuid, md5('s' || (${1 + staff.officers + staff.liaisons} + g))::uuid, 'community_staff', ${streetBase} + g, null
          from generate_series(1, ${P.streets}) g
        union all select md5('rs' || (${orgLeadBase - staff.reviewers} + g))::uuid, md5('s' || (${orgLeadBase - staff.reviewers} + g))::uuid, 'reviewer', null, null
          from generate_series(1, ${staff.reviewers}) g;
      -- Staff must sign in with a second factor (docs/security.md): the synthetic staff are enrolled
      -- with an authenticator nobody holds (not a valid envelope); the bench signs them in by session.
      insert into user_mfa (user_id, secret_enc, enabled_at)
        select distinct user_id, 'bench:no-secret', timestamptz '${ANCHOR}' from role_assignments where role <> 'resident';
      ${normal};
      `,
    );

    // Organisations (registered in a district), their leads as org members.
    const orgs = Array.from({ length: P.organisations }, (_, i) => {
      const n = i + 1;
      const prefix = `52360${String(n % 10)}00${String(n).padStart(8, "0")}`.replace(/[IOSVZ]/g, "0");
      return makeUscc(prefix);
    });
    await step(
      "organisations",
      `
      insert into organisations (id, name, uscc, place_id, type, registering_bureau, address, contact_person, contact_phone, service_areas, introduction, status, verified_at, updated_at, created_at)
        select md5('o' || g)::uuid,
               (array['阳光','邻里','暖心','同行','启明','益路','安康','彩虹'])[1 + g % 8] || (array['社会工作服务中心','志愿服务协会','养老服务中心','公益发展中心'])[1 + g % 4] || g,
               u.code, ${districtBase} + 1 + ((g - 1)::bigint * ${P.districts}) / ${P.organisations},
               (array['生活服务类','公益慈善类','社会工作服务机构','志愿服务组织'])[1 + g % 4], '民政局', '服务中心' || g || '号',
               '负责人' || g, '19' || lpad((${orgLeadBase} + g)::text, 9, '0'), array['养老','扶弱'], '扎根社区，提供专业服务。',
               case when g % 10 = 0 then 'pending' else 'verified' end, case when g % 10 = 0 then null else timestamptz '${ANCHOR}' - interval '300 days' end,
               timestamptz '${ANCHOR}' - interval '300 days', timestamptz '${ANCHOR}' - interval '400 days'
        from unnest($1::text[]) with ordinality as u(code, g);
      insert into organisation_members (organisation_id, user_id, org_role)
        select md5('o' || g)::uuid, md5('s' || (${orgLeadBase} + g))::uuid, 'lead' from generate_series(1, ${P.organisations}) g;
      insert into role_assignments (id, user_id, role, organisation_id)
        select md5('rso' || g)::uuid, md5('s' || (${orgLeadBase} + g))::uuid, 'org_member', md5('o' || g)::uuid from generate_series(1, ${P.organisations}) g;
      `,
      [orgs],
    );

    // Issues: skewed towards low-numbered communities (so some districts are much busier), support
    // and comment counts heavy-tailed. The counts are drawn first so the counters can be written
    // with the issue and the rows generated to match them exactly (checked at the end).
    const texts: Array<{ title: string; description: string; grams: string[] }> = [];
    for (const [ti, title] of TITLES.entries()) {
      for (const [di, description] of DESCRIPTIONS.entries()) {
        const d = `${description}${di % 2 === 0 ? "" : `（第${ti + 1}号）`}`;
        texts.push({ title, description: d, grams: bigrams(`${title} ${d}`) });
      }
    }
    const meanSupports = P.supports / P.issues;
    const meanComments = P.comments / P.issues;
    await step(
      "issues",
      `
      create temporary table bench_texts (k int primary key, title text, description text, grams text[]);
      insert into bench_texts select k - 1, t, d, (select array_agg(x) from json_array_elements_text(gr) x)
        from unnest($1::text[], $2::text[], $3::json[]) with ordinality as u(t, d, gr, k);
      create temporary table bench_issues as
        select g, ${communityBase} + 1 + least(${P.communities - 1}, floor(${P.communities} * power(random(), 2))::int) as place_id,
               least(5000, round(${meanSupports * 0.2} / power(random() * 0.9999 + 0.0001, 0.8)))::int as sc,
               least(400, round(${meanComments * 0.25} / power(random() * 0.9999 + 0.0001, 0.75)))::int as cc,
               floor(random() * ${texts.length})::int as k,
               floor(random() * ${ISSUE_CATEGORIES.length})::int as cat_raw,
               random() as r_status,
               timestamptz '${ANCHOR}' - random() * interval '730 days' as created_at
        from generate_series(1, ${P.issues}) g;
      alter table bench_issues add primary key (g);
      insert into issues (id, place_id, author_id, title, description, category, anonymous, status, action_type, support_count, comment_count,
                          created_at, status_changed_at)
        select md5('i' || b.g)::uuid, b.place_id,
               md5('u' || (1 + ((b.place_id - ${communityBase} - 1)::bigint * ${P.residents}) / ${P.communities} + b.g % greatest(1, ${Math.floor(P.residents / P.communities)})))::uuid,
               t.title, t.description,
               ($4::text[])[1 + least(b.cat_raw, floor(power(b.cat_raw::float / ${ISSUE_CATEGORIES.length}, 1.6) * ${ISSUE_CATEGORIES.length})::int)],
               b.g % 9 = 0,
               case when b.r_status < 0.35 then 'pending' when b.r_status < 0.6 then 'accepted' when b.r_status < 0.7 then 'scheduled'
                    when b.r_status < 0.78 then 'decided' when b.r_status < 0.83 then 'in_call' when b.r_status < 0.88 then 'in_progress'
                    when b.r_status < 0.92 then 'declined' else 'closed' end,
               case when b.r_status >= 0.7 and b.r_status < 0.92 then (array['qin','he','fu','mei'])[1 + b.g % 4] end,
               b.sc, b.cc, b.created_at, b.created_at + interval '3 days'
        from bench_issues b join bench_texts t on t.k = b.k
        order by b.g;
      insert into issue_search (issue_id, bigrams)
        select md5('i' || b.g)::uuid, t.grams from bench_issues b join bench_texts t on t.k = b.k order by b.g;
      insert into issue_events (issue_id, at, actor_id, from_status, to_status)
        select md5('i' || b.g)::uuid, b.created_at, md5('u' || 1)::uuid, null, 'pending' from bench_issues b;
      `,
      [texts.map((t) => t.title), texts.map((t) => t.description), texts.map((t) => JSON.stringify(t.grams)), [...ISSUE_CATEGORIES]],
    );

    // Supports and comments: exactly sc / cc rows per issue; supporter j of issue g is resident
    // 1 + (g * 7919 + j * 104729) mod R, distinct for distinct j (104729 is prime, R is not a multiple).
    // The counting triggers do not fire for the bulk load (replica role): the counters were written
    // with the issues from the same numbers, and the tiny-scale test proves them equal.
    await step(
      "supports",
      `
      ${bulk};
      insert into issue_supports (issue_id, user_id, created_at)
        select md5('i' || b.g)::uuid, md5('u' || (1 + (b.g::bigint * 7919 + j::bigint * 104729) % ${P.residents}))::uuid,
               b.created_at + j * interval '37 minutes'
        from bench_issues b, generate_series(1, b.sc) j;
      ${normal};
      `,
    );
    await step(
      "comments",
      `
      ${bulk};
      insert into issue_comments (id, issue_id, author_id, body, created_at)
        select md5('c' || b.g || '.' || j)::uuid, md5('i' || b.g)::uuid,
               md5('u' || (1 + (b.g::bigint * 15485863 + j::bigint * 7927) % ${P.residents}))::uuid,
               ($1::text[])[1 + (b.g + j) % ${COMMENTS.length}], b.created_at + j * interval '53 minutes'
        from bench_issues b, generate_series(1, b.cc) j;
      ${normal};
      `,
      [COMMENTS],
    );

    // Roundtables: in communities, run by the street's community worker.
    const workerOf = (communityExpr: string) =>
      `md5('s' || (${1 + staff.officers + staff.liaisons} + 1 + ((${communityExpr} - ${communityBase} - 1)::bigint * ${P.streets}) / ${P.communities}))::uuid`;
    await step(
      "roundtables",
      `
      insert into roundtables (id, place_id, title, starts_at, venue, capacity, description, status, created_by, created_at, published_at)
        select md5('r' || g)::uuid, p, '第' || g || '期幸福圆桌会', timestamptz '${ANCHOR}' - (g % 600) * interval '1 day' + interval '19 hours',
               '社区党群服务中心' || (g % 5 + 1) || '楼会议室', 30 + g % 20, '围绕本社区居民议题协商议事。',
               case when g % 600 < 20 then 'published' else 'concluded' end, ${workerOf("p")},
               timestamptz '${ANCHOR}' - (g % 600) * interval '1 day' - interval '14 days', timestamptz '${ANCHOR}' - (g % 600) * interval '1 day' - interval '10 days'
        from (select g, ${communityBase} + 1 + (g - 1) % ${P.communities} as p from generate_series(1, ${P.roundtables}) g) s;
      `,
    );

    // Pools (one per city and district), calls, criteria, bids, grants, milestones, ledger.
    const poolCount = P.cities + P.districts;
    await step(
      "calls",
      `
      insert into funding_pools (id, place_id, name, source, period_start, period_end, created_by)
        select md5('pool' || g)::uuid, ${cityBase} + g, '第' || g || '市福彩公益金', '市福彩公益金', date '2026-01-01', date '2026-12-31', md5('s2')::uuid
          from generate_series(1, ${P.cities}) g
        union all
        select md5('pool' || (${P.cities} + g))::uuid, ${districtBase} + g, '第' || g || '区财政', '区级财政', '2026-01-01', '2026-12-31', md5('s2')::uuid
          from generate_series(1, ${P.districts}) g;
      insert into calls (id, place_id, title, description, action_type, pool_id, cap_fen, total_budget_fen, opens_at, closes_at,
                         project_start, project_end, status, created_by, created_at, updated_at, published_at, published_by)
        select md5('call' || g)::uuid, ${districtBase} + 1 + (g - 1) % ${P.districts}, '第' || g || '批社区微创投招贤榜',
               '面向社区居民议题，征集社会组织服务项目。', (array['qin','he','fu','mei'])[1 + g % 4],
               md5('pool' || (${P.cities} + 1 + (g - 1) % ${P.districts}))::uuid, 5000000, 50000000,
               timestamptz '${ANCHOR}' - (g % 365) * interval '1 day', timestamptz '${ANCHOR}' - (g % 365) * interval '1 day' + interval '40 days',
               '2027-01-01', '2027-12-31', 'published', md5('s2')::uuid,
               timestamptz '${ANCHOR}' - (g % 365) * interval '1 day' - interval '2 days', timestamptz '${ANCHOR}' - (g % 365) * interval '1 day',
               timestamptz '${ANCHOR}' - (g % 365) * interval '1 day', md5('s2')::uuid
        from generate_series(1, ${P.calls}) g;
      insert into call_criteria (call_id, position, name, description, weight)
        select md5('call' || g)::uuid, k, (array['需求契合度','项目可行性','预算合理性'])[k], '评审要点', (array[40,30,30])[k]
        from generate_series(1, ${P.calls}) g, generate_series(1, 3) k;
      insert into bids (id, call_id, organisation_id, status, project_name, summary, beneficiary_group, beneficiary_count, plan, action_type,
                        lead_name, lead_phone, created_by, created_at, updated_at, submitted_at)
        select md5('bid' || g)::uuid, md5('call' || c)::uuid, md5('o' || (1 + (c::bigint * 13 + j) % ${P.organisations}))::uuid, 'submitted',
               '邻里守望服务项目' || g, '为社区困难群众提供服务。', '独居老人', 50 + g % 200, '分三个阶段实施。', (array['qin','he','fu','mei'])[1 + c % 4],
               '项目负责人', '19' || lpad((${orgLeadBase} + 1 + (c::bigint * 13 + j) % ${P.organisations})::text, 9, '0'),
               md5('s' || (${orgLeadBase} + 1 + (c::bigint * 13 + j) % ${P.organisations}))::uuid,
               timestamptz '${ANCHOR}' - interval '200 days', timestamptz '${ANCHOR}' - interval '200 days', timestamptz '${ANCHOR}' - interval '199 days'
        from (select g, 1 + (g - 1) % ${P.calls} as c, (g - 1) / ${P.calls} as j from generate_series(1, ${P.bids}) g) s;
      `,
    );
    // Grant g is bid g (the first bids of the first calls): its call is 1 + (g-1) % calls.
    await step(
      "grants",
      `
      insert into grants (id, call_id, bid_id, organisation_id, pool_id, place_id, project_name, action_type, amount_fen, status,
                          awarded_by, awarded_at, publicity_ends_at, established_at, evaluation_ends_at, closed_at)
        select md5('g' || g)::uuid, b.call_id, b.id, b.organisation_id, c.pool_id, c.place_id, b.project_name, b.action_type, 2000000 + (g % 30) * 100000,
               case when g % 10 < 6 then 'in_progress' when g % 10 < 8 then 'closed' when g % 10 = 8 then 'awaiting_evaluation' else 'publicity' end,
               md5('s2')::uuid, timestamptz '${ANCHOR}' - interval '150 days', timestamptz '${ANCHOR}' - interval '140 days',
               case when g % 10 = 9 then null else timestamptz '${ANCHOR}' - interval '139 days' end,
               case when g % 10 = 8 then timestamptz '${ANCHOR}' + interval '20 days' end,
               case when g % 10 in (6, 7) then timestamptz '${ANCHOR}' - interval '10 days' end
        from generate_series(1, ${P.grants}) g join bids b on b.id = md5('bid' || g)::uuid join calls c on c.id = b.call_id;
      insert into grant_milestones (grant_id, position, title, deliverable, due_date, tranche_pct, tranche_fen, status, approved_at, approved_by)
        select g.id, k, (array['启动','中期','结项'])[k], '阶段报告', date '2026-06-01' + k * 60, (array[30,40,30])[k], g.amount_fen * (array[30,40,30])[k] / 100,
               case when k = 1 and g.status <> 'publicity' then 'approved' else 'open' end,
               case when k = 1 and g.status <> 'publicity' then timestamptz '${ANCHOR}' - interval '100 days' end,
               case when k = 1 and g.status <> 'publicity' then md5('s2')::uuid end
        from grants g, generate_series(1, 3) k;
      insert into grant_issues (grant_id, issue_id) select md5('g' || g)::uuid, md5('i' || (1 + (g::bigint * 31) % ${P.issues}))::uuid from generate_series(1, ${P.grants}) g;
      insert into grant_events (grant_id, at, actor_id, kind, note)
        select id, awarded_at, awarded_by, 'awarded', '立项公示' from grants;
      `,
    );
    const topups = poolCount * 2;
    await step(
      "ledger",
      `
      insert into ledger_entries (pool_id, grant_id, kind, amount_fen, actor_user_id, at, reason)
        select md5('pool' || (1 + (g - 1) % ${poolCount}))::uuid, null, 'topup', 5000000000, md5('s2')::uuid,
               timestamptz '${ANCHOR}' - interval '330 days' + g * interval '1 minute', '年度资金注入'
        from generate_series(1, ${topups}) g;
      insert into ledger_entries (pool_id, grant_id, kind, amount_fen, actor_user_id, at, reason, payment_reference)
        select gr.pool_id, gr.id, case when k = 0 then 'commit' else 'disburse' end,
               case when k = 0 then gr.amount_fen else greatest(1, gr.amount_fen / 50) end, md5('s2')::uuid,
               gr.awarded_at + k * interval '3 days', case when k = 0 then '立项承诺' else '分期拨付' end,
               case when k = 0 then null else 'PAY' || gr.n || '-' || k end
        from (select g.*, row_number() over (order by g.id) as n from grants g) gr,
             generate_series(0, greatest(0, ${Math.floor((P.ledger - topups) / P.grants)} - 1)) k;
      `,
    );

    // Care: targets (encrypted ID numbers and phones, made in Node), one organisation match each,
    // service logs.
    const keys = careKeys();
    const enc: string[] = [];
    const hashes: string[] = [];
    const phones: string[] = [];
    for (let n = 1; n <= P.careTargets; n++) {
      // (n mod 60, n mod 12, n mod 28) repeats every 420: the sequence number tells those apart.
      const year = 1935 + (n % 60);
      const birth = `${year}${String(1 + (n % 12)).padStart(2, "0")}${String(1 + (n % 28)).padStart(2, "0")}`;
      const id = makeIdCard("360102", birth, String(Math.floor(n / 420) % 1000).padStart(3, "0"));
      enc.push(encryptField(id, keys));
      hashes.push(blindIndex(id, keys));
      phones.push(encryptField(`138${String(n).padStart(8, "0")}`, keys));
    }
    await step(
      "care",
      `
      insert into care_targets (id, place_id, name, id_number_enc, id_number_hash, sex, birth_year, phone_enc, address, groups, needs,
                                source, consent_by, consent_on, consent_method, minor_at_referral, referred_on, created_by, created_at)
        select md5('ct' || n)::uuid, ${communityBase} + 1 + ((n - 1)::bigint * ${P.communities}) / ${P.careTargets},
               substr($4::text, (1 + n % ${SURNAMES.length})::int, 1) || '某某', e, h, case when n % 2 = 0 then 'female' else 'male' end, 1935 + (n % 60), ph,
               '幸福路' || n || '号', array[(array['独居老人','困境儿童','残疾人','低保户'])[1 + n % 4]], '日常探访与生活照料',
               'community_visit', '本人', date '2026-01-01' + (n % 300)::int, 'written', false, date '2026-01-01' + (n % 300)::int, md5('s2')::uuid,
               timestamptz '${ANCHOR}' - interval '300 days'
        from unnest($1::text[], $2::text[], $3::text[]) with ordinality as u(e, h, ph, n);
      insert into care_matches (id, target_id, carer_kind, organisation_id, status, started_on, created_by)
        select md5('cm' || n)::uuid, md5('ct' || n)::uuid, 'organisation', md5('o' || (1 + n % ${P.organisations}))::uuid, 'active',
               date '2026-01-15' + (n % 300)::int, md5('s2')::uuid
        from generate_series(1, ${P.careTargets}) n;
      ${bulk};
      insert into care_services (target_id, match_id, logged_by, served_on, kind, duration_minutes, notes, follow_up, created_at)
        select md5('ct' || t)::uuid, md5('cm' || t)::uuid, md5('s' || (${orgLeadBase} + 1 + t % ${P.organisations}))::uuid,
               date '2026-01-20' + (g % 280)::int, (array['上门探访','电话关怀','生活照料','心理疏导'])[1 + g % 4], 30 + g % 90, '服务顺利完成',
               g % 17 = 0, timestamptz '${ANCHOR}' - (g % 280) * interval '1 day'
        from (select g, 1 + (g - 1) % ${P.careTargets} as t from generate_series(1, ${P.serviceLogs}) g) s;
      ${normal};
      `,
      [enc, hashes, phones, SURNAMES],
    );

    // Vacuumed as autovacuum would after a bulk load (CI's PostgreSQL here runs with autovacuum
    // off): hint bits set and the visibility map filled, so the first benchmark's reads do not do that work.
    await step(
      "audit, vacuum and analyse",
      `
      insert into audit_log (action, entity_type, summary) values ('bench.seed', 'database', $1::jsonb);
      vacuum (analyze);
      `,
      [JSON.stringify({ scale, volumes: v })],
    );
    await client.query("drop table if exists bench_issues, bench_texts");
  } finally {
    await client.end();
  }
  return { scale, volumes: v, seconds, totalSeconds: (Date.now() - t0) / 1000 };
}
