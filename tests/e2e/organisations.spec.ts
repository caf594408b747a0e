import { expect, test, type Page } from "@playwright/test";
import { makeUscc } from "../../app/lib/uscc";
import { DEMO, login, uniquePhone } from "./helpers";

async function registerAccount(page: Page, phone: string, name: string) {
  await page.goto("/register");
  await page.getByLabel("手机号码").fill(phone);
  await page.getByLabel("称呼").fill(name);
  await page.getByRole("textbox", { name: "密码", exact: true }).fill("abc12345");
  await page.getByRole("textbox", { name: "再次输入密码" }).fill("abc12345");
  await page.getByRole("button", { name: "注册" }).last().click();
  await expect(page.getByText("注册成功")).toBeVisible();
}

test("a newly registered user registers an organisation, a city officer verifies it, and the profile shows the badge", async ({ page, browser }) => {
  const phone = uniquePhone();
  const name = `桔园社区暖心助老服务中心${phone.slice(-4)}`;
  const code = makeUscc(`52360104MJ${phone.slice(-6)}`);
  const wrongCheck = code.slice(0, 17) + (code[17] === "1" ? "2" : "1");

  await registerAccount(page, phone, "桔园 王老师");
  await page.goto("/organisations");
  await page.getByRole("link", { name: "登记社会组织" }).click();
  await page.getByLabel("组织名称").fill(name);
  await page.getByLabel("统一社会信用代码").fill(wrongCheck);
  await page.getByLabel("组织类型").selectOption("生活服务类");
  await page.getByLabel("所在区县").selectOption({ label: "南昌市 · 青云谱区" });
  await page.getByLabel("登记管理机关").fill("青云谱区民政局");
  await page.getByLabel("办公地址").fill("南昌市青云谱区洪都中大道 88 号");
  await page.getByLabel("联系人").fill("王老师");
  await page.getByLabel("联系电话").fill(phone);
  await page.getByRole("checkbox", { name: "养老" }).check();
  await page.getByRole("checkbox", { name: "扶弱" }).check();
  await page.getByLabel("组织简介").fill("扎根桔园社区，为空巢和高龄老人提供助餐、上门探访和陪伴就医服务。");
  await page.getByRole("button", { name: "提交登记" }).click();

  // A wrong check character is refused with the reason, and nothing typed is lost.
  await expect(page.getByRole("alert")).toContainText(`校验码错误：最后一位应为 ${code[17]}`);
  await expect(page.getByLabel("组织名称")).toHaveValue(name);
  await expect(page.getByRole("checkbox", { name: "养老" })).toBeChecked();
  await page.getByLabel("统一社会信用代码").fill(code);
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page.getByText("登记已提交")).toBeVisible();
  await expect(page.getByTestId("organisation-status")).toHaveText("待查验");
  const profileUrl = page.url().replace(/\/manage\?.*$/, "");

  const officer = await browser.newContext();
  const op = await officer.newPage();
  await login(op, DEMO.cityOfficer);
  await op.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "组织查验" }).click();
  const card = op.getByRole("article", { name });
  await expect(card).toContainText(code);
  await card.getByRole("button", { name: `查验通过 ${name}` }).click();
  await expect(op.getByRole("status")).toHaveText("已查验通过");
  await expect(op.getByRole("article", { name })).toHaveCount(0);
  await officer.close();

  await page.goto(profileUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByTestId("organisation-status")).toHaveText("✓ 已查验");
  await expect(page.getByText("通过民政局查验")).toBeVisible();
  await expect(page.getByRole("region", { name: "获得资助" })).toContainText("暂无");
  await expect(page.getByRole("link", { name: "管理组织" })).toBeVisible();
});

test("a second registration with the same code is refused", async ({ page }) => {
  await login(page, DEMO.resident);
  await page.goto("/organisations?verified=yes");
  await page.getByRole("article").first().getByRole("link").click();
  const existing = (await page.getByText(/^统一社会信用代码：/).textContent())!.replace("统一社会信用代码：", "");
  await page.goto("/organisations/new");
  await page.getByLabel("组织名称").fill("重复登记测试组织");
  await page.getByLabel("统一社会信用代码").fill(existing);
  await page.getByLabel("组织类型").selectOption("公益慈善类");
  await page.getByLabel("所在区县").selectOption({ label: "南昌市 · 西湖区" });
  await page.getByLabel("登记管理机关").fill("西湖区民政局");
  await page.getByLabel("办公地址").fill("南昌市西湖区某路 1 号");
  await page.getByLabel("联系人").fill("张阿姨");
  await page.getByLabel("联系电话").fill("13900000009");
  await page.getByRole("checkbox", { name: "扶弱" }).check();
  await page.getByLabel("组织简介").fill("这是一段用于测试重复登记的组织简介，长度超过二十个字。");
  await page.getByRole("button", { name: "提交登记" }).click();
  await expect(page.getByRole("alert")).toContainText("该统一社会信用代码已登记");
});

test("an officer sets up a pool, sees its available balance, and tops it up", async ({ page }) => {
  await login(page, DEMO.cityOfficer);
  await page.goto("/bureau/pools");
  await expect(page.getByRole("row", { name: /市福彩公益金/ }).first()).toContainText("163.00 万元");
  await page.getByRole("link", { name: "设立资金池" }).click();
  const name = `社区微创投测试资金 ${Date.now()}`;
  await page.getByLabel("资金池名称").fill(name);
  await page.getByLabel("所属地区").selectOption({ label: "南昌市（市）" });
  await page.getByLabel("资金来源").selectOption("社会捐赠");
  await page.getByLabel("总额（元）").fill("50,000");
  await page.getByLabel("开始日期").fill("2026-01-01");
  await page.getByLabel("结束日期").fill("2026-12-31");
  await page.getByRole("button", { name: "设立资金池" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByTestId("pool-available")).toHaveText("5.00 万元");
  await expect(page.getByTestId("pool-committed")).toHaveText("0.00 元");
  await expect(page.getByRole("cell", { name: "设立资金池：社会捐赠" })).toBeVisible();

  await page.getByLabel("金额（元）").fill("1234.56");
  await page.getByLabel("注资说明").fill("爱心企业追加捐赠");
  await page.getByRole("button", { name: "注资", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "已注资" })).toHaveText("已注资 1,234.56 元，可用余额 51,234.56 元");
  await expect(page.getByTestId("pool-total")).toHaveText("5.12 万元");
  await expect(page.getByRole("cell", { name: "爱心企业追加捐赠" })).toBeVisible();
});

test("a district officer is refused, by the server, a city pool and the verification of another district's organisation", async ({ page, browser }) => {
  const city = await browser.newContext();
  const cp = await city.newPage();
  await login(cp, DEMO.cityOfficer);
  await cp.goto("/bureau/pools");
  const cityPool = (await cp.getByRole("link", { name: /市福彩公益金/ }).getAttribute("href"))!;
  await city.close();

  await page.goto("/organisations");
  await page.getByLabel("所在区县").selectOption({ label: "南昌市 · 西湖区" });
  await page.getByRole("button", { name: "筛选" }).click();
  const xihuOrg = (await page.getByRole("article").first().getByRole("link").getAttribute("href"))!.split("/").pop()!;

  await login(page, DEMO.districtOfficer);
  await page.goto("/bureau/pools");
  await expect(page.getByRole("link", { name: /点亮桔灯/ })).toBeVisible();
  await expect(page.getByRole("link", { name: /市福彩公益金/ })).toHaveCount(0);
  expect((await page.goto(cityPool))?.status()).toBe(403);
  const post = await page.request.post("/bureau/organisations", { form: { intent: "verify", organisationId: xihuOrg } });
  expect(post.status()).toBe(403);
});

test.describe("on a 375 px phone", () => {
  test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

  test("the organisation list and the registration form fit the screen", async ({ page }) => {
    await login(page, DEMO.resident);
    for (const path of ["/organisations", "/organisations/new"]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});
