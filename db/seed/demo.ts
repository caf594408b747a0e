import type { Kysely } from "kysely";
import { createPlace } from "../../app/domain/places/places.server";
import type { RoleCode } from "../../app/domain/accounts/roles";
import { hashPassword } from "../../app/platform/password.server";
import type { Database } from "../schema";
import { seedCalls } from "./calls";
import { seedOrganisationLeads, seedOrganisations } from "./organisations";
import { seedCare } from "./care";
import { seedGrants } from "./grants";
import { seedHistory } from "./history";
import { seedIssues } from "./issues";
import { seedLiaisonWork } from "./liaison";
import { seedDemoMfa } from "./mfa";
import { JIANGXI, type PlaceSeed } from "./places";
import { seedPools } from "./pools";

/** The one password of every demo account (README lists them). */
export const DEMO_PASSWORD = "linli2026";

export interface DemoAccount {
  phone: string;
  name: string;
  role: RoleCode;
  /** Place name (unique in the demo tree) or organisation name the role is scoped to. */
  scope?: string;
}

/**
 * The programme's 13 liaisons (联络员), one per county-level bureau or hub organisation: the two
 * above (西湖区, 青云谱区), seven more districts and counties, and four hub organisations'
 * liaisons working in the central districts.
 */
const LIAISONS: DemoAccount[] = [
  { phone: "13900000041", name: "联络员 万晓琳", role: "liaison", scope: "东湖区" },
  { phone: "13900000042", name: "联络员 熊国华", role: "liaison", scope: "青山湖区" },
  { phone: "13900000043", name: "联络员 涂文静", role: "liaison", scope: "新建区" },
  { phone: "13900000044", name: "联络员 彭志远", role: "liaison", scope: "红谷滩区" },
  { phone: "13900000045", name: "联络员 邓丽萍", role: "liaison", scope: "南昌县" },
  { phone: "13900000046", name: "联络员 罗建平", role: "liaison", scope: "安义县" },
  { phone: "13900000047", name: "联络员 胡雪梅", role: "liaison", scope: "进贤县" },
  { phone: "13900000048", name: "联络员 徐子豪（东湖区社区社会组织联合会）", role: "liaison", scope: "东湖区" },
  { phone: "13900000049", name: "联络员 朱慧敏（西湖区社区社会组织联合会）", role: "liaison", scope: "西湖区" },
  { phone: "13900000050", name: "联络员 郭振宇（青云谱区社区社会组织联合会）", role: "liaison", scope: "青云谱区" },
  { phone: "13900000051", name: "联络员 何佳怡（红谷滩区社区社会组织联合会）", role: "liaison", scope: "红谷滩区" },
];

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { phone: "13900000001", name: "系统管理员", role: "admin" },
  { phone: "13900000002", name: "市民政局 刘科长", role: "officer", scope: "南昌市" },
  { phone: "13900000003", name: "青云谱区民政局 周干事", role: "officer", scope: "青云谱区" },
  { phone: "13900000025", name: "西湖区民政局 孙干事", role: "officer", scope: "西湖区" },
  { phone: "13900000004", name: "联络员 黄兆松", role: "liaison", scope: "西湖区" },
  { phone: "13900000005", name: "联络员 陈嘉瑶", role: "liaison", scope: "青云谱区" },
  { phone: "13900000006", name: "广南社区 李主任", role: "community_staff", scope: "广南社区" },
  { phone: "13900000007", name: "评审专家 王教授", role: "reviewer" },
  { phone: "13900000008", name: "照明电器协会 赵会长", role: "org_member", scope: "江西省照明电器协会" },
  { phone: "13900000009", name: "广南社区居民 张阿姨", role: "resident", scope: "广南社区" },
  { phone: "13900000020", name: "社工 张元平", role: "org_member", scope: "南昌心灵家园成长中心" },
  { phone: "13900000021", name: "隐私保护专员 吴敏", role: "privacy_officer", scope: "南昌市" },
  { phone: "13900000061", name: "审计员 钱静", role: "auditor", scope: "南昌市" },
  { phone: "13900000022", name: "乐清商会志愿者 陈立", role: "org_member", scope: "南昌乐清商会" },
  { phone: "13900000023", name: "爱心妈妈 刘桂芳", role: "org_member", scope: "上坊路社区爱心妈妈志愿服务团" },
  ...LIAISONS,
];

async function insertTree(db: Kysely<Database>, node: PlaceSeed, parentId: number | null, ids: Map<string, number>): Promise<void> {
  const place = await createPlace(db, { parentId, level: node.level, name: node.name, code: node.code ?? null });
  ids.set(node.name, place.id);
  for (const child of node.children ?? []) await insertTree(db, child, place.id, ids);
}

/** Loads the demo programme (南昌市) into an empty database; the caller holds the transaction. */
export async function seedDemo(trx: Kysely<Database>): Promise<{ places: number; users: number }> {
  const placeIds = new Map<string, number>();
  await insertTree(trx, JIANGXI, null, placeIds);

  const orgIds = await seedOrganisations(trx, placeIds);

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const userIds = new Map<string, string>();
  for (const a of DEMO_ACCOUNTS) {
    const user = await trx.insertInto("users").values({ phone: a.phone, display_name: a.name, password_hash: passwordHash }).returning("id").executeTakeFirstOrThrow();
    userIds.set(a.phone, user.id);
    await trx
      .insertInto("role_assignments")
      .values({
        user_id: user.id,
        role: a.role,
        place_id: a.role === "org_member" || !a.scope ? null : placeIds.get(a.scope)!,
        organisation_id: a.role === "org_member" ? orgIds.get(a.scope!)! : null,
      })
      .execute();
  }
  await seedOrganisationLeads(trx);
  const poolIds = await seedPools(trx, { placeIds, officerId: userIds.get("13900000002")! });
  await seedCare(trx, { places: placeIds, organisations: orgIds, users: userIds });
  const issues = await seedIssues(trx, { places: placeIds, users: userIds, passwordHash });
  // After organisations, pools and issues: calls answer the decided issues.
  const calls = await seedCalls(trx, { placeIds, userIds, orgIds, poolIds, passwordHash });
  // After the calls: awards from their bids at every stage of delivery.
  const grants = await seedGrants(trx, { userIds, passwordHash });
  // After the live grants: the earlier rounds make the programme's totals up (560 projects, 448 万元 撬动).
  const history = await seedHistory(trx, { placeIds, userIds });
  const liaisonWork = await seedLiaisonWork(trx, { places: placeIds, cityOfficer: userIds.get("13900000002")! });
  // Last: every staff account seeded above, here or in another module, signs in with a demo authenticator.
  const mfa = await seedDemoMfa(trx);
  await trx
    .insertInto("audit_log")
    .values({ action: "demo.seed", entity_type: "system", summary: JSON.stringify({ places: placeIds.size, users: DEMO_ACCOUNTS.length, ...issues, ...calls, ...grants, ...history, ...liaisonWork, mfa: mfa.enrolled }) })
    .execute();
  return { places: placeIds.size, users: DEMO_ACCOUNTS.length };
}
