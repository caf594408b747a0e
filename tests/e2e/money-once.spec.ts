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

async function payableGrant(projectLike: string, position = 1): Promise<string> {
  const g = await one<{ id: string }>("select id from grants where project_name like $1 and status = 'in_progress' limit 1", [projectLike]);
  await e2eDb().query("update milestone_reports set status = 'approved' where grant_id = $1 and position = $2", [g.id, position]);
  await e2eDb().query("update grant_milestones set status = 'approved', approved_at = now() where grant_id = $1 and position = $2", [g.id, position]);
  return g.id;
}

async function ledgerRows(grantId: string): Promise<number> {
  const r = await one<{ n: string }>("select count(*) as n from ledger_entries where grant_id = $1 and kind = 'disburse'", [grantId]);
  return Number(r.n);
}

test("a double-clicked 发放 pays the tranche once", async ({ page }) => {
  const grantId = await payableGrant("邻里和事佬%阳光居%");
  const before = await ledgerRows(grantId);
  await login(page, DEMO.cityOfficer);
  await page.goto(`/grants/${grantId}/manage`);
  await page.waitForLoadState("networkidle");
  const reference = "DBL-CLICK-0001";
  await page.getByLabel(/第 \d 期 .* 支付凭证号/).fill(reference);
  // A real double click on a real network: the first request is already on its way to the server
  // when the second click cancels it in the browser. Each POST is forwarded to the server here
  // (route.fetch reaches it whatever the page does next), and the first answer is held back
  // until the second click's request has arrived, so the two submissions always overlap.
  let posts = 0;
  let bothSent!: () => void;
  const second = new Promise<void>((resolve) => (bothSent = resolve));
  await page.route(`**/grants/${grantId}/manage**`, async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    if (++posts >= 2) bothSent();
    const response = await route.fetch();
    await Promise.race([second, new Promise((r) => setTimeout(r, 5000))]);
    await route.fulfill({ response }).catch(() => {}); // the page may have given up on this one
  });
  const button = page.getByRole("button", { name: "发放", exact: true });
  await button.click({ noWaitAfter: true });
  await button.click({ noWaitAfter: true });
  await expect(page.getByRole("status")).toContainText("已拨付");
  await expect(page.getByRole("table", { name: "拨付记录" })).toContainText(reference);
  // Give a straggling second submission time to land before counting.
  await page.waitForTimeout(1000);
  expect(posts).toBe(2);
  expect(await ledgerRows(grantId)).toBe(before + 1);
  const d = await one<{ n: string }>("select count(*) as n from disbursements where grant_id = $1 and payment_reference = $2", [grantId, reference]);
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

  // A refund (退回) of part of it, posted 10 times at once: one refund row, one release, 10 equal answers.
  const refundKey = crypto.randomUUID();
  const refunds = await Promise.all(
    Array.from({ length: 10 }, () =>
      page.request.post(`/grants/${grantId}/manage`, {
        form: { intent: "refund", amount: "1000", paymentReference: "BACK-TEN-0001", reason: "部分活动取消，退回结余", idempotencyKey: refundKey },
        headers: { Origin: baseURL! },
      }),
    ),
  );
  const refundAnswers = await Promise.all(refunds.map(async (r) => ({ status: r.status(), ok: (await r.text()).includes("已登记退回 1,000.00 元") })));
  expect(refundAnswers).toEqual(Array.from({ length: 10 }, () => ({ status: 200, ok: true })));
  const kinds = await e2eDb().query<{ kind: string; n: string }>("select kind, count(*) as n from ledger_entries where grant_id = $1 and kind in ('refund', 'release') group by kind order by kind", [grantId]);
  expect(kinds.rows.map((r) => [r.kind, Number(r.n)])).toEqual([
    ["refund", 1],
    ["release", 1],
  ]);
});
