import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "linli2026";
export const DEMO = {
  admin: "13900000001",
  cityOfficer: "13900000002",
  districtOfficer: "13900000003",
  liaisonXihu: "13900000004",
  liaisonQingyunpu: "13900000005",
  communityStaff: "13900000006",
  reviewer: "13900000007",
  orgMember: "13900000008",
  resident: "13900000009",
} as const;

export async function login(page: Page, phone: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("手机号码").fill(phone);
  await page.getByRole("textbox", { name: "密码", exact: true }).fill(password);
  await page.getByRole("button", { name: "登录" }).last().click();
  await expect(page.getByRole("button", { name: "退出", exact: true })).toBeVisible();
}

let counter = 0;
/** A mobile number no other test in this run uses. */
export function uniquePhone(): string {
  counter++;
  const n = (Date.now() % 10_000_000) * 10 + (counter % 10) + process.pid;
  return `15${String(n % 1_000_000_000).padStart(9, "0")}`;
}

/**
 * The database of the server under test, for the few arrangements no page makes (a roundtable
 * decision made earlier, a deadline that has passed). Everything a person does goes through pages.
 */
export async function e2eDatabaseUrl(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  const os = await import("node:os");
  const file = `${os.tmpdir()}/lsw-e2e-database-${process.env.E2E_PORT ?? 3210}.url`;
  for (let i = 0; i < 50; i++) {
    const url = await readFile(file, "utf8").catch(() => "");
    if (url) return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${file} not written by the e2e server`);
}
