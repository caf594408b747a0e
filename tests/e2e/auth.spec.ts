import { expect, test, type Page } from "@playwright/test";
import { DEMO, login, logout, uniquePhone } from "./helpers";

test("a person registers, logs out and logs in again; bad input keeps what was typed", async ({ page, context }) => {
  const phone = uniquePhone();
  await page.goto("/register");
  await page.getByLabel("手机号码").fill("12345");
  await page.getByLabel("称呼").fill("王阿姨");
  await page.getByRole("textbox", { name: "密码", exact: true }).fill("abc12345");
  await page.getByRole("textbox", { name: "再次输入密码" }).fill("abc12345");
  await page.getByRole("button", { name: "注册" }).last().click();
  await expect(page.getByRole("alert")).toContainText("请输入正确的11位手机号码");
  await expect(page.getByLabel("称呼")).toHaveValue("王阿姨");
  await expect(page.getByLabel("手机号码")).toHaveValue("12345");

  await page.getByLabel("手机号码").fill(phone);
  await page.getByRole("textbox", { name: "密码", exact: true }).fill("abc12345");
  await page.getByRole("textbox", { name: "再次输入密码" }).fill("abc12345");
  await page.getByRole("button", { name: "注册" }).last().click();
  await expect(page).toHaveURL(/\/me/);
  await expect(page.getByText("注册成功")).toBeVisible();
  await expect(page.getByText(phone)).toBeVisible();

  const session = (await context.cookies()).find((c) => c.name === "lsw_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");

  await logout(page);
  await expect(page.getByRole("link", { name: "登录" })).toBeVisible();
  await page.goto("/me");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fme/);

  await page.getByLabel("手机号码").fill(phone);
  await page.getByRole("textbox", { name: "密码", exact: true }).fill("wrong-pass-9");
  await page.getByRole("button", { name: "登录" }).last().click();
  await expect(page.getByRole("alert")).toContainText("手机号码或密码不正确");

  await page.getByRole("textbox", { name: "密码", exact: true }).fill("abc12345");
  await page.getByRole("button", { name: "登录" }).last().click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole("heading", { name: "我的账户" })).toBeVisible();
});

test("log-out ends the session on the server: a copied cookie stops working", async ({ page, browser }) => {
  // Its own account: logging out a shared demo session would sign out the other tests using it.
  const phone = await registerFresh(page, "退出测试");
  await logout(page);
  await login(page, phone, "Lanhua2026x");
  const cookies = await page.context().cookies();
  await logout(page);
  await expect(page.getByRole("link", { name: "登录" })).toBeVisible();

  const other = await browser.newContext();
  await other.addCookies(cookies);
  const p2 = await other.newPage();
  await p2.goto("/me");
  await expect(p2).toHaveURL(/\/login/);
  await other.close();
});

test("the header shows the person and their role with its scope", async ({ page }) => {
  await login(page, DEMO.communityStaff);
  await expect(page.getByTestId("current-user")).toHaveText("广南社区 李主任");
  await expect(page.getByRole("banner").getByText("社区工作者 · 广南社区")).toBeVisible();
});

test("changing the password signs out the other devices but not this one", async ({ page, browser }) => {
  const phone = uniquePhone();
  await page.goto("/register");
  await page.getByLabel("手机号码").fill(phone);
  await page.getByLabel("称呼").fill("改密码的人");
  await page.getByRole("textbox", { name: "密码", exact: true }).fill("Lanhua2026x");
  await page.getByRole("textbox", { name: "再次输入密码" }).fill("Lanhua2026x");
  await page.getByRole("button", { name: "注册" }).last().click();
  await expect(page).toHaveURL(/\/me/);

  const other = await browser.newContext();
  const op = await other.newPage();
  await login(op, phone, "Lanhua2026x");

  await page.getByRole("link", { name: "修改密码" }).click();
  await page.getByRole("textbox", { name: "当前密码" }).fill("Lanhua2026x");
  await page.getByRole("textbox", { name: "新密码", exact: true }).fill("a123456789");
  await page.getByRole("textbox", { name: "再次输入新密码" }).fill("a123456789");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByRole("alert")).toContainText("这个密码太常见");

  await page.getByRole("textbox", { name: "当前密码" }).fill("Lanhua2026x");
  await page.getByRole("textbox", { name: "新密码", exact: true }).fill("Meihua2027y");
  await page.getByRole("textbox", { name: "再次输入新密码" }).fill("Meihua2027y");
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByText("密码已修改")).toBeVisible();

  await op.goto("/me");
  await expect(op).toHaveURL(/\/login/);
  await other.close();
});

async function registerFresh(page: Page, name: string): Promise<string> {
  const phone = uniquePhone();
  await page.goto("/register");
  await page.getByLabel("手机号码").fill(phone);
  await page.getByLabel("称呼").fill(name);
  await page.getByRole("textbox", { name: "密码", exact: true }).fill("Lanhua2026x");
  await page.getByRole("textbox", { name: "再次输入密码" }).fill("Lanhua2026x");
  await page.getByRole("button", { name: "注册" }).last().click();
  await expect(page).toHaveURL(/\/me/);
  return phone;
}
