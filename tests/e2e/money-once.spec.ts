import { expect, test } from "@playwright/test";
import { e2eDb, one } from "./db";
import { DEMO } from "./demo-accounts";
import { login } from "./helpers";

/**
 * Money operations happen once (issue 11): a double-clicked 发放 pays once, and the same payment
 * form posted 10 times at once over HTTP writes one ledger row and gets the same answer 10 times.
 * Arrangement (the one thing not done in a page): a running demo grant's first milestone is
 * marked approved, as the liaison and officer would have done, so its tranche can be paid.
 */

async function payableGrant(projectLike: string): Promise<string> {
  const g = await one<{ id: string }>("select id from grants where project_name like $1 and status = 'in_progress' limit 1", [projectLike]);
  await e2eDb().query("update milestone_reports set status = 'approved' where grant_id = $1 and position = 1", [g.id]);
  await e2eDb().query("update grant_milestones set status = 'approved', approved_at = now() where grant_id = $1 and position = 1", [g.id]);
  return g.id;
}

async function ledgerRows(grantId: string): Promise<number> {
  const r = await one<{ n: string }>("select count(*) as n from ledger_entries where grant_id = $1 and kind = 'disburse'", [grantId]);
  return Number(r.n);
}

test("a double-clicked 发放 pays the tranche once", async ({ page }) => {
  const grantId = await payableGrant("邻里和事佬%阳光居%");
  expect(await ledgerRows(grantId)).toBe(0);
  await login(page, DEMO.cityOfficer);
  await page.goto(`/grants/${grantId}/manage`);
  await page.waitForLoadState("networkidle");
  await page.getByLabel(/第 1 期 .* 支付凭证号/).fill("DBL-CLICK-0001");
  let posts = 0;
  page.on("request", (r) => {
    if (r.method() === "POST" && r.url().includes(`/grants/${grantId}/manage`)) posts++;
  });
  await page.getByRole("button", { name: "发放", exact: true }).dblclick();
  await expect(page.getByRole("status")).toContainText("已拨付");
  await expect(page.getByRole("table", { name: "拨付记录" })).toContainText("DBL-CLICK-0001");
  // Both submissions have reached the server by now; give a straggler a moment all the same.
  await page.waitForTimeout(500);
  expect(posts).toBe(2);
  expect(await ledgerRows(grantId)).toBe(1);
  const d = await one<{ n: string }>("select count(*) as n from disbursements where grant_id = $1", [grantId]);
  expect(Number(d.n)).toBe(1);
});

test("the same payment form posted 10 times at once writes one ledger row and answers the same", async ({ page, baseURL }) => {
  const grantId = await payableGrant("邻里和事佬%平安志愿%");
  await login(page, DEMO.cityOfficer);
  const key = crypto.randomUUID();
  const post = () =>
    page.request.post(`/grants/${grantId}/manage`, {
      form: { intent: "disburse", position: "1", paymentReference: "HTTP-TEN-0001", idempotencyKey: key },
      headers: { Origin: baseURL! },
    });
  const responses = await Promise.all(Array.from({ length: 10 }, post));
  const answers = await Promise.all(responses.map(async (r) => ({ status: r.status(), paid: (await r.text()).includes("已拨付，记入资金流水。") })));
  expect(answers).toEqual(Array.from({ length: 10 }, () => ({ status: 200, paid: true })));
  expect(await ledgerRows(grantId)).toBe(1);
});
