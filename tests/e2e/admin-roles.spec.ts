import { expect, test } from "@playwright/test";
import { DEMO, login, uniquePhone } from "./helpers";

test("an administrator gives a new user a scoped role, which the user then holds", async ({ page, browser }) => {
  const phone = uniquePhone();
  const newcomer = await browser.newContext();
  const np = await newcomer.newPage();
  await np.goto("/register");
  await np.getByLabel("手机号码").fill(phone);
  await np.getByLabel("称呼").fill("新社工");
  await np.getByRole("textbox", { name: "密码", exact: true }).fill("abc12345");
  await np.getByRole("textbox", { name: "再次输入密码" }).fill("abc12345");
  await np.getByRole("button", { name: "注册" }).last().click();
  await expect(np.getByText("您目前是普通注册用户")).toBeVisible();

  await login(page, DEMO.admin);
  await page.goto("/admin/roles");
  await page.getByLabel("查找用户").fill(phone);
  await page.getByRole("button", { name: "查找" }).click();
  await page.getByRole("link", { name: "管理 新社工 的角色" }).click();

  const placeSelect = page.getByRole("combobox", { name: "地区范围" });
  await page.getByRole("combobox", { name: "角色" }).selectOption({ label: "社区工作者" });
  await placeSelect.selectOption((await placeSelect.locator("option", { hasText: "广南社区" }).getAttribute("value"))!);
  await page.getByRole("button", { name: "授予角色" }).click();
  await expect(page.getByRole("status")).toHaveText("已授予角色");
  await expect(page.getByRole("button", { name: "撤销 社区工作者" })).toBeVisible();

  // A role at the wrong level is refused with a reason, and the choices stay selected.
  await page.getByRole("combobox", { name: "角色" }).selectOption({ label: "居民" });
  await placeSelect.selectOption((await placeSelect.locator("option", { hasText: "西湖区" }).getAttribute("value"))!);
  await page.getByRole("button", { name: "授予角色" }).click();
  await expect(page.getByRole("alert")).toContainText("居民不能设在「西湖区」这一级");
  await expect(page.getByRole("combobox", { name: "角色" })).toHaveValue("resident");

  await np.goto("/me");
  await expect(np.getByRole("cell", { name: "广南社区" })).toBeVisible();
  await newcomer.close();

  await page.goto("/admin/audit?action=role.assign");
  await expect(page.getByRole("cell", { name: "role.assign" }).first()).toBeVisible();
});

test("a non-administrator is refused the role page by the server", async ({ page }) => {
  await login(page, DEMO.cityOfficer);
  const res = await page.goto("/admin/roles");
  expect(res?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "没有权限" })).toBeVisible();
  const post = await page.request.post("/admin/roles", { form: { intent: "assign" } });
  expect(post.status()).toBe(403);
});
