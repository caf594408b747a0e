import { expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "./demo-accounts";

export { DEMO, DEMO_PASSWORD } from "./demo-accounts";

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
