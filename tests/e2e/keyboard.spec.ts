import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO, DEMO_PASSWORD } from "./helpers";

/**
 * The main resident flow with the keyboard alone: skip link, visible focus on every stop, and
 * every action reached with Tab and pressed with Enter or Space. (The portal has no modal dialog,
 * drawer or menu: the phone navigation is the AppShell's side panel, checked here for reach.)
 */

/** Tabs forward until the locator has focus, checking that each stop on the way shows a focus outline. */
async function tabTo(page: Page, target: Locator, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const outline = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return "none";
      const s = getComputedStyle(el);
      // Mantine's inputs show focus by their border; every other stop needs an outline.
      return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 ? "outline" : el.matches("input, textarea, select") && s.borderColor ? "border" : `none: ${el.outerHTML.slice(0, 80)}`;
    });
    expect(outline, "each focused element shows where focus is").not.toMatch(/^none/);
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`Tab did not reach ${target}`);
}

test("the skip link is the first stop, shows itself, and moves focus to the main content", async ({ page }) => {
  await page.goto("/issues");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "跳到主要内容" });
  await expect(skip).toBeFocused();
  const box = await skip.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.height).toBeGreaterThan(20);
  await page.keyboard.press("Enter");
  await expect(page.locator("#main")).toBeFocused();
  // The next Tab goes into the page, not back to the header.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => document.getElementById("main")!.contains(document.activeElement))).toBe(true);
});

test("a resident signs in, raises an issue (fixing an error) and comments on it, by keyboard only", async ({ page }) => {
  await page.goto("/login");
  await tabTo(page, page.getByLabel("手机号码"));
  await page.keyboard.type(DEMO.resident);
  await tabTo(page, page.getByRole("textbox", { name: "密码", exact: true }));
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("button", { name: "退出", exact: true })).toBeVisible();

  await page.goto("/issues");
  await tabTo(page, page.getByRole("link", { name: "提出议题" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "提出议题" })).toBeVisible();
  await tabTo(page, page.getByLabel("标题"));
  await page.keyboard.type("太短");
  await tabTo(page, page.getByLabel("问题描述"));
  await page.keyboard.type("小区东门的路灯坏了一个多月，晚上进出很不方便。");
  await tabTo(page, page.getByRole("button", { name: "提交议题" }));
  await page.keyboard.press("Enter");

  // The summary takes focus and is announced; the field says what is wrong and is marked invalid.
  const summary = page.getByTestId("form-error-summary");
  await expect(summary).toBeFocused();
  await expect(summary).toHaveAttribute("role", "alert");
  await expect(summary).toContainText("标题至少 5 个字");
  const titleField = page.getByLabel("标题");
  await expect(titleField).toHaveAttribute("aria-invalid", "true");
  const describedBy = (await titleField.getAttribute("aria-describedby")) ?? "";
  const descriptions = await Promise.all(describedBy.split(/\s+/).filter(Boolean).map((id) => page.locator(`[id="${id}"]`).innerText()));
  expect(descriptions.join(" ")).toContain("标题至少 5 个字");

  const title = `东门路灯坏了 ${Date.now() % 100000}`;
  await tabTo(page, titleField);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(title);
  await tabTo(page, page.getByLabel("类别"));
  // A closed select steps through its options with the arrow keys.
  for (let i = 0; i < 20 && (await page.getByLabel("类别").inputValue()) !== "社区环境"; i++) await page.keyboard.press("ArrowDown");
  await expect(page.getByLabel("类别")).toHaveValue("社区环境");
  await tabTo(page, page.getByRole("button", { name: "提交议题" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  // On the new issue: comment, and open the report form behind its disclosure.
  await tabTo(page, page.getByLabel("发表评论"));
  await page.keyboard.type("补充：东门是老人去菜市场的必经之路。");
  await tabTo(page, page.getByRole("button", { name: "发表评论" }));
  await page.keyboard.press("Enter");
  await expect(page.getByText("补充：东门是老人去菜市场的必经之路。")).toBeVisible();
  const report = page.locator("summary", { hasText: "举报此议题" });
  await tabTo(page, report);
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("举报理由").first()).toBeVisible();
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

  test("the navigation opens from the keyboard, its links are reachable, and it closes again", async ({ page }) => {
    await page.goto("/");
    const burger = page.getByRole("button", { name: "打开导航菜单" });
    await tabTo(page, burger);
    await page.keyboard.press("Enter");
    const nav = page.getByRole("navigation", { name: "主导航" });
    const link = nav.getByRole("link", { name: "幸福圆桌会" });
    await tabTo(page, link);
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/roundtables$/);
    // Following a link closes the panel: it no longer covers the page.
    await expect(page.getByRole("button", { name: "打开导航菜单" })).toBeVisible();
    await expect(link).not.toBeInViewport();
  });
});
