import type { Kysely } from "kysely";
import { bigrams } from "../../app/domain/issues/rules";
import type { ActionTypeCode, Database, DecisionKind, IssueStatus } from "../schema";

/**
 * Demo issues and roundtables: the two stories of the seeds (广南社区's lighting, 灌婴路社区's two
 * families) end to end, and enough varied issues across communities that lists, filters and
 * search show something. Multi-row inserts keep it fast.
 */

export const DEMO_RESIDENTS: Array<{ phone: string; name: string; community: string }> = [
  { phone: "13900000010", name: "广南社区居民 刘大爷", community: "广南社区" },
  { phone: "13900000011", name: "广南社区居民 陈女士", community: "广南社区" },
  { phone: "13900000012", name: "广南社区居民 周师傅", community: "广南社区" },
  { phone: "13900000013", name: "灌婴路社区居民 吴阿姨", community: "灌婴路社区" },
  { phone: "13900000014", name: "灌婴路社区居民 郑先生", community: "灌婴路社区" },
  { phone: "13900000015", name: "上坊路社区居民 孙阿姨", community: "上坊路社区" },
  { phone: "13900000016", name: "桔园社区居民 何老师", community: "桔园社区" },
  { phone: "13900000017", name: "墩子塘社区居民 黄大姐", community: "墩子塘社区" },
  { phone: "13900000018", name: "沙井社区居民 杨先生", community: "沙井社区" },
  { phone: "13900000019", name: "洪都新村社区居民 冯师傅", community: "洪都新村社区" },
];

/** Community staff of 灌婴路社区, who chaired its roundtable. */
export const GUANYING_STAFF = { phone: "13900000024", name: "灌婴路社区 王书记", community: "灌婴路社区" };

type Seed = [community: string, category: string, title: string, description: string, status: IssueStatus, supports: number];

const ISSUES: Seed[] = [
  ["广南社区", "社区环境", "垃圾分类亭周边异味大，夏天蚊蝇多", "南区垃圾分类亭清运不及时，周边异味大，夏天蚊蝇很多，希望增加清运次数并定期消杀。", "accepted", 9],
  ["广南社区", "养老", "希望在社区开设老年助餐点", "社区独居老人多，做饭不方便，希望开设老年助餐点，提供价格实惠的午餐，解决养老吃饭难。", "accepted", 14],
  ["广南社区", "物业", "老旧小区单元门禁损坏半年无人修", "7 栋、9 栋单元门禁损坏半年，物业推说没有维修资金，外来人员随意进出，存在安全隐患。", "pending", 4],
  ["广南社区", "体育", "篮球场地面开裂，孩子打球容易受伤", "社区篮球场地面多处开裂起皮，孩子们打球容易崴脚，希望重新铺设塑胶地面。", "pending", 6],
  ["广南社区", "托幼", "放学后孩子无人看管，希望有四点半课堂", "双职工家庭多，孩子下午四点半放学后无人看管，希望社区开办四点半课堂，请志愿者辅导作业。", "accepted", 11],
  ["广南社区", "文化", "希望恢复社区广场舞活动时间约定", "广场舞音响太大影响休息，希望社区协调跳舞时间和音量，制定文明公约。", "declined", 3],
  ["灌婴路社区", "社区环境", "小区绿化带被占用种菜，影响环境", "部分居民在公共绿化带里种菜、堆放杂物，影响小区环境，希望社区出面劝导并恢复绿化。", "accepted", 7],
  ["灌婴路社区", "治安", "小区围墙缺口需要修补，夜间不安全", "东侧围墙有两处缺口，夜间有陌生人进出，电动车被盗过两次，希望尽快修补并加装监控。", "in_progress", 16],
  ["灌婴路社区", "养老", "独居老人希望有人定期上门探访", "社区有二十多位独居老人，子女不在身边，希望组织志愿者定期上门探访、陪伴聊天。", "accepted", 12],
  ["灌婴路社区", "物业", "电动车飞线充电现象严重，存在火灾隐患", "很多居民从楼上拉线给电动车充电，存在火灾隐患，希望建设集中充电桩。", "scheduled", 18],
  ["灌婴路社区", "纠纷调解", "楼上漏水多次协商无果，希望社区调解", "楼上卫生间漏水导致我家天花板发霉，多次协商无果，希望社区组织调解。", "closed", 2],
  ["灌婴路社区", "文化", "希望社区图书室延长开放时间", "社区图书室只在工作日白天开放，上班族和学生用不上，希望周末和晚上也开放。", "pending", 5],
  ["朝阳社区", "社区环境", "雨天小区主干道积水严重", "每逢下雨，小区主干道积水能没过脚踝，老人孩子出行困难，希望疏通排水管网。", "accepted", 10],
  ["朝阳社区", "扶弱", "残疾人家庭出行难，希望加装无障碍坡道", "3 栋有两户残疾人家庭，单元门口台阶高，轮椅进出困难，希望加装无障碍坡道。", "decided", 13],
  ["朝阳社区", "体育", "健身器材老化生锈，存在安全隐患", "小区健身器材使用多年，多处生锈松动，老人锻炼时担心受伤，希望更换。", "pending", 4],
  ["上坊路社区", "托幼", "希望增加社区托育点的名额", "社区托育点名额太少，很多家庭排不上号，希望扩大托育点规模或增设托育点。", "accepted", 15],
  ["上坊路社区", "特殊群体关爱", "留守儿童课后陪伴需要更多志愿者", "社区外来务工家庭多，不少孩子放学后独自在家，爱心妈妈团人手不足，需要更多志愿者。", "in_progress", 17],
  ["上坊路社区", "社区环境", "菜市场周边占道经营，交通拥堵", "菜市场周边摊贩占道经营，早晚高峰交通拥堵，希望规范经营秩序。", "accepted", 8],
  ["上坊路社区", "养老", "社区日间照料中心活动太少", "日间照料中心每天只有看电视和打牌，希望增加健康讲座、手工、合唱等活动。", "pending", 6],
  ["上坊路社区", "治安", "小区监控多处损坏，希望尽快修复", "小区南门、车棚等处监控损坏，出了事调不到录像，希望尽快修复。", "pending", 5],
  ["上坊路社区", "其他", "快递柜太少，快递经常堆在门口", "小区只有一组快递柜，快递经常堆放在门岗，丢件时有发生，希望增设快递柜。", "declined", 2],
  ["塘山村", "乡村振兴", "村里公共厕所年久失修，希望改造", "村口的公共厕所年久失修，又脏又臭，希望结合人居环境整治进行改造。", "accepted", 9],
  ["塘山村", "乡村振兴", "希望开展电商培训，帮助村民卖农产品", "村里种了很多蔬菜水果，但销路不好，希望组织电商直播培训，帮助村民增收。", "pending", 7],
  ["塘山村", "养老", "农村留守老人看病难，希望有巡诊", "村里留守老人多，去镇卫生院要坐很久的车，希望定期组织医生下乡巡诊。", "scheduled", 11],
  ["桔园社区", "社区环境", "桔园小区楼道堆物严重，消防通道不畅", "不少楼道堆放旧家具、纸箱，消防通道不畅，希望组织集中清理。", "accepted", 8],
  ["桔园社区", "文化", "希望举办邻里文化节增进邻里感情", "邻居之间互不认识，希望社区举办邻里文化节、百家宴，增进邻里感情。", "decided", 12],
  ["桔园社区", "托幼", "社区儿童游乐设施太少", "小区里只有一个滑梯，孩子们没地方玩，希望增设儿童游乐设施。", "pending", 6],
  ["桔园社区", "纠纷调解", "宠物狗扰民问题希望社区协调", "部分居民遛狗不牵绳、不清理粪便，夜间犬吠扰民，希望社区制定文明养犬公约。", "accepted", 10],
  ["桔园社区", "特殊群体关爱", "精神障碍康复患者家庭需要支持", "社区有几户精神障碍康复患者家庭，照护压力大，希望有专业社工提供支持。", "accepted", 5],
  ["洪都新村社区", "物业", "老旧小区加装电梯意见难统一", "6 层老楼住着很多老人，上下楼困难，加装电梯低层住户有顾虑，希望社区协调。", "scheduled", 19],
  ["洪都新村社区", "社区环境", "小区路灯不亮，夜里回家不安全", "小区北区多盏路灯不亮，夜里下班回家一片漆黑，希望尽快维修照明设施。", "accepted", 9],
  ["洪都新村社区", "养老", "希望组织老人防诈骗讲座", "最近小区有老人被保健品骗了钱，希望社区组织防诈骗讲座，提高老人防范意识。", "closed", 7],
  ["洪都新村社区", "体育", "希望开放学校操场供居民锻炼", "附近小学操场周末闲置，希望协调向居民开放，方便锻炼身体。", "pending", 4],
  ["洪都新村社区", "扶弱", "低保家庭孩子学习辅导需求", "几户低保家庭的孩子成绩落后，家长无力辅导，希望大学生志愿者结对辅导。", "in_progress", 8],
  ["京山社区", "社区环境", "小区河道垃圾漂浮，气味难闻", "京山小区旁的小河道漂浮垃圾多，夏天气味难闻，希望定期清理并设置宣传牌。", "accepted", 7],
  ["京山社区", "治安", "夜间有人在小区飙车，噪音扰民", "深夜常有摩托车在小区主路飙车，噪音扰民且危险，希望加装减速带。", "pending", 5],
  ["京山社区", "养老", "社区缺少老人活动室", "社区没有老人活动室，老人只能在路边晒太阳聊天，希望腾出用房建活动室。", "accepted", 13],
  ["三家店社区", "社区环境", "楼道照明灯坏了没人换", "三家店小区 12 栋楼道照明灯坏了一个多月，老人晚上上下楼只能摸黑。", "pending", 6],
  ["三家店社区", "托幼", "希望开设暑期儿童安全教育课", "暑假孩子在家，防溺水、防火、交通安全教育很重要，希望社区开设安全教育课。", "accepted", 9],
  ["三家店社区", "纠纷调解", "停车位分配引发邻里矛盾", "小区停车位紧张，抢车位、占车位引发多次争吵，希望社区出台停车公约。", "scheduled", 11],
  ["墩子塘社区", "文化", "希望保护老街巷的历史文化", "墩子塘一带老街巷有不少历史建筑，希望组织居民整理老街故事，做文化展示。", "accepted", 8],
  ["墩子塘社区", "养老", "高龄老人居家适老化改造需求", "不少高龄老人家里没有扶手、防滑垫，洗澡容易摔倒，希望开展适老化改造。", "decided", 15],
  ["墩子塘社区", "社区环境", "老城区电线乱拉乱挂，存在隐患", "巷子里电线、网线乱拉乱挂，像蜘蛛网一样，下雨时很危险，希望规整。", "pending", 6],
  ["墩子塘社区", "特殊群体关爱", "困境儿童需要心理关爱", "社区有几个父母离异、由祖辈抚养的孩子，性格内向，希望有心理老师关爱。", "accepted", 7],
  ["三眼井社区", "社区环境", "公厕清洁不及时", "三眼井公厕清洁不及时，气味很大，游客和居民意见都很大。", "pending", 3],
  ["三眼井社区", "养老", "希望为空巢老人安装紧急呼叫设备", "社区空巢老人多，突发疾病无人知晓，希望安装一键呼叫设备。", "accepted", 10],
  ["叠山路社区", "文化", "社区合唱团缺少排练场地", "社区合唱团有三十多人，一直没有固定排练场地，希望协调活动室。", "pending", 5],
  ["叠山路社区", "物业", "小区物业费收支不透明", "物业费每年都涨，但收支情况从不公开，希望社区督促物业公示账目。", "accepted", 12],
  ["洪城社区", "社区环境", "小区绿化修剪不及时，树枝挡窗", "小区大树多年未修剪，枝叶挡住低层住户窗户，白天也要开灯。", "pending", 4],
  ["洪城社区", "治安", "单元楼道小广告泛滥", "楼道里贴满开锁、通下水道的小广告，清理后又贴，希望有长效治理办法。", "declined", 2],
  ["洪城社区", "养老", "希望组织老人智能手机培训", "很多老人不会用智能手机挂号、付款，希望组织志愿者手把手教。", "closed", 9],
  ["丁公路社区", "体育", "社区缺少适合青少年的运动场地", "社区青少年放学后没有运动场地，只能在路边踢球，很危险。", "pending", 6],
  ["丁公路社区", "扶弱", "希望为困难家庭提供就业帮扶", "社区有几户家庭因病致贫，家里劳动力想找工作，希望提供就业信息和培训。", "accepted", 8],
  ["湖坊社区", "社区环境", "小区化粪池堵塞外溢", "湖坊小区 4 栋化粪池多次堵塞外溢，污水横流，希望彻底疏通改造。", "accepted", 11],
  ["湖坊社区", "托幼", "希望社区开办亲子阅读活动", "年轻家庭多，希望社区图书角定期举办亲子阅读、绘本故事会。", "pending", 5],
  ["长堎社区", "养老", "社区卫生服务站希望增加家庭医生上门", "行动不便的老人去卫生服务站很困难，希望家庭医生定期上门随访。", "accepted", 9],
  ["长堎社区", "社区环境", "夜市油烟噪音扰民", "长堎夜市油烟大、营业到凌晨，周边居民休息受影响，希望规范经营时间。", "pending", 7],
  ["招贤村", "乡村振兴", "村里道路没有路灯，晚上出行不便", "招贤村主路没有路灯，晚上村民出行、孩子放学都不安全，希望安装太阳能路灯。", "accepted", 10],
  ["招贤村", "乡村振兴", "希望倡导移风易俗，减少人情攀比", "村里红白喜事大操大办、人情礼金越来越重，希望村里制定红白理事会章程。", "pending", 4],
  ["石岗村", "乡村振兴", "村里留守老人吃饭难，希望办幸福食堂", "石岗村留守老人多，自己做饭困难，希望办村级幸福食堂。", "accepted", 8],
  ["沙井社区", "社区环境", "新建小区垃圾分类设施不足", "沙井新小区入住率高了，但垃圾分类桶太少，经常满溢。", "pending", 5],
  ["沙井社区", "托幼", "双职工家庭希望有托管服务", "年轻双职工家庭多，孩子放假没人带，希望社区提供寒暑假托管。", "accepted", 10],
  ["卫东社区", "文化", "希望组织社区志愿者队伍", "社区热心居民不少，但没有组织，希望成立志愿者队伍参与社区服务。", "accepted", 6],
  ["卫东社区", "治安", "小区消防设施过期无人更换", "楼道灭火器过期两年，消防栓没有水，希望物业尽快更换检修。", "pending", 5],
];

const COMMENTS = [
  "我家也是这个情况，希望尽快解决。",
  "支持！这个问题拖了很久了。",
  "建议先找物业了解一下维修资金的情况。",
  "我可以帮忙联系楼栋长，一起收集大家的意见。",
  "上次开会也提过，希望这次能落实。",
  "这个想法很好，我愿意当志愿者。",
];

const DAY = 86_400_000;

/** The statuses an issue passes through, after 待受理, to reach each status (rules.ts allows each step). */
/** Decided issues the roundtable sent to a call (转入创投) that no call answers yet: the "ready" list. */
const TO_CALL: Record<string, { actionType: "fu" | "mei" | "qin" | "he"; budgetFen: number }> = {
  "残疾人家庭出行难，希望加装无障碍坡道": { actionType: "fu", budgetFen: 2_000_000 },
  "高龄老人居家适老化改造需求": { actionType: "fu", budgetFen: 5_000_000 },
};

const PATH: Record<IssueStatus, IssueStatus[]> = {
  pending: [],
  accepted: ["accepted"],
  declined: ["declined"],
  merged: ["merged"],
  scheduled: ["accepted", "scheduled"],
  decided: ["accepted", "scheduled", "decided"],
  in_call: ["accepted", "scheduled", "decided", "in_call"],
  in_progress: ["accepted", "scheduled", "decided", "in_progress"],
  awaiting_evaluation: ["accepted", "scheduled", "decided", "in_progress", "awaiting_evaluation"],
  closed: ["accepted", "scheduled", "decided", "in_progress", "awaiting_evaluation", "closed"],
};

const NOTES: Partial<Record<IssueStatus, string>> = {
  accepted: "已受理",
  declined: "经核实属于物业合同或个人事务，建议通过物业或调解渠道解决",
  scheduled: "列入幸福圆桌会议程",
  decided: "幸福圆桌会议定 — 社区自办：由社区居委会负责",
  in_progress: "开始实施",
  awaiting_evaluation: "实施完成，请居民评价",
  closed: "居民评价满意，办结",
};

export interface SeedIssueIds {
  places: Map<string, number>;
  /** Demo account ids by phone. */
  users: Map<string, string>;
  passwordHash: string;
}

export async function seedIssues(trx: Kysely<Database>, ids: SeedIssueIds): Promise<{ issues: number; residents: number }> {
  const now = Date.now();
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
  const place = (name: string) => {
    const id = ids.places.get(name);
    if (id === undefined) throw new Error(`演示数据中没有地区：${name}`);
    return id;
  };

  // Named residents (can log in) and, per community, quiet neighbours whose supports fill the counts.
  const people = [...DEMO_RESIDENTS, GUANYING_STAFF].map((p) => ({ phone: p.phone, display_name: p.name, password_hash: ids.passwordHash }));
  const communities = [...new Set(ISSUES.map((i) => i[0]))];
  const neighbours = communities.flatMap((c, ci) =>
    Array.from({ length: 20 }, (_, k) => ({ phone: `137${String(ci).padStart(2, "0")}${String(k).padStart(6, "0")}`, display_name: `${c}居民${k + 1}`, password_hash: ids.passwordHash, community: c })),
  );
  const workers = communities
    .filter((c) => c !== "广南社区" && c !== GUANYING_STAFF.community)
    .map((c, ci) => ({ phone: `136${String(ci).padStart(8, "0")}`, display_name: `${c} 社区工作人员`, password_hash: ids.passwordHash, community: c }));
  const inserted = await trx
    .insertInto("users")
    .values([...people, ...neighbours.map(({ community: _c, ...u }) => u), ...workers.map(({ community: _c, ...u }) => u)])
    .returning(["id", "phone"])
    .execute();
  const userId = new Map(inserted.map((u) => [u.phone, u.id]));
  for (const [phone, id] of ids.users) userId.set(phone, id);
  const uid = (phone: string) => userId.get(phone)!;

  const residentRoles = [
    ...DEMO_RESIDENTS.map((r) => ({ user_id: uid(r.phone), role: "resident" as const, place_id: place(r.community) })),
    ...neighbours.map((n) => ({ user_id: uid(n.phone), role: "resident" as const, place_id: place(n.community) })),
    { user_id: uid(GUANYING_STAFF.phone), role: "community_staff" as const, place_id: place(GUANYING_STAFF.community) },
    ...workers.map((w) => ({ user_id: uid(w.phone), role: "community_staff" as const, place_id: place(w.community) })),
  ];
  await trx.insertInto("role_assignments").values(residentRoles).execute();
  await trx
    .insertInto("resident_verifications")
    .values(
      DEMO_RESIDENTS.map((r, i) => ({
        user_id: uid(r.phone),
        place_id: place(r.community),
        real_name: r.name.split(" ")[1],
        address: `${r.community}${i + 1} 栋 ${100 + i} 室`,
        status: "approved" as const,
        decided_at: at(60),
        created_at: at(61),
      })),
    )
    .execute();
  const supportersOf = (community: string) => [
    ...DEMO_RESIDENTS.filter((r) => r.community === community).map((r) => uid(r.phone)),
    ...neighbours.filter((n) => n.community === community).map((n) => uid(n.phone)),
  ];
  const authorOf = (community: string, k: number) => {
    const pool = supportersOf(community);
    return pool[k % pool.length];
  };
  const guangnanStaff = uid("13900000006");
  const guanyingStaff = uid(GUANYING_STAFF.phone);
  const staffOf = (community: string) =>
    community === "广南社区" ? guangnanStaff : community === GUANYING_STAFF.community ? guanyingStaff : uid(workers.find((w) => w.community === community)!.phone);

  // --- The two stories -------------------------------------------------------------------------
  const lighting = {
    place_id: place("广南社区"),
    author_id: uid("13900000009"),
    title: "小区照明太差，老人夜里出行不便",
    description:
      "广南社区老旧小区的路灯大多坏了，楼道里没有照明，院子里一到晚上漆黑一片。老人晚上下楼倒垃圾、散步都不敢去，上个月还有老人在楼道摔倒。希望能修好路灯，给楼道装上灯。",
    category: "社区环境",
    location_text: "广南小区 1–12 栋及中心院落",
  };
  const hardship = {
    place_id: place("灌婴路社区"),
    author_id: uid("13900000013"),
    title: "两户困难家庭急需社会帮扶",
    description:
      "灌婴路社区有两户家庭情况特别困难：一户是老人独自抚养两个孙子，另一户男主人重病卧床、女主人没有工作。两家生活都很拮据，希望社会各界能伸出援手，帮他们渡过难关。",
    category: "扶弱",
    location_text: null,
  };
  const stories = await trx
    .insertInto("issues")
    .values(
      [lighting, hardship].map((s, i) => ({
        ...s,
        status: "decided" as const,
        action_type: (i === 0 ? "mei" : "qin") as ActionTypeCode,
        created_at: at(i === 0 ? 45 : 40),
        status_changed_at: at(i === 0 ? 10 : 8),
      })),
    )
    .returning("id")
    .execute();
  const [lightingId, hardshipId] = stories.map((s) => s.id);
  await trx
    .insertInto("issue_search")
    .values([lighting, hardship].map((s, i) => ({ issue_id: stories[i]!.id, bigrams: bigrams(`${s.title} ${s.description}`) })))
    .execute();

  const roundtables = await trx
    .insertInto("roundtables")
    .values([
      {
        place_id: place("广南社区"),
        title: "广南社区幸福圆桌会：小区照明改善",
        starts_at: at(10),
        venue: "广南社区党群服务中心二楼会议室",
        capacity: 30,
        description: "围绕小区路灯、楼道照明问题，听取居民意见，商议解决办法。",
        invited: "江西省照明电器协会、西湖区联络员黄兆松",
        status: "concluded",
        minutes:
          "会议由社区李主任主持，到会居民 18 人，江西省照明电器协会、区联络员列席。\n\n**议定事项**\n- 小区照明改善列入“邻里美”微创投，申请项目资金\n- 协会表示愿意捐赠太阳能庭院灯、楼道灯和台灯\n- 社区负责统计需要安装的楼道和点位\n\n居民代表表示感谢，将参与安装后的评价。",
        minutes_published_at: at(9),
        created_by: guangnanStaff,
        created_at: at(20),
        published_at: at(18),
      },
      {
        place_id: place("灌婴路社区"),
        title: "灌婴路社区幸福圆桌会：困难家庭帮扶",
        starts_at: at(8),
        venue: "灌婴路社区居委会会议室",
        capacity: 20,
        description: "商议社区两户困难家庭的帮扶办法。",
        invited: "南昌乐清商会",
        status: "concluded",
        minutes:
          "会议由王书记主持，到会居民 12 人，南昌乐清商会代表参会。\n\n**议定事项**\n- 两户困难家庭纳入“邻里亲”结对帮扶\n- 转介南昌乐清商会，商会表示将捐赠帮扶资金和生活物资\n- 社区网格员每月上门走访，跟进两户家庭情况",
        minutes_published_at: at(7),
        created_by: guanyingStaff,
        created_at: at(16),
        published_at: at(15),
      },
    ])
    .returning("id")
    .execute();
  const [lightingRt, hardshipRt] = roundtables.map((r) => r.id);
  await trx
    .insertInto("roundtable_agenda")
    .values([
      { roundtable_id: lightingRt, issue_id: lightingId, position: 0 },
      { roundtable_id: hardshipRt, issue_id: hardshipId, position: 0 },
    ])
    .execute();
  await trx
    .insertInto("roundtable_decisions")
    .values([
      { roundtable_id: lightingRt, issue_id: lightingId, kind: "to_call", action_type: "mei", budget_estimate_fen: 3_800_000, votes_for: 17, votes_against: 0, votes_abstain: 1, decided_by: guangnanStaff, created_at: at(10) },
      { roundtable_id: hardshipRt, issue_id: hardshipId, kind: "referral", action_type: "qin", referred_to: "南昌乐清商会", votes_for: 12, votes_against: 0, votes_abstain: 0, decided_by: guanyingStaff, created_at: at(8) },
    ])
    .execute();
  const storyEvents = (issueId: string, author: string, staff: string, rt: string, rtTitle: string, days: number[], decision: string) => [
    { issue_id: issueId, at: at(days[0]), actor_id: author, from_status: null, to_status: "pending" as const, note: null, roundtable_id: null },
    { issue_id: issueId, at: at(days[1]), actor_id: staff, from_status: "pending" as const, to_status: "accepted" as const, note: "已受理，将提交幸福圆桌会协商", roundtable_id: null },
    { issue_id: issueId, at: at(days[2]), actor_id: staff, from_status: "accepted" as const, to_status: "scheduled" as const, note: `列入幸福圆桌会「${rtTitle}」议程`, roundtable_id: rt },
    { issue_id: issueId, at: at(days[3]), actor_id: staff, from_status: "scheduled" as const, to_status: "decided" as const, note: `幸福圆桌会「${rtTitle}」议定 — ${decision}`, roundtable_id: rt },
  ];
  await trx
    .insertInto("issue_events")
    .values([
      ...storyEvents(lightingId, lighting.author_id, guangnanStaff, lightingRt, "广南社区幸福圆桌会：小区照明改善", [45, 40, 18, 10], "转入创投/招募：邻里美，预算估算 38,000.00 元（举手表决：赞成 17，反对 0，弃权 1）"),
      ...storyEvents(hardshipId, hardship.author_id, guanyingStaff, hardshipRt, "灌婴路社区幸福圆桌会：困难家庭帮扶", [40, 30, 15, 8], "转介：转介至南昌乐清商会（邻里亲）（举手表决：赞成 12，反对 0，弃权 0）"),
    ])
    .execute();
  const signups = (rt: string, users: string[], daysAgo: number) => users.map((user_id, k) => ({ roundtable_id: rt, user_id, status: "confirmed" as const, created_at: new Date(now - daysAgo * DAY + k * 60_000) }));
  const gn = supportersOf("广南社区");
  const gy = supportersOf("灌婴路社区");
  await trx.insertInto("roundtable_signups").values([...signups(lightingRt, gn.slice(0, 16), 15), ...signups(hardshipRt, gy.slice(0, 10), 12)]).execute();
  await trx
    .insertInto("roundtable_attendance")
    .values([
      ...gn.slice(0, 16).map((user_id) => ({ roundtable_id: lightingRt, user_id, name: "居民", walk_in: false })),
      { roundtable_id: lightingRt, user_id: null, name: "赵会长（照明电器协会）", walk_in: true },
      { roundtable_id: lightingRt, user_id: null, name: "黄兆松（联络员）", walk_in: true },
      ...gy.slice(0, 10).map((user_id) => ({ roundtable_id: hardshipRt, user_id, name: "居民", walk_in: false })),
      { roundtable_id: hardshipRt, user_id: null, name: "南昌乐清商会代表", walk_in: true },
      { roundtable_id: hardshipRt, user_id: null, name: "网格员小李", walk_in: true },
    ])
    .execute();
  // The attendance rows carry the display names of the people who signed up.
  await trx
    .updateTable("roundtable_attendance as a")
    .from("users as u")
    .set((eb) => ({ name: eb.ref("u.display_name") }))
    .whereRef("a.user_id", "=", "u.id")
    .execute();

  // --- The varied issues ----------------------------------------------------------------------
  const rows = ISSUES.map(([community, category, title, description, status], k) => ({
    place_id: place(community),
    author_id: authorOf(community, k),
    title,
    description,
    category,
    status,
    anonymous: k % 11 === 5,
    action_type: (status === "decided" || status === "in_progress" || status === "closed" ? (["mei", "fu", "qin", "he"] as const)[k % 4] : null) as ActionTypeCode | null,
    created_at: at(3 + ((k * 7) % 50) + k / 100),
    status_changed_at: at(1 + ((k * 3) % 3)),
  }));
  const issueIds = (await trx.insertInto("issues").values(rows).returning("id").execute()).map((r) => r.id);
  await trx
    .insertInto("issue_search")
    .values(rows.map((r, k) => ({ issue_id: issueIds[k]!, bigrams: bigrams(`${r.title} ${r.description}`) })))
    .execute();

  // Each community with issues past 已上会 held a roundtable; those still 已上会 wait for the next one.
  const reached = (k: number, status: IssueStatus) => PATH[rows[k].status].includes(status);
  const pastCommunities = [...new Set(ISSUES.filter((_, k) => reached(k, "decided")).map((i) => i[0]))];
  const nextCommunities = [...new Set(ISSUES.filter((_, k) => rows[k].status === "scheduled").map((i) => i[0]).concat("广南社区"))];
  const sessionRows = [
    ...pastCommunities.map((c) => ({
      place_id: place(c),
      title: `${c}幸福圆桌会（往期）`,
      starts_at: at(20),
      venue: `${c}活动室`,
      capacity: 40,
      status: "concluded" as const,
      minutes: "本次会议对多项居民议题进行了协商。\n\n- 议定由社区自办，居委会负责推进\n- 实施进展在议题页面公开",
      minutes_published_at: at(19),
      created_by: staffOf(c),
      published_at: at(25),
    })),
    ...nextCommunities.map((c) => ({
      place_id: place(c),
      title: `${c}幸福圆桌会（下期）`,
      starts_at: new Date(now + 14 * DAY),
      venue: `${c}党群服务中心会议室`,
      capacity: 25,
      description: "欢迎居民报名参加，共同商议社区里的事。",
      status: "published" as const,
      created_by: staffOf(c),
      published_at: at(1),
    })),
  ];
  const sessions = await trx.insertInto("roundtables").values(sessionRows).returning(["id", "place_id", "status"]).execute();
  const sessionOf = (k: number) => {
    const past = reached(k, "decided");
    return sessions.find((x) => x.place_id === rows[k].place_id && (x.status === "concluded") === past)!.id;
  };
  const onAgenda = rows.map((_, k) => k).filter((k) => reached(k, "scheduled"));
  await trx.insertInto("roundtable_agenda").values(onAgenda.map((k, position) => ({ roundtable_id: sessionOf(k), issue_id: issueIds[k], position }))).execute();
  const decidedHere = onAgenda.filter((k) => reached(k, "decided"));
  await trx
    .insertInto("roundtable_decisions")
    .values(
      decidedHere.map((k) => {
        const toCall = TO_CALL[ISSUES[k][2]];
        return toCall
          ? { roundtable_id: sessionOf(k), issue_id: issueIds[k], kind: "to_call" as DecisionKind, action_type: toCall.actionType, budget_estimate_fen: toCall.budgetFen, decided_by: staffOf(ISSUES[k][0]), created_at: at(20) }
          : { roundtable_id: sessionOf(k), issue_id: issueIds[k], kind: "community" as DecisionKind, responsible: "社区居委会", decided_by: staffOf(ISSUES[k][0]), created_at: at(20) };
      }),
    )
    .execute();
  for (const k of decidedHere.filter((k) => TO_CALL[ISSUES[k][2]])) {
    await trx.updateTable("issues").set({ action_type: TO_CALL[ISSUES[k][2]].actionType }).where("id", "=", issueIds[k]).execute();
  }

  // Timeline: each status reached through the documented path, the community's staff as the actor.
  const events = rows.flatMap((r, k) => {
    const steps = PATH[r.status];
    const created = r.created_at.getTime();
    return [
      { issue_id: issueIds[k], at: r.created_at, actor_id: r.author_id, from_status: null, to_status: "pending" as IssueStatus, note: null, roundtable_id: null },
      ...steps.map((to, s) => ({
        issue_id: issueIds[k],
        at: new Date(created + (s + 1) * 2 * DAY),
        actor_id: staffOf(ISSUES[k][0]),
        from_status: (s === 0 ? "pending" : steps[s - 1]) as IssueStatus,
        to_status: to,
        note: NOTES[to] ?? null,
        roundtable_id: to === "scheduled" || to === "decided" ? sessionOf(k) : null,
      })),
    ];
  });
  await trx.insertInto("issue_events").values(events).execute();

  // Supports (the trigger keeps each issue's count) and a few comments per issue.
  const supports = [
    ...gn.slice(0, 21).map((user_id) => ({ issue_id: lightingId, user_id, created_at: at(44) })),
    ...gy.slice(0, 15).map((user_id) => ({ issue_id: hardshipId, user_id, created_at: at(39) })),
    ...ISSUES.flatMap(([community, , , , , n], k) =>
      supportersOf(community)
        .filter((u) => u !== rows[k].author_id)
        .slice(0, n)
        .map((user_id) => ({ issue_id: issueIds[k], user_id, created_at: at(2) })),
    ),
  ];
  await trx.insertInto("issue_supports").values(supports).execute();
  const comments = [
    { issue_id: lightingId, author_id: uid("13900000010"), body: "晚上楼道太黑了，我上个月就差点摔跤，支持尽快解决。", created_at: at(43) },
    { issue_id: lightingId, author_id: uid("13900000011"), body: "希望能装太阳能灯，省电费。", created_at: at(42) },
    { issue_id: hardshipId, author_id: uid("13900000014"), body: "我认识其中一家，孩子很懂事，希望大家帮一把。", created_at: at(38) },
    ...ISSUES.flatMap(([community], k) =>
      Array.from({ length: k % 4 }, (_, c) => ({ issue_id: issueIds[k], author_id: supportersOf(community)[(k + c + 1) % 20], body: COMMENTS[(k + c) % COMMENTS.length], created_at: at(2 - c * 0.1) })),
    ),
  ];
  await trx.insertInto("issue_comments").values(comments).execute();

  await trx
    .insertInto("notifications")
    .values({ user_id: uid("13900000009"), kind: "issue.status", title: "议题「小区照明太差，老人夜里出行不便」已议定", body: "幸福圆桌会议定转入创投（邻里美）。", link: `/issues/${lightingId}`, created_at: at(10) })
    .execute();
  return { issues: rows.length + 2, residents: DEMO_RESIDENTS.length + neighbours.length };
}
