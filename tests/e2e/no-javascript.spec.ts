import { expect, test } from "@playwright/test";
import { DEMO, DEMO_PASSWORD } from "./helpers";

/**
 * Weak phones and failed script downloads: signing in and raising an issue work as plain HTML
 * forms, before (or without) hydration.
 */
test.use({ javaScriptEnabled: false });

test("raising an issue works with JavaScript disabled: a refused submission keeps what was typed and says why, then it succeeds", async ({ page }) => {
  await page.goto("/login?redirectTo=%2Fissues%2Fnew");
  await page.getByLabel("手机号码").fill(DEMO.resident);
  await page.getByRole("textbox", { name: "密码", exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).last().click();
  await expect(page.getByRole("heading", { level: 1, name: "提出议题" })).toBeVisible();
  // No script of the page ran (Remix's inline context script included): this is the server's HTML.
  expect(await page.evaluate(() => "__remixContext" in window)).toBe(false);

  await page.getByLabel("标题").fill("太短");
  await page.getByLabel("问题描述").fill("社区南门外的人行道地砖松动，下雨天一踩就溅水，老人容易滑倒。");
  await page.getByLabel("类别").selectOption("社区环境");
  await page.getByLabel("具体位置（可选）").fill("南门外人行道");
  await page.getByRole("button", { name: "提交议题" }).click();

  await expect(page.getByRole("alert")).toContainText("标题至少 5 个字");
  await expect(page.getByLabel("标题")).toHaveValue("太短");
  await expect(page.getByLabel("标题")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("问题描述")).toHaveValue(/地砖松动/);
  await expect(page.getByLabel("类别")).toHaveValue("社区环境");
  await expect(page.getByLabel("具体位置（可选）")).toHaveValue("南门外人行道");

  const title = `南门人行道地砖松动 ${Date.now() % 100000}`;
  await page.getByLabel("标题").fill(title);
  await page.getByRole("button", { name: "提交议题" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("议题已提交")).toBeVisible();
});
