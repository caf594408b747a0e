import type { RoleCode } from "../domain/accounts/roles";

export type NavGroup = "public" | "mine" | "community" | "bureau" | "oversight";

export const NAV_GROUP_LABELS: Record<NavGroup, string> = {
  public: "公共服务",
  mine: "我的",
  community: "社区工作",
  bureau: "民政工作",
  oversight: "管理与监督",
};

export interface NavItem {
  to: string;
  group: NavGroup;
  label: string;
  /** Shown when the user holds one of these roles; no list means everyone. Hiding is UX, not security. */
  roles?: readonly RoleCode[];
  signedIn?: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { to: "/", group: "public", label: "首页" },
  { to: "/organisations", group: "public", label: "社会组织" },
  { to: "/issues", group: "public", label: "居民议题" },
  { to: "/roundtables", group: "public", label: "幸福圆桌会" },
  { to: "/calls", group: "public", label: "招贤榜" },
  { to: "/notifications", group: "mine", label: "消息", signedIn: true },
  { to: "/residents/verify", group: "mine", label: "居民认证", signedIn: true },
  { to: "/residents/requests", group: "community", label: "认证审核", roles: ["community_staff"] },
  { to: "/issues/reports", group: "community", label: "举报处理", roles: ["community_staff"] },
  { to: "/issues/ready", group: "bureau", label: "待转入创投", roles: ["officer", "liaison"] },
  { to: "/liaison", group: "bureau", label: "联络员工作台", roles: ["liaison"] },
  { to: "/liaison/summaries", group: "bureau", label: "进展小结", roles: ["liaison"] },
  { to: "/bureau/dashboard", group: "bureau", label: "数据看板", roles: ["officer", "liaison"] },
  { to: "/bureau/reports", group: "bureau", label: "总结报告", roles: ["officer"] },
  { to: "/bureau/liaison-summaries", group: "bureau", label: "联络员小结", roles: ["officer"] },
  { to: "/projects", group: "public", label: "创投项目" },
  { to: "/grants", group: "bureau", label: "项目审核与拨付", roles: ["officer", "liaison"] },
  { to: "/calls/new", group: "bureau", label: "发布招贤榜", roles: ["officer", "liaison"] },
  { to: "/review", group: "bureau", label: "评审", roles: ["reviewer"] },
  { to: "/me", group: "mine", label: "我的账户", signedIn: true },
  { to: "/bureau/organisations", group: "bureau", label: "组织查验", roles: ["officer"] },
  { to: "/bureau/pools", group: "bureau", label: "资金池", roles: ["officer"] },
  { to: "/care", group: "bureau", label: "关爱对象", roles: ["officer"] },
  { to: "/care/import", group: "bureau", label: "批量导入关爱对象", roles: ["officer"] },
  { to: "/care/my", group: "mine", label: "我的关爱服务", signedIn: true },
  { to: "/care/access-report", group: "oversight", label: "关爱数据访问报告", roles: ["privacy_officer", "auditor"] },
  { to: "/care/stats", group: "public", label: "关爱统计" },
  { to: "/figures", group: "public", label: "公开数据" },
  { to: "/open-data", group: "public", label: "开放数据下载" },
  { to: "/admin/roles", group: "oversight", label: "角色管理", roles: ["admin"] },
  { to: "/admin/audit", group: "oversight", label: "审计日志", roles: ["admin", "auditor"] },
  { to: "/admin/retention", group: "oversight", label: "记录保存期限", roles: ["admin", "auditor", "privacy_officer"] },
];

export function navFor(signedIn: boolean, roles: readonly RoleCode[]): NavItem[] {
  return NAV_ITEMS.filter((i) => (!i.signedIn || signedIn) && (!i.roles || i.roles.some((r) => roles.includes(r))));
}

/** The items in their groups, in the order of NAV_GROUP_LABELS; empty groups are left out. */
export function groupedNav(items: readonly NavItem[]): Array<{ group: NavGroup; label: string; items: NavItem[] }> {
  return (Object.keys(NAV_GROUP_LABELS) as NavGroup[])
    .map((group) => ({ group, label: NAV_GROUP_LABELS[group], items: items.filter((i) => i.group === group) }))
    .filter((g) => g.items.length > 0);
}

/** The item for the page shown: the longest path that the location is, or is under ("/calls/new" over "/calls"). */
export function currentNavItem(items: readonly NavItem[], pathname: string): string | null {
  let best: string | null = null;
  for (const i of items) {
    const matches = i.to === "/" ? pathname === "/" : pathname === i.to || pathname.startsWith(`${i.to}/`);
    if (matches && (best === null || i.to.length > best.length)) best = i.to;
  }
  return best;
}
