import type { Kysely } from "kysely";
import type { ISSUE_CATEGORIES, ORGANISATION_TYPES } from "../../app/domain/vocabulary";
import { makeUscc } from "../../app/lib/uscc";
import type { Database, OrganisationStatus } from "../schema";
import { JIANGXI, type PlaceSeed } from "./places";

type OrgType = (typeof ORGANISATION_TYPES)[number];
type Category = (typeof ISSUE_CATEGORIES)[number];

interface OrganisationSeed {
  name: string;
  /** 9 characters: 登记管理部门 + 机构类别 (5 民政: 1 社会团体, 2 民办非企业单位, 3 基金会, 9 其他) + 行政区划码 + "MJ". */
  kind: "51" | "52" | "53" | "59";
  region: string;
  district: string;
  type: OrgType;
  bureau: string;
  address: string;
  contactPerson: string;
  serviceAreas: Category[];
  introduction: string;
}

/** The organisations the seeds name, with their full profiles; all verified. */
export const DEMO_ORGANISATIONS: OrganisationSeed[] = [
  {
    name: "江西省照明电器协会",
    kind: "51",
    region: "360000",
    district: "西湖区",
    type: "行业协会商会",
    bureau: "江西省民政厅",
    address: "南昌市西湖区抚河北路 291 号",
    contactPerson: "赵会长",
    serviceAreas: ["社区环境", "治安", "扶弱"],
    introduction:
      "全省照明电器行业的行业协会。通过南昌市“幸福圆桌会”了解到广南社区楼道、院落照明不足，协会组织会员企业捐赠太阳能庭院灯 10 盏、楼道灯 30 盏、护眼台灯 15 台，并派技术人员上门安装。",
  },
  {
    name: "南昌心灵家园成长中心",
    kind: "52",
    region: "360112",
    district: "新建区",
    type: "社会工作服务机构",
    bureau: "新建区民政局",
    address: "南昌市新建区长堎镇文化大道 66 号",
    contactPerson: "刘社工",
    serviceAreas: ["特殊群体关爱", "扶弱", "托幼"],
    introduction:
      "专业社会工作服务机构，长期承接“数字民政”重点关爱对象的个案服务，为困境儿童、孤寡老人和心理困扰青少年提供心理疏导、社会融入与就业帮扶，曾陪伴一名封闭在家的青年半年直至其找到工作。",
  },
  {
    name: "南昌乐清商会",
    kind: "51",
    region: "360103",
    district: "西湖区",
    type: "行业协会商会",
    bureau: "南昌市民政局",
    address: "南昌市西湖区丁公路 128 号",
    contactPerson: "林秘书长",
    serviceAreas: ["扶弱", "乡村振兴"],
    introduction:
      "在昌乐清籍企业家的商会。积极参与“邻里亲”行动，灌婴路社区圆桌会反映两户家庭生活困难后，商会捐助慰问金 2000 元和生活物资 12 份，并与两户家庭建立长期结对帮扶。",
  },
  {
    name: "上坊路社区爱心妈妈志愿服务团",
    kind: "59",
    region: "360111",
    district: "青山湖区",
    type: "志愿服务组织",
    bureau: "青山湖区民政局",
    address: "南昌市青山湖区塘山镇上坊路社区服务中心",
    contactPerson: "胡妈妈",
    serviceAreas: ["托幼", "特殊群体关爱", "文化"],
    introduction: "由社区热心妈妈组成的志愿服务团，为留守儿童和困境儿童提供课后陪伴、作业辅导和周末亲子活动，每周固定在社区“四点半课堂”服务。",
  },
];

/** A small deterministic generator, so every demo database holds the same organisations. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DistrictSeed {
  name: string;
  code: string;
  localities: string[];
}

function districtsOf(root: PlaceSeed): DistrictSeed[] {
  const out: DistrictSeed[] = [];
  const walk = (n: PlaceSeed) => {
    if (n.level === "district") {
      const localities = (n.children ?? []).flatMap((s) => [s.name, ...(s.children ?? []).map((c) => c.name)]);
      out.push({ name: n.name, code: n.code!, localities });
    } else (n.children ?? []).forEach(walk);
  };
  walk(root);
  return out;
}

const TEMPLATES: Array<{ type: OrgType; kind: OrganisationSeed["kind"]; name: (place: string, word: string) => string; areas: Category[]; intro: string }> = [
  { type: "生活服务类", kind: "52", name: (p) => `${p}邻里互助服务中心`, areas: ["养老", "扶弱", "物业"], intro: "为社区居民提供助餐、代办、家电维修等便民服务，组织邻里互助小组。" },
  { type: "生活服务类", kind: "52", name: (p, w) => `${p}${w}居家养老服务中心`, areas: ["养老"], intro: "为辖区高龄、空巢老人提供助餐、助洁、助浴和定期探访服务。" },
  { type: "公益慈善类", kind: "51", name: (p) => `${p}爱心公益协会`, areas: ["扶弱", "特殊群体关爱"], intro: "联系辖区爱心企业和居民，为困难家庭开展节日慰问、助学和物资帮扶。" },
  { type: "专业调处类", kind: "52", name: (p) => `${p}“和事佬”调解工作室`, areas: ["纠纷调解", "物业"], intro: "由退休法官、律师和老党员组成，调解邻里、物业和家庭矛盾纠纷。" },
  { type: "治保维稳类", kind: "59", name: (p) => `${p}平安志愿巡逻队`, areas: ["治安", "社区环境"], intro: "组织居民志愿者开展夜间巡逻、防火防盗宣传和重点时段值守。" },
  { type: "社会工作服务机构", kind: "52", name: (_p, w) => `南昌市${w}社会工作服务中心`, areas: ["特殊群体关爱", "扶弱", "托幼"], intro: "专业社工机构，承接困境儿童、残疾人、低保家庭的个案和小组服务。" },
  { type: "志愿服务组织", kind: "59", name: (p) => `${p}党员志愿服务队`, areas: ["社区环境", "文化", "养老"], intro: "由社区在职党员和退休党员组成，开展环境整治、文明劝导和结对帮扶。" },
  { type: "志愿服务组织", kind: "51", name: (p) => `${p}青年志愿者协会`, areas: ["文化", "体育", "托幼"], intro: "组织辖区青年开展四点半课堂、全民健身和文明实践志愿服务。" },
  { type: "慈善组织", kind: "53", name: (p, w) => `${p}${w}慈善基金会`, areas: ["扶弱", "乡村振兴"], intro: "募集社会捐赠，资助困难群众医疗救助、助学和乡村人居环境改善。" },
  { type: "枢纽型社会组织", kind: "51", name: (p) => `${p}社区社会组织联合会`, areas: ["其他", "文化"], intro: "孵化和培育辖区社区社会组织，提供场地、培训和项目申报指导。" },
  { type: "行业协会商会", kind: "51", name: (_p, w) => `南昌市${w}商会`, areas: ["扶弱", "乡村振兴"], intro: "凝聚在昌企业家力量，参与社区公益，开展就业帮扶和消费帮扶。" },
  { type: "生活服务类", kind: "59", name: (p) => `${p}文体活动队`, areas: ["文化", "体育"], intro: "组织广场舞、太极拳、合唱等文体活动，丰富居民精神文化生活。" },
];

const WORDS = ["同心", "启航", "阳光", "和美", "暖心", "善达", "仁爱", "博爱", "红叶", "桔灯", "映山红", "赣鄱", "滕王", "豫章", "洪城", "绿洲", "晨曦", "乐龄", "向日葵", "益民"];
const CHAMBERS = ["温州", "福建", "莆田", "浙江", "湖南", "广东", "潮汕", "安徽", "湖北", "四川", "台州", "宁波", "晋江", "义乌", "丽水", "河南", "山东", "江苏", "重庆", "贵州"];
const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "罗", "熊", "万", "涂", "彭", "邓"];
const TITLES = ["老师", "女士", "先生", "主任", "会长", "社工"];
const ROADS = ["洪都中大道", "井冈山大道", "八一大道", "象山北路", "北京西路", "上海路", "解放西路", "丰和中大道", "昌南大道", "迎宾大道"];
const RETURN_REASONS = ["登记证书扫描件不清晰，请重新上传后提交", "填写的登记管理机关与证书不一致", "服务领域与章程规定的业务范围不符，请核对"];

/** How many generated organisations the demo holds, beside the four the seeds name (≈ 400 in all). */
export const GENERATED_ORGANISATIONS = 396;

function generated(count: number): Array<OrganisationSeed & { status: OrganisationStatus }> {
  const rnd = prng(20261124);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const districts = districtsOf(JIANGXI);
  const seen = new Set(DEMO_ORGANISATIONS.map((o) => o.name));
  const out: Array<OrganisationSeed & { status: OrganisationStatus }> = [];
  while (out.length < count) {
    const d = pick(districts);
    const t = pick(TEMPLATES);
    const locality = rnd() < 0.25 ? d.name : pick(d.localities);
    const name = t.name(locality, t.type === "行业协会商会" ? pick(CHAMBERS) : pick(WORDS));
    if (seen.has(name)) continue;
    seen.add(name);
    const roll = rnd();
    out.push({
      name,
      kind: t.kind,
      region: d.code,
      district: d.name,
      type: t.type,
      bureau: t.type === "行业协会商会" || t.type === "社会工作服务机构" ? "南昌市民政局" : `${d.name}民政局`,
      address: `南昌市${d.name}${pick(ROADS)}${1 + Math.floor(rnd() * 400)}号`,
      contactPerson: `${pick(SURNAMES)}${pick(TITLES)}`,
      serviceAreas: t.areas.filter((_, i) => i === 0 || rnd() < 0.6),
      introduction: `${name}扎根${locality}，${t.intro}欢迎居民和爱心单位一起参与。`,
      status: roll < 0.86 ? "verified" : roll < 0.96 ? "pending" : "returned",
    });
  }
  return out;
}

/**
 * The organisations of the demo programme: the four the seeds name and several hundred more across
 * Nanchang's districts, each with a valid 统一社会信用代码, one multi-row insert.
 */
export async function seedOrganisations(trx: Kysely<Database>, placeIds: Map<string, number>): Promise<Map<string, string>> {
  const rows = [...DEMO_ORGANISATIONS.map((o) => ({ ...o, status: "verified" as const })), ...generated(GENERATED_ORGANISATIONS)];
  const base = Date.parse("2026-02-01T01:00:00Z");
  const inserted = await trx
    .insertInto("organisations")
    .values(
      rows.map((o, i) => {
        const at = new Date(base + i * 5 * 3600_000);
        return {
          name: o.name,
          uscc: makeUscc(`${o.kind}${o.region}MJ${String(i + 1).padStart(6, "0")}`),
          type: o.type,
          registering_bureau: o.bureau,
          place_id: placeIds.get(o.district)!,
          address: o.address,
          contact_person: o.contactPerson,
          contact_phone: `1387910${String(i).padStart(4, "0")}`,
          service_areas: o.serviceAreas,
          introduction: o.introduction,
          status: o.status,
          verified_at: o.status === "verified" ? new Date(at.getTime() + 2 * 86400_000) : null,
          returned_at: o.status === "returned" ? new Date(at.getTime() + 86400_000) : null,
          return_reason: o.status === "returned" ? RETURN_REASONS[i % RETURN_REASONS.length] : null,
          created_at: at,
          updated_at: at,
        };
      }),
    )
    .returning(["id", "name"])
    .execute();
  return new Map(inserted.map((r) => [r.name, r.id]));
}

/** Every demo account holding org_member becomes the 负责人 of its organisation. */
export async function seedOrganisationLeads(trx: Kysely<Database>): Promise<void> {
  await trx
    .insertInto("organisation_members")
    .columns(["organisation_id", "user_id", "org_role"])
    .expression((eb) =>
      eb
        .selectFrom("role_assignments")
        .select(["organisation_id", "user_id", eb.val("lead").as("org_role")])
        .where("role", "=", "org_member")
        .where("revoked_at", "is", null)
        .where("organisation_id", "is not", null),
    )
    .execute();
}
