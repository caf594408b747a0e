import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, freshCode, login, logout, recordSecret, uniquePhone, uiLogin } from "./helpers";

const PASSWORD = "Lanhua2026x";

async function register(page: Page, name: string): Promise<string> {
  const phone = uniquePhone();
  await page.goto("/register");
  await page.getByLabel("手机号码").fill(phone);
  await page.getByLabel("称呼").fill(name);
  await page.getByRole("textbox", { name: "密码", exact: true }).fill(PASSWORD);
  await page.getByRole("textbox", { name: "再次输入密码" }).fill(PASSWORD);
  await page.getByRole("button", { name: "注册" }).last().click();
  await expect(page).toHaveURL(/\/me/);
  return phone;
}

/** WCAG 2.1 AA on the enrolment and code pages (the route table cannot reach them without a sign-in). */
async function expectAccessible(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
}

async function password(page: Page, phone: string) {
  await page.goto("/login");
  await page.getByLabel("手机号码").fill(phone);
  await page.getByRole("textbox", { name: "密码", exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).last().click();
}

test("a resident enrols an authenticator, then signs in with a code; a wrong code is refused; a recovery code works once", async ({ page }) => {
  // Waits for fresh 30-second steps between its codes (a code is good once).
  test.setTimeout(150_000);
  const phone = await register(page, "两步验证居民");
  await page.getByRole("link", { name: "设置两步验证" }).click();
  await expect(page.getByRole("img", { name: /两步验证二维码/ })).toBeVisible();
  const code = page.getByRole("textbox", { name: "验证码" });
  await expect(code).toHaveAttribute("inputmode", "numeric");
  await expect(code).toHaveAttribute("autocomplete", "one-time-code");
  const secret = (await page.getByTestId("mfa-secret").innerText()).replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  recordSecret(secret);

  await code.fill("000000");
  await page.getByRole("button", { name: "启用两步验证" }).click();
  await expect(page.getByRole("alert")).toContainText("验证码不正确");
  await page.getByRole("textbox", { name: "验证码" }).fill(await freshCode(phone, secret));
  await page.getByRole("button", { name: "启用两步验证" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  const codes = (await page.getByTestId("recovery-codes").locator("li").allInnerTexts()).map((c) => c.trim());
  expect(codes).toHaveLength(10);
  await page.getByRole("link", { name: "我已保存恢复码，继续" }).click();
  await expect(page.getByRole("link", { name: "两步验证（已启用）" })).toBeVisible();
  // the secret is never shown again
  await page.getByRole("link", { name: "两步验证（已启用）" }).click();
  await expect(page.getByText(secret.slice(0, 4))).toHaveCount(0);
  await expect(page.getByText("还剩 10 个未用的恢复码")).toBeVisible();

  await logout(page);
  await password(page, phone);
  await expect(page.getByRole("heading", { name: "两步验证", exact: true })).toBeVisible();
  await expectAccessible(page);
  // no session yet: the password alone opens nothing
  expect((await page.context().cookies()).some((c) => c.name === "lsw_session")).toBe(false);
  await page.getByRole("textbox", { name: "验证码" }).fill("123456" === (await freshCode(phone, secret)) ? "654321" : "123456");
  await page.getByRole("button", { name: "验证并登录" }).click();
  await expect(page.getByRole("alert")).toContainText("验证码不正确");

  await page.getByRole("textbox", { name: "恢复码" }).fill(codes[0]);
  await page.getByRole("button", { name: "用恢复码登录" }).click();
  await expect(page.getByRole("button", { name: "退出", exact: true })).toBeVisible();

  await logout(page);
  await password(page, phone);
  await page.getByRole("textbox", { name: "恢复码" }).fill(codes[0]);
  await page.getByRole("button", { name: "用恢复码登录" }).click();
  await expect(page.getByRole("alert")).toContainText("恢复码不正确或已经用过");
  await page.getByRole("textbox", { name: "验证码" }).fill(await freshCode(phone, secret));
  await page.getByRole("button", { name: "验证并登录" }).click();
  await expect(page.getByRole("button", { name: "退出", exact: true })).toBeVisible();
});

test("a demo officer is asked for the code after the password, before any session exists", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("手机号码").fill(DEMO.districtOfficer);
  await page.getByRole("textbox", { name: "密码", exact: true }).fill("linli2026");
  await page.getByRole("button", { name: "登录" }).last().click();
  await expect(page.getByRole("heading", { name: "两步验证", exact: true })).toBeVisible();
  await page.goto("/grants");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fgrants/);
});

test("a person given a staff role must enrol before anything else, and the log-in helper enrols them", async ({ page, browser }) => {
  // It signs the newcomer in more than once, and a code is good once per 30-second step: up to two
  // waits for a fresh step on top of the pages themselves.
  test.setTimeout(150_000);
  const newcomer = await browser.newContext();
  const np = await newcomer.newPage();
  const phone = await register(np, "新任社区工作者");

  await login(page, DEMO.admin);
  await page.goto("/admin/roles");
  await page.getByLabel("查找用户").fill(phone);
  await page.getByRole("button", { name: "查找" }).click();
  await page.getByRole("link", { name: "管理 新任社区工作者 的角色" }).click();
  const placeSelect = page.getByRole("combobox", { name: "地区范围" });
  await page.getByRole("combobox", { name: "角色" }).selectOption({ label: "社区工作者" });
  await placeSelect.selectOption((await placeSelect.locator("option", { hasText: "广南社区" }).getAttribute("value"))!);
  await page.getByRole("button", { name: "授予角色" }).click();
  await expect(page.getByRole("status")).toHaveText("已授予角色");

  // The session from before the role: staff pages send it to enrolment.
  await np.goto("/residents/requests");
  await expect(np).toHaveURL(/\/me\/mfa\?required=1/);
  await expect(np.getByText("启用两步验证之前不能使用其他功能")).toBeVisible();
  await newcomer.close();

  // A fresh sign-in: the password leads to enrolment; the helper reads the secret and completes it.
  const fresh = await browser.newContext();
  const fp = await fresh.newPage();
  await fp.goto("/login");
  await fp.getByLabel("手机号码").fill(phone);
  await fp.getByRole("textbox", { name: "密码", exact: true }).fill(PASSWORD);
  await fp.getByRole("button", { name: "登录" }).last().click();
  await expect(fp.getByRole("heading", { name: "启用两步验证" })).toBeVisible();
  await expectAccessible(fp);
  await uiLogin(fp, phone, PASSWORD);
  await fp.goto("/residents/requests");
  await expect(fp.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(fp).toHaveURL(/\/residents\/requests/);
  await fresh.close();
});

test("the auditor reads the audit log and the care access report, and is refused changes", async ({ page }) => {
  await login(page, DEMO.auditor);
  await page.goto("/admin/audit?action=user.mfa_passed");
  await expect(page.getByRole("heading", { name: "审计日志" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "user.mfa_passed" }).first()).toBeVisible();
  const report = await page.goto("/care/access-report");
  expect(report?.status()).toBe(200);
  for (const url of ["/admin/roles", "/bureau/pools/new", "/care/targets/new"]) {
    const res = await page.goto(url);
    expect(res?.status(), url).toBe(403);
  }
});

test("retention periods: the auditor reads them, the privacy officer changes one (never below the minimum)", async ({ page, browser }) => {
  await login(page, DEMO.auditor);
  await page.goto("/admin/retention");
  await expect(page.getByRole("cell", { name: "网络访问日志（请求日志）" })).toBeVisible();
  await expect(page.getByRole("button", { name: "保存" })).toHaveCount(0);
  const refused = await page.request.post("/admin/retention", { form: { kind: "sessions", days: "1" } });
  expect(refused.status()).toBe(403);

  const ctx = await browser.newContext();
  const pp = await ctx.newPage();
  await login(pp, DEMO.privacyOfficer);
  await pp.goto("/admin/retention");
  const logs = pp.getByRole("textbox", { name: "网络访问日志（请求日志）保存天数" });
  await logs.fill("90");
  await logs.locator("xpath=ancestor::form").getByRole("button", { name: "保存" }).click();
  await expect(pp.getByRole("alert")).toContainText("180");
  const drafts = pp.getByRole("textbox", { name: "未提交的议题照片草稿保存天数" });
  await drafts.fill("3");
  await drafts.locator("xpath=ancestor::form").getByRole("button", { name: "保存" }).click();
  await expect(pp.getByRole("status")).toHaveText("保存期限已修改");
  await expect(pp.getByRole("textbox", { name: "未提交的议题照片草稿保存天数" })).toHaveValue("3");
  await ctx.close();
});
