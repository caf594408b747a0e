import type { Kysely } from "kysely";
import { shanghaiDate } from "../../app/lib/dates";
import type { ActionTypeCode, BudgetCategory, Database, PledgeKind } from "../schema";

/**
 * Demo calls, bids and reviews:
 * - 青云谱区's 点亮桔灯: 36 projects from 16 organisations. One bid per organisation per call is a
 *   rule, so the programme runs as three batches (批次) on the same pool — 16 + 12 + 8 bids — the
 *   first closed and reviewed (some reviews still outstanding), the others closed and open.
 * - the call answering 广南社区's lighting issue (邻里美, 市福彩公益金 pool): 江西省照明电器协会's bid
 *   with its in-kind lights, closed and reviewed, ready for an award (issue 5).
 * - the 市福彩公益金 call for the whole city, open now, with a few bids.
 */

const DAY = 86_400_000;
const LIGHTING_ISSUE = "小区照明太差，老人夜里出行不便";

export const DEMO_REVIEWERS = [
  { phone: "13900000031", name: "评审专家 李老师" },
  { phone: "13900000032", name: "评审专家 陈老师" },
];

const RUBRIC = [
  { name: "需求回应", description: "是否回应居民议定的真实需求，服务对象是否明确", weight: 30 },
  { name: "方案可行性", description: "实施计划、进度与团队能力是否可行", weight: 30 },
  { name: "预算合理性", description: "预算是否合理、与活动匹配", weight: 20 },
  { name: "资源撬动", description: "配套资金、实物和志愿服务等社会资源", weight: 10 },
  { name: "可持续性", description: "项目结束后能否持续发挥作用", weight: 10 },
];

const PROJECT_THEMES: Array<[ActionTypeCode, string, string, string]> = [
  ["fu", "桔灯暖巢·独居老人助餐陪伴", "独居老人", "每周两次上门送餐并陪伴聊天，建立紧急联络卡。"],
  ["fu", "四点半课堂·双职工子女课后托管", "双职工家庭儿童", "放学后在社区活动室开展作业辅导与阅读。"],
  ["qin", "一户一策·困难家庭结对帮扶", "低保和困难家庭", "社工与志愿者结对入户，链接救助与就业资源。"],
  ["he", "邻里和事佬·楼栋纠纷调解", "楼栋居民", "培训楼栋调解员，建立“小事不出楼”调解机制。"],
  ["mei", "桔灯小院·楼道环境微改造", "老旧小区居民", "发动居民清理楼道堆物，美化公共空间。"],
  ["he", "心灵驿站·精神障碍康复者社区支持", "精神障碍康复者家庭", "开展康复小组与家属喘息服务。"],
  ["fu", "银龄课堂·老人智能手机培训", "老年居民", "志愿者手把手教老人挂号、缴费、防诈骗。"],
  ["mei", "邻里文化节·百家宴", "社区全体居民", "举办文化节和百家宴，增进邻里感情。"],
  ["qin", "困境儿童成长陪伴", "困境儿童", "一对一陪伴、学业辅导和心理关爱。"],
];

interface SeedIds {
  placeIds: Map<string, number>;
  /** Demo account ids by phone. */
  userIds: Map<string, string>;
  orgIds: Map<string, string>;
  /** Pool ids by name (seedPools). */
  poolIds: Map<string, string>;
  passwordHash: string;
}

interface BidSeed {
  organisationId: string;
  projectName: string;
  actionType: ActionTypeCode;
  group: string;
  summary: string;
  amountFen: number;
  pledges: Array<{ source: string; kind: PledgeKind; description: string; valueFen: number }>;
  milestones?: Array<{ title: string; deliverable: string; tranchePct: number }>;
  lines?: Array<{ category: BudgetCategory; description: string; amountFen: number }>;
}

export async function seedCalls(trx: Kysely<Database>, ids: SeedIds): Promise<{ calls: number; bids: number }> {
  const now = Date.now();
  const at = (days: number) => new Date(now + days * DAY);
  const ymd = (days: number) => shanghaiDate(at(days));
  const place = (name: string) => ids.placeIds.get(name)!;
  const cityOfficer = ids.userIds.get("13900000002")!;
  const districtOfficer = ids.userIds.get("13900000003")!;
  const liaisonXihu = ids.userIds.get("13900000004")!;

  const reviewerRows = await trx
    .insertInto("users")
    .values(DEMO_REVIEWERS.map((r) => ({ phone: r.phone, display_name: r.name, password_hash: ids.passwordHash })))
    .returning("id")
    .execute();
  await trx.insertInto("role_assignments").values(reviewerRows.map((r) => ({ user_id: r.id, role: "reviewer" as const }))).execute();
  const reviewers = [ids.userIds.get("13900000007")!, ...reviewerRows.map((r) => r.id)];

  // --- Calls -------------------------------------------------------------------------------------
  const orange = ids.poolIds.get("青云谱区“点亮桔灯”社区微创投")!;
  const lottery = ids.poolIds.get("2026年市福彩公益金社区社会组织服务项目")!;
  const qingyunpu = place("青云谱区");
  const callSeeds = [
    {
      key: "orange1",
      place_id: qingyunpu,
      title: "“点亮桔灯”社区微创投（第一批）",
      description: "围绕青云谱区各社区幸福圆桌会议定的养老、托幼、扶弱需求，征集社区社会组织服务项目。第一批重点支持“邻里扶”“邻里亲”项目。",
      action_type: "fu" as ActionTypeCode,
      pool_id: orange,
      cap_fen: 3_500_000,
      total_budget_fen: 40_000_000,
      eligible_district_ids: [qingyunpu],
      opens_at: at(-75),
      closes_at: at(-45),
      project_start: ymd(-30),
      project_end: ymd(150),
      created_by: districtOfficer,
      published_by: districtOfficer,
    },
    {
      key: "orange2",
      place_id: qingyunpu,
      title: "“点亮桔灯”社区微创投（第二批）",
      description: "第二批重点支持“邻里和”“邻里美”项目：矛盾纠纷调解、精神障碍康复支持、楼道和院落环境微改造。",
      action_type: "he" as ActionTypeCode,
      pool_id: orange,
      cap_fen: 3_500_000,
      total_budget_fen: 30_000_000,
      eligible_district_ids: [qingyunpu],
      opens_at: at(-40),
      closes_at: at(-5),
      project_start: ymd(10),
      project_end: ymd(200),
      created_by: districtOfficer,
      published_by: districtOfficer,
    },
    {
      key: "orange3",
      place_id: qingyunpu,
      title: "“点亮桔灯”社区微创投（第三批）",
      description: "第三批面向尚未承接项目的社区社会组织，支持文化、体育和困境儿童关爱小项目。",
      action_type: "qin" as ActionTypeCode,
      pool_id: orange,
      cap_fen: 3_500_000,
      total_budget_fen: 17_300_000,
      eligible_district_ids: [qingyunpu],
      opens_at: at(-10),
      closes_at: at(20),
      project_start: ymd(35),
      project_end: ymd(220),
      created_by: districtOfficer,
      published_by: districtOfficer,
    },
    {
      key: "lighting",
      place_id: place("西湖区"),
      title: "广南社区“点亮回家路”照明改善项目招募",
      description: "广南社区幸福圆桌会议定：小区路灯和楼道照明不足，列入“邻里美”微创投。招募社会组织承接照明改善，鼓励链接企业捐赠灯具等实物支持。",
      action_type: "mei" as ActionTypeCode,
      pool_id: lottery,
      cap_fen: 4_000_000,
      total_budget_fen: 4_000_000,
      eligible_district_ids: [],
      opens_at: at(-9),
      closes_at: at(-2),
      project_start: ymd(7),
      project_end: ymd(120),
      created_by: liaisonXihu,
      published_by: cityOfficer,
    },
    {
      key: "lottery",
      place_id: place("南昌市"),
      title: "2026年市福彩公益金社区社会组织服务项目",
      description: "市福彩公益金支持社区社会组织开展“四项行动”服务项目，计划购买约 33 个项目。欢迎全市已查验的社区社会组织申报。",
      action_type: "fu" as ActionTypeCode,
      pool_id: lottery,
      cap_fen: 5_000_000,
      total_budget_fen: 120_000_000,
      eligible_district_ids: [],
      opens_at: at(-5),
      closes_at: at(25),
      project_start: ymd(45),
      project_end: ymd(330),
      created_by: cityOfficer,
      published_by: cityOfficer,
    },
  ];
  const calls = await trx
    .insertInto("calls")
    .values(
      callSeeds.map(({ key: _key, ...c }) => ({
        ...c,
        required_attachments: ["登记证书", "项目预算表"],
        reviewers_per_bid: 2,
        status: "published" as const,
        created_at: new Date(c.opens_at.getTime() - 3 * DAY),
        updated_at: c.opens_at,
        published_at: c.opens_at,
      })),
    )
    .returning("id")
    .execute();
  const callId = Object.fromEntries(callSeeds.map((c, i) => [c.key, calls[i].id])) as Record<(typeof callSeeds)[number]["key"], string>;
  await trx
    .insertInto("call_criteria")
    .values(calls.flatMap((c) => RUBRIC.map((r, position) => ({ call_id: c.id, position, ...r }))))
    .execute();
  await trx
    .insertInto("call_changes")
    .values(callSeeds.map((c, i) => ({ call_id: calls[i].id, kind: "publish" as const, at: c.opens_at, actor_id: c.published_by, before: "{}", after: JSON.stringify({ closesAt: c.closes_at.toISOString(), totalBudgetFen: c.total_budget_fen }) })))
    .execute();

  // The lighting issue, when the issues' demo data is loaded, is the one the lighting call answers.
  const lightingIssue = await trx
    .selectFrom("issues")
    .select(["id", "status"])
    .where("title", "=", LIGHTING_ISSUE)
    .where("place_id", "=", place("广南社区"))
    .where("status", "=", "decided")
    .executeTakeFirst();
  if (lightingIssue) {
    await trx.insertInto("call_issues").values({ call_id: callId.lighting, issue_id: lightingIssue.id }).execute();
    await trx.updateTable("issues").set({ status: "in_call", status_changed_at: at(-9) }).where("id", "=", lightingIssue.id).execute();
    await trx
      .insertInto("issue_events")
      .values({ issue_id: lightingIssue.id, at: at(-9), actor_id: cityOfficer, from_status: "decided", to_status: "in_call", note: "招贤榜「广南社区“点亮回家路”照明改善项目招募」已发布，招募社会组织承接" })
      .execute();
  }

  // --- Bids --------------------------------------------------------------------------------------
  const qyOrgs = await trx
    .selectFrom("organisations")
    .select(["id", "name"])
    .where("place_id", "=", qingyunpu)
    .where("status", "=", "verified")
    .orderBy("name")
    .limit(16)
    .execute();
  // 36 amounts in pairs around 24 250 元 (+d, −d): they add up to the programme's 87.3 万元.
  const orangeAmount = (k: number) => 2_425_000 + (k % 2 === 0 ? 1 : -1) * (Math.floor(k / 2) % 9) * 100_000;
  const batches: Array<[keyof typeof callId, number, number]> = [
    ["orange1", 0, 16],
    ["orange2", 0, 12],
    ["orange3", 4, 12],
  ];
  const bidSeeds: Array<BidSeed & { call: keyof typeof callId; submittedAt: Date }> = [];
  let k = 0;
  for (const [call, from, to] of batches) {
    for (const org of qyOrgs.slice(from, to)) {
      const [actionType, theme, group, summary] = PROJECT_THEMES[k % PROJECT_THEMES.length];
      bidSeeds.push({
        call,
        organisationId: org.id,
        projectName: `${theme}（${org.name.replace(/^南昌市?|青云谱区/g, "").slice(0, 8)}）`,
        actionType,
        group,
        summary,
        amountFen: orangeAmount(k),
        pledges: k % 3 === 0 ? [{ source: "辖区爱心企业", kind: "cash", description: "配套活动经费", valueFen: 500_000 }] : k % 3 === 1 ? [{ source: "社区志愿者", kind: "in_kind", description: "志愿服务 200 小时", valueFen: 400_000 }] : [],
        submittedAt: at(call === "orange1" ? -50 : call === "orange2" ? -8 : -2),
      });
      k++;
    }
  }
  const lamp = ids.orgIds.get("江西省照明电器协会")!;
  bidSeeds.push({
    call: "lighting",
    organisationId: lamp,
    projectName: "广南社区“点亮回家路”照明改善",
    actionType: "mei",
    group: "广南小区 1–12 栋居民（老人 320 人）",
    summary: "为广南小区中心院落安装太阳能庭院灯、12 栋楼道安装太阳能楼道灯，为困难家庭儿童送护眼学习台灯；协会会员企业捐赠灯具，技术人员上门安装并维护一年。",
    amountFen: 2_800_000,
    lines: [
      { category: "物资", description: "安装辅材、线材与支架", amountFen: 1_200_000 },
      { category: "人员", description: "安装调试人工", amountFen: 900_000 },
      { category: "宣传", description: "居民安全用电与节能宣传", amountFen: 300_000 },
      { category: "其他", description: "一年维护巡检", amountFen: 400_000 },
    ],
    pledges: [
      { source: "江西省照明电器协会会员企业", kind: "in_kind", description: "太阳能庭院灯 10 盏", valueFen: 1_500_000 },
      { source: "江西省照明电器协会会员企业", kind: "in_kind", description: "太阳能楼道灯 30 盏", valueFen: 900_000 },
      { source: "江西省照明电器协会会员企业", kind: "in_kind", description: "儿童护眼学习台灯 15 台", valueFen: 225_000 },
    ],
    milestones: [
      { title: "点位摸排与方案确认", deliverable: "安装点位清单（居民确认）", tranchePct: 30 },
      { title: "灯具安装完成", deliverable: "安装验收单与照片", tranchePct: 50 },
      { title: "回访与居民评价", deliverable: "回访记录与满意度调查", tranchePct: 20 },
    ],
    submittedAt: at(-4),
  });
  const lotteryOrgs = await trx
    .selectFrom("organisations")
    .select(["id", "name"])
    .where("status", "=", "verified")
    .where("place_id", "!=", qingyunpu)
    .where("id", "!=", lamp)
    .orderBy("name", "desc")
    .limit(5)
    .execute();
  lotteryOrgs.forEach((org, i) => {
    const [actionType, theme, group, summary] = PROJECT_THEMES[(i + 3) % PROJECT_THEMES.length];
    bidSeeds.push({ call: "lottery", organisationId: org.id, projectName: theme, actionType, group, summary, amountFen: 4_000_000 + i * 150_000, pledges: [], submittedAt: at(-3 + i * 0.3) });
  });

  const project = (call: keyof typeof callId) => callSeeds.find((c) => c.key === call)!;
  const bids = await trx
    .insertInto("bids")
    .values(
      bidSeeds.map((b) => ({
        call_id: callId[b.call],
        organisation_id: b.organisationId,
        status: "submitted" as const,
        project_name: b.projectName,
        summary: b.summary,
        beneficiary_group: b.group,
        beneficiary_count: 40 + (b.amountFen % 170),
        plan: "第一阶段：走访摸底，确定服务对象；第二阶段：按计划开展服务；第三阶段：总结评估，居民评价。",
        action_type: b.actionType,
        lead_name: "项目负责人",
        created_by: cityOfficer,
        created_at: new Date(b.submittedAt.getTime() - 2 * DAY),
        updated_at: b.submittedAt,
        submitted_at: b.submittedAt,
      })),
    )
    .returning("id")
    .execute();
  await trx
    .insertInto("bid_budget_lines")
    .values(
      bidSeeds.flatMap((b, i) =>
        (
          b.lines ?? [
            { category: "活动" as const, description: "服务活动与物料", amountFen: b.amountFen - Math.floor(b.amountFen * 0.4) },
            { category: "人员" as const, description: "社工与志愿者补贴", amountFen: Math.floor(b.amountFen * 0.4) },
          ]
        ).map((l, position) => ({ bid_id: bids[i].id, position, category: l.category, description: l.description, amount_fen: l.amountFen })),
      ),
    )
    .execute();
  const pledgeRows = bidSeeds.flatMap((b, i) => b.pledges.map((p, position) => ({ bid_id: bids[i].id, position, source: p.source, kind: p.kind, description: p.description, value_fen: p.valueFen })));
  if (pledgeRows.length) await trx.insertInto("bid_pledges").values(pledgeRows).execute();
  await trx
    .insertInto("bid_milestones")
    .values(
      bidSeeds.flatMap((b, i) => {
        const c = project(b.call);
        const start = Date.parse(`${c.project_start}T12:00:00+08:00`);
        const span = Date.parse(`${c.project_end}T12:00:00+08:00`) - start;
        const ms = b.milestones ?? [
          { title: "中期", deliverable: "中期报告与活动记录", tranchePct: 50 },
          { title: "结项", deliverable: "结项报告与居民评价", tranchePct: 50 },
        ];
        return ms.map((m, position) => ({
          bid_id: bids[i].id,
          position,
          title: m.title,
          deliverable: m.deliverable,
          tranche_pct: m.tranchePct,
          due_date: shanghaiDate(new Date(start + (span * (position + 1)) / ms.length)),
        }));
      }),
    )
    .execute();

  // --- Review: 点亮桔灯 batch 1 and the lighting call --------------------------------------------
  await trx
    .insertInto("call_reviewers")
    .values(["orange1", "lighting"].flatMap((c) => reviewers.map((user_id) => ({ call_id: callId[c as keyof typeof callId], user_id, appointed_by: c === "lighting" ? cityOfficer : districtOfficer }))))
    .execute();
  const reviewed = bidSeeds.map((b, i) => ({ ...b, id: bids[i].id, i })).filter((b) => b.call === "orange1" || b.call === "lighting");
  const assignments = reviewed.flatMap((b, j) =>
    [0, 1].map((r) => ({
      call_id: callId[b.call],
      bid_id: b.id,
      reviewer_id: reviewers[(j * 2 + r) % reviewers.length],
      // The last three of batch 1 still wait for one reviewer's scores.
      status: (j >= 13 && j < 16 && r === 1 ? "accepted" : "submitted") as "accepted" | "submitted",
      assigned_at: at(-44),
      declared_at: at(-43),
      submitted_at: j >= 13 && j < 16 && r === 1 ? null : at(-40 + j / 10),
    })),
  );
  const assignmentIds = await trx.insertInto("review_assignments").values(assignments).returning("id").execute();
  await trx
    .insertInto("review_scores")
    .values(
      assignments.flatMap((a, n) =>
        a.status !== "submitted"
          ? []
          : RUBRIC.map((c, position) => {
              // Deterministic scores between about 60 % and 95 % of each weight; one pair disagrees.
              const pct = 0.6 + (((n * 7 + position * 3) % 8) / 8) * 0.35 - (n === 5 ? 0.3 : 0);
              return { assignment_id: assignmentIds[n].id, criterion_position: position, score: Math.max(0, Math.round(c.weight * pct)), comment: pct > 0.8 ? "较好" : "基本符合要求" };
            }),
      ),
    )
    .execute();

  return { calls: calls.length, bids: bids.length };
}
