import type { RoleCode } from "../domain/accounts/roles";

export interface NavItem {
  to: string;
  label: string;
  /** Shown when the user holds one of these roles; no list means everyone. Hiding is UX, not security. */
  roles?: readonly RoleCode[];
  signedIn?: boolean;
}

export const NAV_ITEMS: NavItem[] = [
  { to: "/", label: "首页" },
  { to: "/organisations", label: "社会组织" },
  { to: "/issues", label: "居民议题" },
  { to: "/roundtables", label: "幸福圆桌会" },
  { to: "/calls", label: "招贤榜" },
  { to: "/notifications", label: "消息", signedIn: true },
  { to: "/residents/verify", label: "居民认证", signedIn: true },
  { to: "/residents/requests", label: "认证审核", roles: ["community_staff"] },
  { to: "/issues/reports", label: "举报处理", roles: ["community_staff"] },
  { to: "/issues/ready", label: "待转入创投", roles: ["officer", "liaison"] },
  { to: "/liaison", label: "联络员工作台", roles: ["liaison"] },
  { to: "/liaison/summaries", label: "进展小结", roles: ["liaison"] },
  { to: "/bureau/dashboard", label: "数据看板", roles: ["officer", "liaison"] },
  { to: "/bureau/reports", label: "总结报告", roles: ["officer"] },
  { to: "/bureau/liaison-summaries", label: "联络员小结", roles: ["officer"] },
  { to: "/projects", label: "创投项目" },
  { to: "/grants", label: "项目审核与拨付", roles: ["officer", "liaison"] },
  { to: "/calls/new", label: "发布招贤榜", roles: ["officer", "liaison"] },
  { to: "/review", label: "评审", roles: ["reviewer"] },
  { to: "/me", label: "我的账户", signedIn: true },
  { to: "/bureau/organisations", label: "组织查验", roles: ["officer"] },
  { to: "/bureau/pools", label: "资金池", roles: ["officer"] },
  { to: "/care", label: "关爱对象", roles: ["officer"] },
  { to: "/care/import", label: "批量导入关爱对象", roles: ["officer"] },
  { to: "/care/my", label: "我的关爱服务", signedIn: true },
  { to: "/care/access-report", label: "关爱数据访问报告", roles: ["privacy_officer", "auditor"] },
  { to: "/care/stats", label: "关爱统计" },
  { to: "/figures", label: "公开数据" },
  { to: "/open-data", label: "开放数据下载" },
  { to: "/admin/roles", label: "角色管理", roles: ["admin"] },
  { to: "/admin/audit", label: "审计日志", roles: ["admin", "auditor"] },
  { to: "/admin/retention", label: "记录保存期限", roles: ["admin", "auditor", "privacy_officer"] },
];

export function navFor(signedIn: boolean, roles: readonly RoleCode[]): NavItem[] {
  return NAV_ITEMS.filter((i) => (!i.signedIn || signedIn) && (!i.roles || i.roles.some((r) => roles.includes(r))));
}
