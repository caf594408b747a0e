import { one } from "./db";
import type { DemoUser } from "./demo-accounts";

/**
 * Every route module in app/routes, with how to reach it. The access-control spec (access.spec.ts)
 * and the accessibility spec (a11y.spec.ts) both walk this table, and a vitest check
 * (tests/support/route-table.test.ts) fails when a route file is missing from it, so a new page
 * gets its checks without anyone remembering.
 */
export type Viewer = DemoUser | "anonymous";

export interface PageRoute {
  kind: "page";
  /** The URL to visit, resolved against the e2e demo database when it needs ids. */
  url: string | (() => Promise<string>);
  /** Who views it for the accessibility check. */
  as: Viewer;
  /** People of another scope (sibling place, other organisation, other role) who must be refused. */
  denied?: Array<{ as: Viewer; status: 403 | 404 }>;
  /** Signed-out visitors are sent to /login. */
  needsLogin?: boolean;
}

export interface OtherRoute {
  kind: "action" | "resource" | "catch-all";
  why: string;
}

const id = (sql: string, params: unknown[] = []) => async () => String((await one<{ id: string }>(sql, params)).id);

const fuMingId = id("select id from care_targets where name like '符明%'");
const lampOrgId = id("select id from organisations where name = '江西省照明电器协会'");
const juDengPoolId = id("select id from funding_pools where name like '%点亮桔灯%'");
const guangnanIssueId = id(
  "select i.id from issues i join places p on p.id = i.place_id where p.name = '广南社区' order by i.support_count desc limit 1",
);
const cityReportId = id("select r.id from summary_reports r join places p on p.id = r.place_id where p.name = '南昌市' order by r.created_at limit 1");
const guangnanRoundtableId = id(
  "select r.id from roundtables r join places p on p.id = r.place_id where p.name = '广南社区' order by r.starts_at limit 1",
);

const juDengCallId = id("select id from calls where title = '“点亮桔灯”社区微创投（第一批）'");
const lightingCallId = id("select id from calls where title like '广南社区“点亮回家路”%'");
const reviewerAssignmentId = id(
  "select a.id from review_assignments a join users u on u.id = a.reviewer_id where u.phone = '13900000007' order by a.assigned_at limit 1",
);

const orangePublicityCallId = id("select id from calls where title = '“点亮桔灯”社区微创投（第二批）'");
// A 点亮桔灯 project under way whose organisation has the demo member 13900000026.
const runningGrantId = id(
  "select g.id from grants g join organisation_members m on m.organisation_id = g.organisation_id join users u on u.id = m.user_id where u.phone = '13900000026' and g.status = 'in_progress' limit 1",
);

export const ROUTES: Record<string, PageRoute | OtherRoute> = {
  _index: { kind: "page", url: "/", as: "anonymous" },
  login: { kind: "page", url: "/login", as: "anonymous" },
  "login_.mfa": {
    kind: "action",
    why: "second sign-in step: without a half-finished sign-in GET redirects to /login; mfa.spec.ts walks it and runs axe on it",
  },
  register: { kind: "page", url: "/register", as: "anonymous" },
  logout: { kind: "action", why: "POST only; GET redirects home" },
  preferences: { kind: "action", why: "POST only (长辈模式 switch); GET redirects home" },
  $: { kind: "catch-all", why: "404 for unknown addresses (home.spec.ts)" },
  me: { kind: "page", url: "/me", as: "resident", needsLogin: true },
  "me_.password": { kind: "page", url: "/me/password", as: "resident", needsLogin: true },
  "me_.reauth": { kind: "page", url: "/me/reauth?redirectTo=%2Fme%2Fmfa", as: "auditor", needsLogin: true },
  "me_.mfa": { kind: "page", url: "/me/mfa", as: "auditor", needsLogin: true },
  notifications: { kind: "page", url: "/notifications", as: "resident", needsLogin: true },

  "admin.roles": { kind: "page", url: "/admin/roles", as: "admin", needsLogin: true, denied: [{ as: "cityOfficer", status: 403 }] },
  "admin.retention": { kind: "page", url: "/admin/retention", as: "privacyOfficer", needsLogin: true, denied: [{ as: "cityOfficer", status: 403 }] },
  "admin.audit": { kind: "page", url: "/admin/audit", as: "auditor", needsLogin: true, denied: [{ as: "privacyOfficer", status: 403 }] },

  "issues._index": { kind: "page", url: "/issues", as: "anonymous" },
  "issues.$issueId": { kind: "page", url: async () => `/issues/${await guangnanIssueId()}`, as: "resident" },
  "issues.new": { kind: "page", url: "/issues/new", as: "resident", needsLogin: true },
  "issues.ready": { kind: "page", url: "/issues/ready", as: "liaisonXihu", needsLogin: true, denied: [{ as: "resident", status: 403 }] },
  "issues.reports": { kind: "page", url: "/issues/reports", as: "communityStaff", needsLogin: true, denied: [{ as: "resident", status: 403 }] },
  "residents.verify": { kind: "page", url: "/residents/verify", as: "resident", needsLogin: true },
  "residents.requests": { kind: "page", url: "/residents/requests", as: "communityStaff", needsLogin: true, denied: [{ as: "resident", status: 403 }] },

  "roundtables._index": { kind: "page", url: "/roundtables", as: "anonymous" },
  "roundtables.$roundtableId": { kind: "page", url: async () => `/roundtables/${await guangnanRoundtableId()}`, as: "resident" },
  "roundtables.new": { kind: "page", url: "/roundtables/new", as: "communityStaff", needsLogin: true, denied: [{ as: "resident", status: 403 }] },
  "roundtables.$roundtableId_.manage": {
    kind: "page",
    url: async () => `/roundtables/${await guangnanRoundtableId()}/manage`,
    as: "communityStaff",
    needsLogin: true,
    denied: [{ as: "guanyingStaff", status: 403 }],
  },

  "organisations._index": { kind: "page", url: "/organisations", as: "anonymous" },
  "organisations.$id._index": { kind: "page", url: async () => `/organisations/${await lampOrgId()}`, as: "anonymous" },
  "organisations.new": { kind: "page", url: "/organisations/new", as: "resident", needsLogin: true },
  "organisations.$id.manage": {
    kind: "page",
    url: async () => `/organisations/${await lampOrgId()}/manage`,
    as: "orgMember",
    needsLogin: true,
    denied: [{ as: "lequanMember", status: 403 }],
  },
  "bureau.organisations": { kind: "page", url: "/bureau/organisations", as: "cityOfficer", needsLogin: true, denied: [{ as: "resident", status: 403 }] },
  "bureau.pools._index": { kind: "page", url: "/bureau/pools", as: "cityOfficer", needsLogin: true, denied: [{ as: "orgMember", status: 403 }] },
  "bureau.pools.new": { kind: "page", url: "/bureau/pools/new", as: "cityOfficer", needsLogin: true, denied: [{ as: "liaisonXihu", status: 403 }] },
  "bureau.pools.$id": {
    kind: "page",
    url: async () => `/bureau/pools/${await juDengPoolId()}`,
    as: "districtOfficer",
    needsLogin: true,
    denied: [{ as: "xihuOfficer", status: 403 }],
  },

  // Anyone without a care scope is redirected to the public counts (/care/stats) rather than refused.
  "care._index": { kind: "page", url: "/care", as: "cityOfficer", needsLogin: true },
  "care.stats": { kind: "page", url: "/care/stats", as: "anonymous" },
  "care.my": { kind: "page", url: "/care/my", as: "socialWorker", needsLogin: true },
  "care.import": { kind: "page", url: "/care/import", as: "cityOfficer", needsLogin: true, denied: [{ as: "orgMember", status: 403 }] },
  "care.export": { kind: "action", why: "POST only: the masked CSV export (care.spec.ts)" },
  "care.access-report": { kind: "page", url: "/care/access-report", as: "privacyOfficer", needsLogin: true, denied: [{ as: "cityOfficer", status: 403 }] },
  "care.targets._index": { kind: "page", url: "/care/targets", as: "cityOfficer", needsLogin: true, denied: [{ as: "orgMember", status: 403 }] },
  "care.targets.new": { kind: "page", url: "/care/targets/new", as: "cityOfficer", needsLogin: true, denied: [{ as: "resident", status: 403 }] },
  "care.targets.$id": {
    kind: "page",
    url: async () => `/care/targets/${await fuMingId()}`,
    as: "cityOfficer",
    needsLogin: true,
    denied: [
      { as: "xihuOfficer", status: 404 },
      { as: "orgMember", status: 404 },
    ],
  },
  "care.targets.$id_.unmask": {
    kind: "page",
    url: async () => `/care/targets/${await fuMingId()}/unmask`,
    as: "cityOfficer",
    needsLogin: true,
    denied: [
      { as: "xihuOfficer", status: 404 },
      { as: "lequanMember", status: 404 },
    ],
  },
  "bureau.dashboard": {
    kind: "page",
    url: "/bureau/dashboard",
    as: "districtOfficer",
    needsLogin: true,
    denied: [
      { as: "resident", status: 403 },
      { as: "orgMember", status: 403 },
    ],
  },
  "bureau.reports._index": { kind: "page", url: "/bureau/reports", as: "xihuOfficer", needsLogin: true, denied: [{ as: "liaisonXihu", status: 403 }] },
  "bureau.reports.$id": {
    kind: "page",
    url: async () => `/bureau/reports/${await cityReportId()}`,
    as: "cityOfficer",
    needsLogin: true,
    denied: [{ as: "xihuOfficer", status: 403 }],
  },
  "bureau.reports.$id[.xlsx]": { kind: "resource", why: "the report as XLSX (dashboard.spec.ts downloads it; reports.test.ts reads it back)" },
  "bureau.liaison-summaries": { kind: "page", url: "/bureau/liaison-summaries", as: "cityOfficer", needsLogin: true, denied: [{ as: "liaisonXihu", status: 403 }] },
  "liaison._index": { kind: "page", url: "/liaison", as: "liaisonXihu", needsLogin: true, denied: [{ as: "cityOfficer", status: 403 }] },
  "liaison.summaries": { kind: "page", url: "/liaison/summaries", as: "liaisonQingyunpu", needsLogin: true, denied: [{ as: "orgMember", status: 403 }] },
  figures: { kind: "page", url: "/figures", as: "anonymous" },
  "open-data._index": { kind: "page", url: "/open-data", as: "anonymous" },
  "theme[.css]": { kind: "resource", why: "the theme's CSS variables, linked from every page (a11y and elder specs check the colours it gives)" },
  "open-data.$dataset[.csv]": { kind: "resource", why: "public CSV downloads (open-data.spec.ts)" },
  "calls._index": { kind: "page", url: "/calls", as: "anonymous" },
  "calls.$callId._index": { kind: "page", url: async () => `/calls/${await juDengCallId()}`, as: "anonymous" },
  "calls.new": { kind: "page", url: "/calls/new", as: "cityOfficer", needsLogin: true, denied: [{ as: "resident", status: 403 }] },
  "calls.$callId.edit": {
    kind: "page",
    url: async () => `/calls/${await juDengCallId()}/edit`,
    as: "districtOfficer",
    needsLogin: true,
    denied: [{ as: "xihuOfficer", status: 403 }],
  },
  "calls.$callId.manage": {
    kind: "page",
    url: async () => `/calls/${await juDengCallId()}/manage`,
    as: "districtOfficer",
    needsLogin: true,
    denied: [{ as: "xihuOfficer", status: 403 }],
  },
  "calls.$callId.ranking": {
    kind: "page",
    url: async () => `/calls/${await juDengCallId()}/ranking`,
    as: "districtOfficer",
    needsLogin: true,
    denied: [{ as: "xihuOfficer", status: 403 }],
  },
  "calls.$callId.bid": {
    kind: "page",
    url: async () => `/calls/${await lightingCallId()}/bid?org=${await lampOrgId()}`,
    as: "orgMember",
    needsLogin: true,
    denied: [{ as: "lequanMember", status: 403 }],
  },
  "review._index": { kind: "page", url: "/review", as: "reviewer", needsLogin: true, denied: [{ as: "resident", status: 403 }] },
  "review.$assignmentId": {
    kind: "page",
    url: async () => `/review/${await reviewerAssignmentId()}`,
    as: "reviewer",
    needsLogin: true,
    denied: [{ as: "reviewer2", status: 404 }],
  },
  "calls.$callId.awards": {
    kind: "page",
    url: async () => `/calls/${await juDengCallId()}/awards`,
    as: "districtOfficer",
    needsLogin: true,
    denied: [{ as: "xihuOfficer", status: 403 }],
  },
  "calls.$callId.publicity": { kind: "page", url: async () => `/calls/${await orangePublicityCallId()}/publicity`, as: "resident" },
  "grants._index": { kind: "page", url: "/grants", as: "liaisonQingyunpu", needsLogin: true, denied: [{ as: "resident", status: 403 }] },
  "grants.$grantId._index": { kind: "page", url: async () => `/grants/${await runningGrantId()}`, as: "anonymous" },
  "grants.$grantId.manage": {
    kind: "page",
    url: async () => `/grants/${await runningGrantId()}/manage`,
    as: "districtOfficer",
    needsLogin: true,
    denied: [{ as: "xihuOfficer", status: 403 }],
  },
  "grants.$grantId.report": {
    kind: "page",
    url: async () => `/grants/${await runningGrantId()}/report?position=2`,
    as: "orangeMember",
    needsLogin: true,
    denied: [{ as: "orgMember", status: 403 }],
  },
  "projects._index": { kind: "page", url: "/projects", as: "anonymous" },
  "projects.$grantId": { kind: "page", url: async () => `/projects/${await runningGrantId()}`, as: "anonymous" },
  "grant-evidence.$id": { kind: "resource", why: "a milestone report's evidence image (grants.spec.ts)" },
  "grant-objections.$id.attachment": { kind: "resource", why: "an objection's attachment, for the officers who answer it" },
  "bid-attachments.$id": { kind: "resource", why: "a bid's attachment, for members, officers and cleared reviewers (calls.spec.ts)" },
  "uploads.$photoId": { kind: "resource", why: "an uploaded photo (uploads tests, issue-to-roundtable.spec.ts)" },
};

export async function resolveUrl(r: PageRoute): Promise<string> {
  return typeof r.url === "string" ? r.url : r.url();
}
