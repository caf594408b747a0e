import ExcelJS from "exceljs";
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { e2eDb } from "./db";
import { DEMO, login } from "./helpers";

test("a city officer opens the city dashboard, drills into 青云谱区 and exports its 总结报告", async ({ page }) => {
  await login(page, DEMO.cityOfficer);
  await page.goto("/bureau/dashboard");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("项目数据看板 · 南昌市");
  await expect(page.getByRole("img", { name: /议定议题：按地区、按四项行动/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /资助金额：按地区、按四项行动/ })).toBeVisible();
  // The demo programme: the live stories and the earlier rounds (db/seed/history.ts).
  await expect(page.getByTestId("figure-projects")).toHaveText("560");
  await expect(page.getByTestId("figure-leveraged")).toHaveText("448.00 万元");

  await page.getByRole("link", { name: "青云谱区", exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("项目数据看板 · 青云谱区");
  await expect(page.getByRole("navigation", { name: "地区层级" }).getByRole("link", { name: "南昌市" })).toBeVisible();
  // The district's own pool (点亮桔灯, 87.3 万元) is in its figures.
  await expect(page.getByTestId("figure-poolFunds")).toHaveText("87.30 万元");

  await page.getByRole("link", { name: "生成总结报告" }).click();
  await expect(page).toHaveURL(/\/bureau\/reports\?place=\d+/);
  await expect(page.getByRole("combobox", { name: "地区" })).toHaveValue(/\d+/);
  await page.getByLabel("意见建议").fill("建议继续推进“点亮桔灯”行动，加强对新登记社会组织的项目申报指导。");
  await page.getByRole("button", { name: "生成报告" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("青云谱区社区社会组织参与基层治理总结报告");
  await expect(page.getByText("建议继续推进“点亮桔灯”行动")).toBeVisible();

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "下载 XLSX" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await readFile(await download.path())) as unknown as ArrayBuffer);
  expect(wb.worksheets.map((w) => w.name)).toContain("按地区");
  const pools = wb.getWorksheet("工作部署-资金池")!;
  expect(pools.getRow(pools.rowCount).getCell(4).value).toBe(873000);

  // The report is kept and listed for downloading again.
  await page.goto("/bureau/reports");
  await expect(page.getByRole("link", { name: /下载 青云谱区 .* 的 XLSX/ }).first()).toBeVisible();
});

test("a liaison pushes an issue to two organisations, whose members see the notification", async ({ page, browser }) => {
  await login(page, DEMO.liaisonXihu);
  await page.goto("/liaison");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("联络员工作台 · 西湖区");
  // The first issue decided 转入创投 in 西湖区 that no call has taken up yet.
  const issue = page.getByRole("radio", { name: /议定）$/ }).first();
  const title = await issue.evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent ?? "");
  await issue.check();
  await page.getByRole("checkbox", { name: /江西省照明电器协会/ }).check();
  await page.getByRole("checkbox", { name: /南昌乐清商会/ }).check();
  await page.getByLabel("附言").fill("辖区居民需求，欢迎申报。");
  await page.getByRole("button", { name: "推送" }).click();
  await expect(page.getByRole("status")).toContainText("已推送给 2 家组织");
  const issueTitle = title.replace(/（.*$/, "");
  await expect(page.getByText(`议题：${issueTitle}`).first()).toBeVisible();

  for (const member of [DEMO.orgMember, DEMO.lequanMember]) {
    const context = await browser.newContext();
    const p = await context.newPage();
    await login(p, member);
    await p.goto("/notifications");
    await expect(p.getByText(`需求推送：${issueTitle}`).first()).toBeVisible();
    await context.close();
  }
});

test("the public figures page and the open data show counts only", async ({ page, request }) => {
  await page.goto("/figures");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("项目公开数据 · 南昌市");
  // Neither the page nor the data sent with it holds a phone number or a person's id.
  const html = await page.content();
  expect(html).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  expect(html).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/);
  const csv = await request.get("/open-data/figures.csv");
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text.split("\r\n")[0]).toBe("\uFEFFplace_code,place_name,period_from,period_to,metric,metric_name,action_type,value,unit");
  expect(text).not.toMatch(/1[3-9]\d{9}/);
  expect((await request.get("/open-data/nothing.csv")).status()).toBe(404);
});

test("a liaison gives a guidance note on a project; the organisation reads it, the public page does not show it", async ({ page, browser }) => {
  const { rows } = await e2eDb().query<{ id: string }>(
    "select g.id from grants g join organisation_members m on m.organisation_id = g.organisation_id join users u on u.id = m.user_id where u.phone = $1 and g.status = 'in_progress' limit 1",
    [DEMO.orangeMember],
  );
  const grantId = rows[0].id;
  const note = `建议在第二期活动前张贴安全提示，并留存签到表（${Date.now()}）。`;
  await login(page, DEMO.liaisonQingyunpu);
  await page.goto(`/grants/${grantId}/manage`);
  await page.getByLabel("新增指导意见").fill(note);
  await page.getByRole("button", { name: "发送指导意见" }).click();
  await expect(page.getByRole("status")).toContainText("指导意见已发送");
  await expect(page.getByText(note)).toBeVisible();

  const context = await browser.newContext();
  const member = await context.newPage();
  await login(member, DEMO.orangeMember);
  await member.goto("/notifications");
  await expect(member.getByText(/联络员指导意见：/).first()).toBeVisible();
  await member.goto(`/grants/${grantId}`);
  await expect(member.getByRole("heading", { name: "联络员指导意见" })).toBeVisible();
  await expect(member.getByText(note)).toBeVisible();
  await context.close();

  const anonymous = await browser.newContext();
  const visitor = await anonymous.newPage();
  await visitor.goto(`/grants/${grantId}`);
  await expect(visitor.getByRole("heading", { level: 1 })).toHaveText("资助协议");
  await expect(visitor.getByText(note)).toHaveCount(0);
  await visitor.goto(`/projects/${grantId}`);
  await expect(visitor.getByText(note)).toHaveCount(0);
  await anonymous.close();
});
