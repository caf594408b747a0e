import type { Kysely } from "kysely";
import { prepareTarget, todayOf } from "../../app/domain/care/care.server";
import { addDays } from "../../app/domain/care/rules";
import type { TargetInput } from "../../app/domain/care/schema";
import type { CARE_GROUPS } from "../../app/domain/vocabulary";
import { makeIdCard } from "../../app/lib/idcard";
import type { Database } from "../schema";

export interface CareSeedIds {
  places: Map<string, number>;
  organisations: Map<string, string>;
  /** demo users by phone */
  users: Map<string, string>;
}

/** County-level codes for the ID numbers of people registered in each district. */
const REGION: Record<string, string> = {
  灌婴路社区: "360103",
  朝阳社区: "360103",
  广南社区: "360103",
  洪城社区: "360103",
  洪都新村社区: "360104",
  桔园社区: "360104",
  京山社区: "360104",
  上坊路社区: "360111",
  塘山村: "360111",
  招贤村: "360122",
  石岗村: "360122",
  长堎社区: "360122",
  沙井社区: "360113",
  莲塘社区: "360121",
};

/** The demo member of each organisation who logs its visits (db/seed/demo.ts DEMO_ACCOUNTS). */
const ORG_MEMBER_PHONES: Record<string, string> = {
  南昌乐清商会: "13900000022",
  上坊路社区爱心妈妈志愿服务团: "13900000023",
};

const SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "罗", "万", "熊", "涂"];
const GIVEN = ["秀英", "桂兰", "建国", "玉梅", "国华", "志强", "春梅", "德明", "淑珍", "文华", "小军", "海燕", "金凤", "长根", "水生", "冬梅", "红英", "福生"];

interface Other {
  community: string;
  groups: Array<(typeof CARE_GROUPS)[number]>;
  age: number;
  needs: string;
  carer?: { org: string; sinceDays: number; visitsEveryDays: number; kinds: string[]; lastVisitDaysAgo: number };
}

const OTHERS: Other[] = [
  { community: "灌婴路社区", groups: ["低保对象"], age: 46, needs: "丈夫因病去世，独自抚养两个孩子，家中收入微薄。", carer: { org: "南昌乐清商会", sinceDays: 120, visitsEveryDays: 20, kinds: ["生活照料", "亲情陪伴"], lastVisitDaysAgo: 8 } },
  { community: "灌婴路社区", groups: ["低保对象", "残疾人"], age: 58, needs: "肢体残疾，行动不便，需要代购生活用品。", carer: { org: "南昌乐清商会", sinceDays: 120, visitsEveryDays: 25, kinds: ["生活照料"], lastVisitDaysAgo: 41 } },
  { community: "灌婴路社区", groups: ["空巢老人"], age: 81, needs: "独居，子女在外地工作，希望有人定期探访。" },
  { community: "朝阳社区", groups: ["空巢老人"], age: 77, needs: "老伴去世后情绪低落，很少出门。" },
  { community: "朝阳社区", groups: ["特困人员"], age: 69, needs: "无劳动能力、无赡养人，需照料看护。" },
  { community: "广南社区", groups: ["空巢老人", "残疾人"], age: 84, needs: "视力差，夜间楼道照明不足，曾摔倒。" },
  { community: "广南社区", groups: ["低保对象"], age: 52, needs: "下岗后长期失业，希望得到就业帮扶。" },
  { community: "洪城社区", groups: ["困境儿童"], age: 9, needs: "父母服刑，由外婆照看，学习跟不上。" },
  { community: "洪都新村社区", groups: ["空巢老人"], age: 79, needs: "老旧小区六楼，上下楼困难。" },
  { community: "洪都新村社区", groups: ["残疾人"], age: 35, needs: "精神障碍康复期，需要社会融入支持。" },
  { community: "桔园社区", groups: ["低保对象"], age: 63, needs: "慢性病多，医药费负担重。" },
  { community: "京山社区", groups: ["返贫致贫人口"], age: 48, needs: "家人重病导致返贫，需要临时救助和就业信息。" },
  { community: "上坊路社区", groups: ["空巢老人"], age: 86, needs: "独居高龄，需要每周探访和生活照料。", carer: { org: "上坊路社区爱心妈妈志愿服务团", sinceDays: 150, visitsEveryDays: 7, kinds: ["亲情陪伴", "生活照料"], lastVisitDaysAgo: 3 } },
  { community: "上坊路社区", groups: ["困境儿童"], age: 11, needs: "父亲外出务工，母亲离家，由祖母抚养。", carer: { org: "上坊路社区爱心妈妈志愿服务团", sinceDays: 150, visitsEveryDays: 14, kinds: ["亲情陪伴", "人文关怀"], lastVisitDaysAgo: 12 } },
  { community: "上坊路社区", groups: ["空巢老人", "低保对象"], age: 74, needs: "老伴卧床，本人身体也不好。", carer: { org: "上坊路社区爱心妈妈志愿服务团", sinceDays: 90, visitsEveryDays: 10, kinds: ["照料看护"], lastVisitDaysAgo: 5 } },
  { community: "塘山村", groups: ["农村留守人员"], age: 72, needs: "子女均在外打工，独自种地。" },
  { community: "塘山村", groups: ["农村留守人员", "困境儿童"], age: 8, needs: "留守儿童，与年迈爷爷同住。" },
  { community: "招贤村", groups: ["农村留守人员"], age: 76, needs: "留守老人，房屋漏雨。" },
  { community: "招贤村", groups: ["特困人员"], age: 67, needs: "五保户，需要照料看护。" },
  { community: "石岗村", groups: ["返贫致贫人口"], age: 41, needs: "因灾致贫，房屋受损。" },
  { community: "石岗村", groups: ["农村留守人员"], age: 13, needs: "留守儿童，学习和心理都需要关心。" },
  { community: "长堎社区", groups: ["低保对象"], age: 55, needs: "单亲家庭，孩子上高中，经济紧张。" },
  { community: "沙井社区", groups: ["空巢老人"], age: 80, needs: "患阿尔茨海默病早期，需要陪伴。" },
  { community: "沙井社区", groups: ["残疾人"], age: 29, needs: "听力残疾，求职屡屡受挫。" },
  { community: "莲塘社区", groups: ["特困人员", "残疾人"], age: 62, needs: "无固定住所，需要协调安置。" },
  { community: "莲塘社区", groups: ["低保对象"], age: 44, needs: "独自照顾患病父亲，无法外出工作。" },
];

const NOTES: Record<string, string[]> = {
  亲情陪伴: ["上门陪老人聊天，一起看了家里的老照片。", "陪同在小区散步半小时，老人精神不错。"],
  生活照料: ["帮忙采购一周的米面油和蔬菜。", "打扫厨房和卫生间，检查燃气阀门。"],
  照料看护: ["协助翻身、擦洗，记录血压。", "陪同到社区卫生服务站复诊。"],
  人文关怀: ["送去学习用品，和孩子一起完成作业。", "一起参加社区周末读书会。"],
  心理疏导: ["初次面谈，他不愿多说，约定每周见面。", "聊到喜欢的篮球，第一次主动说了很多话。", "情绪比上月稳定，愿意出门了。", "谈到对未来的担心，一起列了想做的事情。"],
  社会融入: ["陪同参加村里的志愿清扫活动。", "参加成长中心的小组活动，认识了两个同龄人。", "在村委会帮忙整理图书室。"],
  就业帮扶: ["一起制作简历，了解镇上的公益性岗位。", "陪同到镇人社所登记求职。", "岗位面试前模拟练习。", "面试通过，商量上岗后的安排。"],
};

/** Loads the care-target demo: about thirty people, the 符明 story, matches, services and links. */
export async function seedCare(trx: Kysely<Database>, ids: CareSeedIds, now: Date = new Date()): Promise<{ targets: number; services: number }> {
  const today = todayOf({ now: () => now });
  const officer = ids.users.get("13900000002")!;
  const worker = ids.users.get("13900000020")!;
  const place = (name: string) => {
    const id = ids.places.get(name);
    if (!id) throw new Error(`演示数据：找不到地区 ${name}`);
    return id;
  };
  let seq = 11;
  let services = 0;

  const insert = async (input: Omit<TargetInput, "placeId">, community: string) => {
    const prepared = prepareTarget({ ...input, placeId: place(community) }, place(community), today);
    if (!prepared.ok) throw new Error(`演示数据无效：${JSON.stringify(prepared.problems)}`);
    return (await trx.insertInto("care_targets").values({ ...prepared.row, created_by: officer }).returning("id").executeTakeFirstOrThrow()).id;
  };
  const birthFor = (age: number, offsetDays: number) => addDays(today, -Math.round(age * 365.25) - offsetDays).replaceAll("-", "");
  const addService = async (targetId: string, matchId: string, by: string, servedOn: string, kind: string, n: number) => {
    const notes = NOTES[kind] ?? [""];
    await trx
      .insertInto("care_services")
      .values({ target_id: targetId, match_id: matchId, logged_by: by, served_on: servedOn, kind, duration_minutes: 45 + (n % 4) * 15, notes: notes[n % notes.length], follow_up: n % 5 === 0 })
      .execute();
    services++;
  };

  // The seeds' story: a withdrawn teenager in 新建区招贤镇, referred through 数字民政 while still a
  // minor (his grandfather is his guardian), supported by a social worker for six months until he
  // found a job.
  const referred = addDays(today, -200);
  const fuMing = await insert(
    {
      name: "符明（化名）",
      idNumber: makeIdCard("360122", birthFor(17.6, 200), "137"),
      phone: "13979100137",
      address: "招贤镇招贤村三组",
      groups: ["农村留守人员", "困境儿童"],
      needs: "父母长年在外务工，由祖父抚养。初中毕业后辍学在家，很少出门、不愿与人交流，村干部担心其心理状况。",
      guardianName: "符国华",
      guardianRelation: "祖父",
      guardianPhone: "13979100138",
      source: "referral",
      consentBy: "符国华（监护人）",
      consentOn: referred,
      consentMethod: "written",
      consentPhotos: false,
      referredOn: referred,
    },
    "招贤村",
  );
  const matchStart = addDays(referred, 7);
  const fuMatch = await trx
    .insertInto("care_matches")
    .values({ target_id: fuMing, carer_kind: "social_worker", user_id: worker, started_on: matchStart, created_by: officer })
    .returning("id")
    .executeTakeFirstOrThrow();
  const plan: Array<[number, string]> = [];
  for (let d = 0, n = 0; d <= 186; d += 12, n++) plan.push([d, d < 60 ? "心理疏导" : d < 120 ? "社会融入" : "就业帮扶"]);
  for (const [n, [d, kind]] of plan.entries()) await addService(fuMing, fuMatch.id, worker, addDays(matchStart, d), kind, n);
  await trx.insertInto("care_outcomes").values({ target_id: fuMing, achieved_on: addDays(today, -15), description: "找到公益性岗位工作（招贤镇综合文化站管理员）", recorded_by: officer }).execute();

  for (const [i, o] of OTHERS.entries()) {
    const name = SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length];
    seq += 2;
    const minor = o.age < 18;
    const targetId = await insert(
      {
        name,
        idNumber: makeIdCard(REGION[o.community], birthFor(o.age, 30 + i * 11), String(seq % 1000).padStart(3, "0")),
        phone: minor ? undefined : `139791${String(10000 + i * 37).padStart(5, "0")}`,
        address: `${o.community}${(i % 9) + 1} 栋 ${(i % 6) + 1}0${(i % 3) + 1} 室`,
        groups: o.groups,
        needs: o.needs,
        guardianName: minor ? `${SURNAMES[(i + 3) % SURNAMES.length]}${GIVEN[(i + 5) % GIVEN.length]}` : undefined,
        guardianRelation: minor ? "祖母" : undefined,
        source: i % 3 === 0 ? "community_visit" : "referral",
        consentBy: minor ? "监护人" : "本人",
        consentOn: addDays(today, -160),
        consentMethod: i % 2 ? "written" : "verbal",
        consentPhotos: i % 4 === 0,
        referredOn: addDays(today, -160),
      },
      o.community,
    );
    if (!o.carer) continue;
    const c = o.carer;
    const match = await trx
      .insertInto("care_matches")
      .values({ target_id: targetId, carer_kind: "organisation", organisation_id: ids.organisations.get(c.org)!, started_on: addDays(today, -c.sinceDays), created_by: officer })
      .returning("id")
      .executeTakeFirstOrThrow();
    const member = ids.users.get(ORG_MEMBER_PHONES[c.org])!;
    let n = 0;
    for (let d = c.sinceDays - 3; d >= c.lastVisitDaysAgo; d -= c.visitsEveryDays, n++) {
      await addService(targetId, match.id, member, addDays(today, -d), c.kinds[n % c.kinds.length], n);
    }
  }

  for (const [org, community] of [
    ["南昌心灵家园成长中心", "招贤村"],
    ["上坊路社区爱心妈妈志愿服务团", "上坊路社区"],
    ["南昌乐清商会", "灌婴路社区"],
  ] as const) {
    await trx.insertInto("care_community_links").values({ organisation_id: ids.organisations.get(org)!, place_id: place(community), started_on: addDays(today, -180), created_by: officer }).execute();
  }
  return { targets: OTHERS.length + 1, services };
}
