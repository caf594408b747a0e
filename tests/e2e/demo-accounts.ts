/** Demo accounts (db/seed/demo.ts, db/seed/issues.ts); all share DEMO_PASSWORD. No Playwright here: vitest imports it too. */
export const DEMO_PASSWORD = "linli2026";

export const DEMO = {
  admin: "13900000001",
  cityOfficer: "13900000002",
  districtOfficer: "13900000003",
  xihuOfficer: "13900000025",
  liaisonXihu: "13900000004",
  liaisonQingyunpu: "13900000005",
  communityStaff: "13900000006",
  guanyingStaff: "13900000024",
  reviewer: "13900000007",
  reviewer2: "13900000031",
  orgMember: "13900000008",
  socialWorker: "13900000020",
  privacyOfficer: "13900000021",
  auditor: "13900000061",
  lequanMember: "13900000022",
  orangeMember: "13900000026",
  resident: "13900000009",
} as const;

export type DemoUser = keyof typeof DEMO;
