import { expect, test, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import { e2eDatabaseUrl } from "./db";
import { DEMO, DEMO_PASSWORD, login } from "./helpers";

/** A minimal PDF, the 登记证书 the call requires. */
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const SECOND_REVIEWER = "13900000031";

async function withDb<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: await e2eDatabaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** What the roundtables feature leaves behind: an issue of 广南社区 decided 转入创投 at a roundtable. */
async function decidedIssue(title: string): Promise<string> {
  return withDb(async (c) => {
    const place = (await c.query<{ id: number }>("select id from places where name = '广南社区'")).rows[0].id;
    const staff = (await c.query<{ id: string }>("select id from users where phone = $1", [DEMO.communityStaff])).rows[0].id;
    const issue = (
      await c.query<{ id: string }>(
        `insert into issues (place_id, author_id, title, description, category, status, action_type)
         values ($1, $2, $3, '楼道灯坏了很久，老人晚上上下楼看不清台阶。', '社区环境', 'decided', 'mei') returning id`,
        [place, staff, title],
      )
    ).rows[0].id;
    const rt = (
      await c.query<{ id: string }>(
        `insert into roundtables (place_id, title, starts_at, venue, capacity, status, created_by)
         values ($1, '广南社区幸福圆桌会：楼道照明', now() - interval '3 days', '广南社区党群服务中心', 20, 'concluded', $2) returning id`,
        [place, staff],
      )
    ).rows[0].id;
    await c.query(
      `insert into roundtable_decisions (roundtable_id, issue_id, kind, action_type, budget_estimate_fen, decided_by)
       values ($1, $2, 'to_call', 'mei', 3000000, $3)`,
      [rt, issue, staff],
    );
    return issue;
  });
}

async function asUser(browser: Browser, phone: string, opts: { javaScriptEnabled?: boolean } = {}) {
  const context = await browser.newContext(opts);
  const page = await context.newPage();
  await login(page, phone, DEMO_PASSWORD);
  return { context, page };
}

function localInput(offsetMs: number): string {
  return new Date(Date.now() + offsetMs + 8 * 3_600_000).toISOString().slice(0, 16);
}

async function scoreAll(page: Page, scores: number[]) {
  const names = ["需求回应", "可行性", "撬动资源"];
  for (let i = 0; i < names.length; i++) {
    await page.getByRole("textbox", { name: new RegExp(`^${names[i]}（0–`) }).fill(String(scores[i]));
    await page.getByLabel(`${names[i]}评语`).fill(scores[i] > 20 ? "方案扎实，可行" : "需加强");
  }
  await page.getByRole("button", { name: "提交评分" }).click();
}

test("an officer publishes a call from a roundtable's issue; the organisation bids without JavaScript; two reviewers score; the officer sees the ranking", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const stamp = Date.now() % 100_000;
  const issueTitle = `广南小区 5 栋楼道灯不亮 ${stamp}`;
  const callTitle = `楼道照明微创投 ${stamp}`;
  const issueId = await decidedIssue(issueTitle);

  // The city officer sees the decided issue among those ready for a call, and publishes a call answering it.
  await login(page, DEMO.cityOfficer);
  await page.goto("/issues/ready");
  await expect(page.getByRole("link", { name: issueTitle })).toBeVisible();
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "发布招贤榜" }).click();
  await page.getByLabel("标题").fill(callTitle);
  await page.getByLabel("榜单说明").fill("面向社会组织征集广南社区楼道照明改善项目，鼓励链接灯具等实物支持。");
  const xihu = await page.getByLabel("发布地区").locator("option", { hasText: "西湖区" }).getAttribute("value");
  await page.getByLabel("发布地区").selectOption(xihu!);
  await page.getByLabel("行动类型").selectOption("mei");
  await page.getByLabel("资金池").selectOption({ label: "2026年市福彩公益金社区社会组织服务项目（南昌市）" });
  await page.getByLabel("总预算（元）").fill("50000");
  await page.getByLabel("单个项目上限（元）").fill("40000");
  await page.getByLabel("开始申报时间").fill(localInput(-3_600_000));
  await page.getByLabel("截止时间").fill(localInput(7 * 86_400_000));
  await page.getByLabel("项目开始日期").fill(localInput(10 * 86_400_000).slice(0, 10));
  await page.getByLabel("项目结束日期").fill(localInput(120 * 86_400_000).slice(0, 10));
  await page.getByRole("checkbox", { name: new RegExp(issueTitle) }).check();
  await page.getByLabel("必需附件").fill("登记证书");
  const rubric: Array<[string, string, string]> = [
    ["需求回应", "是否回应居民议题", "40"],
    ["可行性", "计划与预算是否可行", "35"],
    ["撬动资源", "配套资金与实物支持", "25"],
  ];
  for (const [i, [name, desc, weight]] of rubric.entries()) {
    await page.getByLabel(`评分项 ${i + 1} 名称`).fill(name);
    await page.getByLabel(`评分项 ${i + 1} 说明`).fill(desc);
    await page.getByLabel(`评分项 ${i + 1} 权重`).fill(weight === "25" ? "20" : weight);
  }
  await page.getByRole("button", { name: "保存草稿" }).click();
  // Weights must make 100; nothing typed is lost.
  await expect(page.getByRole("alert")).toContainText("评分项权重合计应为 100，现为 95");
  await expect(page.getByLabel("标题")).toHaveValue(callTitle);
  await page.getByLabel("评分项 3 权重").fill("25");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText("草稿已保存。核对无误后请发布。")).toBeVisible();
  await page.getByRole("button", { name: "发布招贤榜" }).click();
  await expect(page.getByRole("status")).toHaveText("招贤榜已发布");
  const manageUrl = new URL(page.url()).pathname;
  const callUrl = manageUrl.replace(/\/manage$/, "");

  await page.goto(callUrl);
  await expect(page.getByTestId("call-phase")).toHaveText("征集中");
  await expect(page.getByRole("region", { name: "变更记录" })).toContainText("发布招贤榜");
  // The issue's own page (the issues feature) shows it 招募中; read as served, without its scripts.
  const issuePage = await (await page.request.get(`/issues/${issueId}`)).text();
  expect(issuePage).toContain("招募中");
  expect(issuePage).toContain(`招贤榜「${callTitle}」已发布，招募社会组织承接`);

  // The organisation, told by the bell, bids in a browser without JavaScript.
  const org = await asUser(browser, DEMO.orgMember, { javaScriptEnabled: false });
  const o = org.page;
  await o.goto("/notifications");
  await expect(o.getByText(`新的招贤榜：${callTitle}`)).toBeVisible();
  await o.goto(callUrl);
  await o.getByRole("link", { name: "填写申报书：江西省照明电器协会" }).click();
  await o.getByLabel("项目名称").fill(`5 栋楼道“点亮回家路” ${stamp}`);
  await o.getByLabel("项目概述").fill("为 5 栋楼道安装太阳能楼道灯，协会会员企业捐赠灯具。");
  await o.getByLabel("服务对象", { exact: true }).fill("5 栋居民（老人为主）");
  await o.getByLabel("服务对象人数").fill("86");
  await o.getByLabel("实施计划").fill("第一周摸排点位，第二周安装，第一个月回访。");
  await o.getByLabel("项目负责人", { exact: true }).fill("赵会长");
  await o.getByLabel("预算 1 类别").selectOption("物资");
  await o.getByLabel("预算 1 说明").fill("安装辅材");
  await o.getByLabel("预算 1 金额（元）").fill("12,000");
  await o.getByLabel("预算 2 类别").selectOption("人员");
  await o.getByLabel("预算 2 说明").fill("安装人工");
  await o.getByLabel("预算 2 金额（元）").fill("8000");
  await o.getByRole("button", { name: "添加一行预算" }).click();
  await expect(o.getByLabel("预算 6 类别")).toBeVisible();
  await expect(o.getByLabel("预算 1 金额（元）")).toHaveValue("12,000");
  await o.getByLabel("预算 6 类别").selectOption("宣传");
  await o.getByLabel("预算 6 说明").fill("安全用电宣传");
  await o.getByLabel("预算 6 金额（元）").fill("1000");
  await o.getByLabel("配套 1 出资方").fill("协会会员企业");
  await o.getByLabel("配套 1 形式").selectOption("in_kind");
  await o.getByLabel("配套 1 内容").fill("太阳能楼道灯 30 盏");
  await o.getByLabel("配套 1 价值（元）").fill("9000");
  await o.getByLabel("里程碑 1 名称").fill("点位摸排");
  await o.getByLabel("里程碑 1 交付成果").fill("点位清单");
  await o.getByLabel("里程碑 1 完成日期").fill(localInput(20 * 86_400_000).slice(0, 10));
  await o.getByLabel("里程碑 1 拨付比例（%）").fill("30");
  await o.getByLabel("里程碑 2 名称").fill("安装完成");
  await o.getByLabel("里程碑 2 交付成果").fill("验收单与照片");
  await o.getByLabel("里程碑 2 完成日期").fill(localInput(60 * 86_400_000).slice(0, 10));
  await o.getByLabel("里程碑 2 拨付比例（%）").fill("60");
  await o.getByRole("button", { name: "提交申报书" }).click();
  // Saved as a draft, refused for submission with the reasons.
  await expect(o.getByRole("alert")).toContainText("草稿已保存。申报书还不能提交");
  await expect(o.getByRole("alert")).toContainText("各里程碑拨付比例合计应为 100%，现为 90%");
  await expect(o.getByRole("alert")).toContainText("缺少必需的附件：登记证书");
  await expect(o.getByLabel("预算 3 金额（元）")).toHaveValue("1000.00");
  await o.getByLabel("里程碑 2 拨付比例（%）").fill("70");
  await o.getByLabel("登记证书（必需）").setInputFiles({ name: "登记证书.pdf", mimeType: "application/pdf", buffer: PDF });
  await o.getByRole("button", { name: "提交申报书" }).click();
  await expect(o.getByRole("status")).toHaveText("申报书已提交");
  await expect(o.getByTestId("bid-status")).toHaveText("状态：已提交");
  await expect(o.getByTestId("bid-total")).toHaveText("21,000.00 元");
  await expect(o.getByRole("link", { name: "登记证书.pdf" })).toBeVisible();
  await org.context.close();

  // The deadline passes (server time); the officer appoints two reviewers and assigns automatically.
  await withDb((c) => c.query("update calls set closes_at = now() - interval '1 minute' where title = $1", [callTitle]));
  await page.goto(manageUrl);
  await page.getByRole("checkbox", { name: "评审专家 王教授" }).check();
  await page.getByRole("checkbox", { name: "评审专家 李老师" }).check();
  await page.getByRole("button", { name: "聘请所选专家" }).click();
  await expect(page.getByRole("status")).toHaveText("已聘请 2 位评审专家");
  await page.getByRole("button", { name: "自动分配评审" }).click();
  await expect(page.getByRole("status")).toHaveText("已分配 2 项评审任务");

  // Each reviewer declares no conflict, then scores; the first one's scores are hidden from the officer until submitted.
  const project = `江西省照明电器协会：5 栋楼道“点亮回家路” ${stamp}`;
  const first = await asUser(browser, DEMO.reviewer);
  await first.page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "评审" }).click();
  await first.page.getByRole("article", { name: project }).getByRole("link").click();
  await expect(first.page.getByRole("region", { name: "申报书" })).toHaveCount(0);
  await first.page.getByRole("radio", { name: "无利害关系，不需要回避" }).check();
  await first.page.getByRole("button", { name: "提交声明" }).click();
  await expect(first.page.getByRole("status")).toHaveText("已确认无需回避，请评分");
  await expect(first.page.getByRole("table", { name: "预算明细" })).toContainText("安装辅材");
  await first.page.getByRole("textbox", { name: /^需求回应（0–/ }).fill("38");
  await first.page.getByRole("button", { name: "保存评分" }).click();
  await expect(first.page.getByRole("status")).toHaveText("评分已保存（尚未提交）");
  await page.goto(`${callUrl}/ranking`);
  await expect(page.getByRole("row", { name: /5 栋楼道/ })).toContainText("—");
  await scoreAll(first.page, [38, 32, 22]);
  await expect(first.page.getByRole("status")).toHaveText("评分已提交，总分 92 分");
  await first.context.close();

  const second = await asUser(browser, SECOND_REVIEWER);
  await second.page.goto("/review");
  await second.page.getByRole("article", { name: project }).getByRole("link").click();
  await second.page.getByRole("radio", { name: "无利害关系，不需要回避" }).check();
  await second.page.getByRole("button", { name: "提交声明" }).click();
  await scoreAll(second.page, [25, 20, 15]);
  await expect(second.page.getByRole("status")).toHaveText("评分已提交，总分 60 分");
  await second.context.close();

  await page.goto(`${callUrl}/ranking`);
  const row = page.getByRole("row", { name: /5 栋楼道/ });
  await expect(row).toContainText("60、92");
  await expect(row).toContainText("76.0");
  await expect(row).toContainText("分歧较大");
  await expect(row).toContainText("21,000.00 元");
});
