/** The programme's vocabularies (domain.md), code in English, label in Chinese, one to one. */

export const ACTION_TYPES = ["qin", "he", "fu", "mei"] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export const ACTION_TYPE_INFO: Record<ActionType, { name: string; summary: string }> = {
  qin: { name: "邻里亲", summary: "社会组织与困难群众“一对一”或“多对一”综合包户，提供精准帮扶。" },
  he: { name: "邻里和", summary: "参与社区矫正、疫情防控、精神障碍康复和矛盾纠纷调解。" },
  fu: { name: "邻里扶", summary: "实施养老、托幼、扶弱等民生服务项目。" },
  mei: { name: "邻里美", summary: "改善环境、照明与文化生活，建设邻里相亲相照应的美丽社区。" },
};

export const ISSUE_CATEGORIES = [
  "社区环境",
  "治安",
  "物业",
  "养老",
  "托幼",
  "扶弱",
  "文化",
  "体育",
  "纠纷调解",
  "特殊群体关爱",
  "乡村振兴",
  "其他",
] as const;
export type IssueCategory = (typeof ISSUE_CATEGORIES)[number];

export const ORGANISATION_TYPES = [
  "生活服务类",
  "公益慈善类",
  "专业调处类",
  "治保维稳类",
  "社会工作服务机构",
  "志愿服务组织",
  "慈善组织",
  "枢纽型社会组织",
  "行业协会商会",
] as const;

export const CARE_GROUPS = ["低保对象", "特困人员", "空巢老人", "农村留守人员", "困境儿童", "残疾人", "返贫致贫人口"] as const;

export const CARE_SERVICES = ["亲情陪伴", "生活照料", "照料看护", "人文关怀", "心理疏导", "社会融入", "就业帮扶"] as const;
