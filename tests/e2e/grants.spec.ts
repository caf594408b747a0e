import { expect, test, type Browser, type Page } from "@playwright/test";
import { Kysely, PostgresDialect } from "kysely";
import { runDueGrantTransitions } from "../../app/domain/grants/grants.server";
import { fixedClock } from "../../app/platform/clock";
import type { Database } from "../../db/schema";
import { e2eDb, one } from "./db";
import { DEMO } from "./demo-accounts";
import { login } from "./helpers";

/**
 * 广南社区's lighting story from the award to 已办结, in the browser: the officer awards the
 * 江西省照明电器协会's bid, it is publicised, established by the scheduled job when 公示 ends, the
 * association reports each milestone, the liaison reviews, the officer approves and pays each
 * tranche, a resident evaluates, and the job closes project and issue when the period ends.
 * Time passing is the only thing not done in the browser: the job's function is run with a clock
 * set to the end of each period, as the scheduler would.
 */

async function as(browser: Browser, phone: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await login(page, phone);
  return page;
}

async function runJobAt(at: Date) {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: e2eDb() }) });
  return runDueGrantTransitions(db, fixedClock(at));
}

test("广南社区 lighting: award → 公示 → 立项 → milestones and tranches → 群众评价 → 已办结", async ({ browser }) => {
  test.setTimeout(180_000);
  const call = await one<{ id: string }>("select id from calls where title like '广南社区%照明%'");
  const officer = await as(browser, DEMO.cityOfficer);

  // Award from the ranking.
  await officer.goto(`/calls/${call.id}/awards`);
  const card = officer.getByRole("region", { name: /广南社区“点亮回家路”照明改善/ });
  await card.getByLabel(/资助金额（元）/).fill("28000");
  await card.getByRole("button", { name: "确定资助" }).click();
  await expect(officer.getByRole("status")).toContainText("已确定资助 28,000.00 元");
  const grant = await one<{ id: string; publicity_ends_at: Date }>(
    "select g.id, g.publicity_ends_at from grants g join bids b on b.id = g.bid_id where b.project_name = '广南社区“点亮回家路”照明改善'",
  );

  // The public 公示 page.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`/calls/${call.id}/publicity`);
  const notice = visitor.getByRole("article").filter({ hasText: "广南社区“点亮回家路”照明改善" });
  await expect(notice).toContainText("公示中");
  await expect(notice).toContainText("28,000.00 元");
  await expect(notice).toContainText("小区照明太差");

  // 公示 ends with no objection: the job establishes the grant.
  expect((await runJobAt(new Date(grant.publicity_ends_at))).established).toBeGreaterThanOrEqual(1);

  const org = await as(browser, DEMO.orgMember);
  await org.goto(`/grants/${grant.id}`);
  await expect(org.getByRole("heading", { name: "资助协议" })).toBeVisible();
  await expect(org.getByText("实施中")).toBeVisible();
  await expect(org.getByRole("table", { name: "里程碑与分期拨付" })).toContainText("8,400.00 元");

  const liaison = await as(browser, DEMO.liaisonXihu);
  const resident = await as(browser, DEMO.resident);
  for (const position of [1, 2, 3]) {
    await org.goto(`/grants/${grant.id}/report?position=${position}`);
    // Typing before hydration can be lost when React attaches; wait for the page to settle.
    await org.waitForLoadState("networkidle");
    await org.getByLabel("进展说明").fill(`第 ${position} 阶段：与居民逐栋确认点位，完成安装和调试，居民代表签字确认。`);
    await org.getByLabel("服务人数").fill("320");
    await org.getByLabel("服务对象").fill("广南小区 1–12 栋居民");
    await org.getByLabel("活动 1 日期").fill("2026-04-15");
    await org.getByLabel("活动 1 内容").fill("入户摸排与安装");
    await org.getByLabel("支出 1 说明").fill("安装辅材");
    await org.getByLabel("支出 1 金额（元）").fill("5000");
    await org.getByLabel("实际收到的实物支持").fill("太阳能庭院灯 10 盏、太阳能楼道灯 30 盏、儿童护眼学习台灯 15 台");
    await org.getByRole("button", { name: "提交报告" }).click();
    await expect(org).toHaveURL(new RegExp(`/grants/${grant.id}\\?reported=${position}`), { timeout: 20_000 });

    await liaison.goto(`/grants/${grant.id}/manage`);
    await liaison.getByLabel("审核通过，报民政局").check();
    await liaison.getByRole("button", { name: "提交审核" }).click();
    await expect(liaison.getByRole("status")).toContainText("已审核通过");

    await officer.goto(`/grants/${grant.id}/manage`);
    await officer.getByLabel("审批通过").check();
    await officer.getByRole("button", { name: "提交审批" }).click();
    await expect(officer.getByRole("status")).toContainText("已审批通过");
    await officer.getByLabel(new RegExp(`第 ${position} 期 .* 支付凭证号`)).fill(`GN-2026-0${position}`);
    await officer.getByRole("button", { name: "发放" }).click();
    await expect(officer.getByRole("status")).toContainText("已拨付");
  }
  await expect(officer.getByRole("table", { name: "拨付记录" })).toContainText("GN-2026-03");

  // The public tracker: 100 %, all paid, leveraged lights, 待评价; the resident evaluates once.
  await resident.goto(`/projects/${grant.id}`);
  await expect(resident.getByText("待评价").first()).toBeVisible();
  await expect(resident.getByText("100%", { exact: true })).toBeVisible();
  await expect(resident.getByText("太阳能庭院灯 10 盏").first()).toBeVisible();
  await resident.getByLabel("5 分 非常满意").check();
  await resident.getByLabel("4 分 基本解决").check();
  await resident.getByLabel("意见和建议（可选）").fill("楼道终于亮了，老人晚上出门放心多了。");
  await resident.getByRole("button", { name: "提交评价" }).click();
  await expect(resident.getByRole("status")).toContainText("感谢您的评价");
  await resident.reload();
  await expect(resident.getByText("您已评价过这个项目")).toBeVisible();

  const ends = await one<{ evaluation_ends_at: Date }>("select evaluation_ends_at from grants where id = $1", [grant.id]);
  expect((await runJobAt(new Date(ends.evaluation_ends_at))).closed).toBeGreaterThanOrEqual(1);

  await visitor.goto(`/projects/${grant.id}`);
  await expect(visitor.getByText("已办结").first()).toBeVisible();
  await expect(visitor.getByRole("region", { name: "群众评价" })).toContainText("1 位居民评价：满意度 5.0 分，问题解决 4.0 分（满分 5 分）");
  const issue = await one<{ id: string; status: string }>("select i.id, i.status from issues i join grant_issues gi on gi.issue_id = i.id where gi.grant_id = $1 limit 1", [grant.id]);
  expect(issue.status).toBe("closed");
  await visitor.goto(`/issues/${issue.id}`);
  await expect(visitor.getByText(/已办结/).first()).toBeVisible();
  const balance = await one<{ disbursed: string }>("select coalesce(sum(amount_fen), 0) as disbursed from ledger_entries where grant_id = $1 and kind = 'disburse'", [grant.id]);
  expect(Number(balance.disbursed)).toBe(2_800_000);
});
