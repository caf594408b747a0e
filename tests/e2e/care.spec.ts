import { expect, test } from "@playwright/test";
import { makeIdCard } from "../../app/lib/idcard";
import { xlsxFile } from "../support/xlsx";
import { DEMO, login } from "./helpers";

const SOCIAL_WORKER = "13900000020";
const PRIVACY_OFFICER = "13900000021";

function csvFile(rows: string[][]) {
  const text = "\uFEFF" + rows.map((r) => r.join(",")).join("\r\n") + "\r\n";
  return { name: "数字民政名单.csv", mimeType: "text/csv", buffer: Buffer.from(text, "utf8") };
}

test("an officer imports targets, matches one with a social worker who logs a visit; others get 404; the access is reported", async ({ page, browser }) => {
  const tag = String(Date.now() % 100000).padStart(5, "0");
  const name = `导入对象${tag}`;
  const seq = (n: number) => String((Number(tag) + n) % 1000).padStart(3, "0");
  const goodId = makeIdCard("360103", "19520304", seq(1));
  const badId = makeIdCard("360103", "19600101", seq(2)).slice(0, 17) + "Z";
  const wrongCheck = (() => {
    const id = makeIdCard("360104", "19700707", seq(3));
    return id.slice(0, 17) + (id[17] === "1" ? "2" : "1");
  })();

  await login(page, DEMO.cityOfficer);
  await page.goto("/care/import");
  await page.getByLabel("名单文件（XLSX 或 CSV）").setInputFiles(
    csvFile([
      ["姓名", "身份证号码", "联系电话", "社区", "地址", "群体", "需求与情况", "来源", "同意方式"],
      [name, goodId, "13712345678", "广南社区", "南站路 8 号", "空巢老人、残疾人", "独居，需要探访", "数字民政", "书面"],
      [`另一对象${tag}`, makeIdCard("360104", "19480505", seq(4)), "", "桔园社区", "", "低保对象", "", "数字民政", "口头"],
      ["坏行甲", badId, "", "广南社区", "", "空巢老人", "", "数字民政", "书面"],
      ["坏行乙", wrongCheck, "", "不存在社区", "", "空巢老人", "", "数字民政", "书面"],
    ]),
  );
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(page.getByTestId("good-rows")).toHaveText("2");
  await expect(page.getByTestId("bad-rows")).toHaveText("2");
  const problems = page.getByRole("table", { name: "有问题的行" });
  await expect(problems).toContainText("第 4 行");
  await expect(problems).toContainText("第 5 行");
  await expect(problems).toContainText("校验码错误");
  await expect(problems).toContainText("未知社区：不存在社区");
  // Nothing written before confirmation.
  await page.goto(`/care/targets?q=${encodeURIComponent(name)}`);
  await expect(page.getByText("没有符合条件的关爱对象。")).toBeVisible();
  await page.goBack();
  await page.getByRole("button", { name: "确认导入 2 行" }).click();
  await expect(page.getByRole("status")).toContainText("已导入 2 名关爱对象");

  await page.getByLabel("姓名或完整身份证号码").fill(name);
  await page.getByRole("button", { name: "查找" }).click();
  await expect(page.getByRole("cell", { name: `${goodId.slice(0, 6)}********${goodId.slice(14)}` })).toBeVisible();
  await expect(page.getByText(goodId)).toHaveCount(0);
  await page.getByRole("link", { name }).click();
  await expect(page).toHaveURL(/\/care\/targets\/[0-9a-f-]{36}$/);
  const targetUrl = page.url();
  await expect(page.getByTestId("id-masked")).toHaveText(`${goodId.slice(0, 6)}********${goodId.slice(14)}`);

  await page.getByRole("combobox", { name: "对接方式" }).selectOption("social_worker");
  await page.getByLabel("服务人员手机号码（按个人对接时）").fill(SOCIAL_WORKER);
  await page.getByRole("button", { name: "对接", exact: true }).click();
  await expect(page.getByRole("status")).toContainText("已完成对接");
  await expect(page.getByText("社工：社工 张元平")).toBeVisible();

  // The social worker sees the target among their own, opens it and logs a visit.
  const workerContext = await browser.newContext();
  const worker = await workerContext.newPage();
  await login(worker, SOCIAL_WORKER);
  await worker.goto("/care/my");
  await expect(worker.getByRole("link", { name })).toBeVisible();
  await worker.getByRole("combobox", { name: "关爱对象" }).selectOption({ label: `${name}（广南社区）` });
  await worker.getByRole("combobox", { name: "服务类型" }).selectOption("亲情陪伴");
  await worker.getByLabel("时长（分钟）").fill("50");
  await worker.getByLabel("服务记录").fill("上门探访，陪老人聊天，检查了家里的灯。");
  await worker.getByRole("button", { name: "保存服务记录" }).click();
  await expect(worker.getByRole("status")).toContainText("已记录服务");
  await worker.getByRole("link", { name }).click();
  await expect(worker.getByText("上门探访，陪老人聊天，检查了家里的灯。")).toBeVisible();
  await expect(worker.getByRole("heading", { name: "访问记录" })).toHaveCount(0);
  await workerContext.close();

  // A member of another organisation learns nothing: 404 on the page and on the unmask action.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await login(other, DEMO.orgMember);
  const res = await other.goto(targetUrl);
  expect(res?.status()).toBe(404);
  await expect(other.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  await expect(other.getByText(name)).toHaveCount(0);
  const post = await other.request.post(`${targetUrl}/unmask`, { form: { reason: "我想看看这个人是谁" } });
  expect(post.status()).toBe(404);
  expect(await post.text()).not.toContain(goodId);
  await otherContext.close();

  // The officer sees the visit and the carer's read in the record's access history, and unmasks with a reason.
  await page.goto(targetUrl);
  await expect(page.getByText("上门探访，陪老人聊天，检查了家里的灯。")).toBeVisible();
  const history = page.getByRole("region", { name: "访问记录" });
  await expect(history.getByRole("cell", { name: "社工 张元平" }).first()).toBeVisible();
  await page.getByRole("link", { name: "查看完整号码" }).click();
  await page.getByLabel("查看原因").fill("看看");
  await page.getByRole("button", { name: "查看完整号码" }).click();
  await expect(page.getByRole("alert")).toContainText("请具体说明查看原因（至少 5 个字）");
  await page.getByLabel("查看原因").fill("办理临时救助需核对身份");
  await page.getByRole("button", { name: "查看完整号码" }).click();
  await expect(page.getByTestId("id-full")).toHaveText(goodId);

  // The privacy officer's report lists the social worker's read.
  const privacyContext = await browser.newContext();
  const privacy = await privacyContext.newPage();
  await login(privacy, PRIVACY_OFFICER);
  await privacy.goto("/care/access-report");
  const report = privacy.getByRole("table", { name: "访问统计" });
  await expect(report.getByRole("row", { name: /社工 张元平/ })).toBeVisible();
  await expect(report.getByRole("row", { name: /市民政局 刘科长/ })).toBeVisible();
  await privacyContext.close();
});

test("an officer uploads the list as an Excel workbook and sees the same checks, including an ID number Excel stored as a number", async ({ page }) => {
  const tag = String((Date.now() + 500) % 100000).padStart(5, "0");
  const seq = (n: number) => String((Number(tag) + n) % 1000).padStart(3, "0");
  const goodId = makeIdCard("360103", "19500101", seq(5));
  const numericId = makeIdCard("360103", "19510202", seq(6)).replace(/X$/, "0");
  const bytes = await xlsxFile([
    ["姓名", "身份证号码", "社区", "群体", "同意方式", "同意日期"],
    [`表格对象${tag}`, goodId, "广南社区", "空巢老人", "书面", new Date(Date.UTC(2026, 0, 5))],
    [`数字号码${tag}`, Number(numericId), "桔园社区", "低保对象", "口头", new Date(Date.UTC(2026, 0, 6))],
  ]);

  await login(page, DEMO.cityOfficer);
  await page.goto("/care/import");
  await expect(page.getByText("Excel 表格（.xlsx，读取第一个工作表）或 CSV 文件")).toBeVisible();
  await page.getByLabel("名单文件（XLSX 或 CSV）").setInputFiles({ name: "数字民政名单.xlsx", mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buffer: Buffer.from(bytes) });
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(page.getByTestId("good-rows")).toHaveText("1");
  await expect(page.getByTestId("bad-rows")).toHaveText("1");
  const problems = page.getByRole("table", { name: "有问题的行" });
  await expect(problems.getByRole("row", { name: /第 3 行/ })).toContainText("身份证号码被 Excel 存成了数字，请将该列设为文本格式后重新导出");
  await page.getByRole("button", { name: "放弃" }).click();
  await expect(page.getByTestId("good-rows")).toHaveCount(0);
});

test("the demo case of 符明 shows six months of services and the outcome to the city officer", async ({ page }) => {
  await login(page, DEMO.cityOfficer);
  await page.goto("/care/targets?q=符明");
  await page.getByRole("link", { name: "符明（化名）" }).click();
  await expect(page.getByText("符国华（祖父）")).toBeVisible();
  await expect(page.getByText("找到公益性岗位工作", { exact: false })).toBeVisible();
  await expect(page.getByRole("table", { name: "每月服务" }).getByRole("row")).toHaveCount(8);
});

test("residents get 403 on the staff pages; everyone sees only suppressed counts", async ({ page }) => {
  await login(page, DEMO.resident);
  expect((await page.goto("/care/targets"))?.status()).toBe(403);
  expect((await page.goto("/care/import"))?.status()).toBe(403);
  expect((await page.goto("/care/access-report"))?.status()).toBe(403);
  await page.goto("/care/stats");
  await expect(page.getByRole("heading", { name: /关爱服务统计/ })).toBeVisible();
  const cells = await page.getByRole("cell").allTextContents();
  expect(cells.some((c) => c === "<5")).toBe(true);
  expect(cells.filter((c) => /^[1-4]$/.test(c))).toEqual([]);
});

test("the target list's place filter drills down and keeps showing the place chosen", async ({ page }) => {
  await login(page, DEMO.cityOfficer);
  await page.goto("/care/targets");
  const place = page.getByRole("combobox", { name: "地区" });
  // The last district, then one of its streets (listed only once the district is chosen): the other districts then
  // leave the list, so the street's position changes, and the select must still show it.
  const district = (await place.locator("option", { hasText: "区" }).last().getAttribute("value"))!;
  await place.selectOption(district);
  await page.getByRole("button", { name: "查找" }).click();
  await expect(page).toHaveURL(new RegExp(`place=${district}`));
  await expect(place).toHaveValue(district);
  const street = (await place.locator("option", { hasText: "街道" }).first().getAttribute("value"))!;
  await place.selectOption(street);
  await page.getByRole("button", { name: "查找" }).click();
  await expect(page).toHaveURL(new RegExp(`place=${street}`));
  await expect(place).toHaveValue(street);
});
