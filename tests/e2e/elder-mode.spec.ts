import { expect, test, type Page } from "@playwright/test";
import { DEMO, login } from "./helpers";

async function baseFontSize(page: Page) {
  return page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
}

test.describe("长辈模式 on a 375 px phone", () => {
  test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

  test("enlarges text and targets, and the browser remembers it", async ({ page }) => {
    await page.goto("/");
    expect(await baseFontSize(page)).toBeLessThan(20);
    await page.getByRole("button", { name: "打开导航菜单" }).click();
    await page.getByRole("button", { name: "长辈模式" }).click();
    await expect(page.locator("html")).toHaveAttribute("data-elder", "");
    expect(await baseFontSize(page)).toBeGreaterThanOrEqual(22);
    const box = await page.getByRole("button", { name: "打开导航菜单" }).boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(48);
    const submit = await page.getByRole("button", { name: "查看" }).boundingBox();
    expect(submit!.height).toBeGreaterThanOrEqual(48);

    await page.reload();
    await expect(page.locator("html")).toHaveAttribute("data-elder", "");
    await page.getByRole("button", { name: "打开导航菜单" }).click();
    await expect(page.getByRole("button", { name: "长辈模式" })).toHaveAttribute("aria-pressed", "true");
  });
});

test("a signed-in user's choice follows them to another browser", async ({ page, browser }) => {
  await login(page, DEMO.resident);
  await page.getByRole("button", { name: "长辈模式" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-elder", "");

  const other = await browser.newContext();
  const p2 = await other.newPage();
  await login(p2, DEMO.resident);
  await expect(p2.locator("html")).toHaveAttribute("data-elder", "");
  await p2.getByRole("button", { name: "长辈模式" }).click();
  await expect(p2.locator("html")).not.toHaveAttribute("data-elder", "");
  await other.close();
});
