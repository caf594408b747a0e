import { expect, test } from "@playwright/test";

test("a visitor sees the home page in Chinese with the four action types", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle(/邻里守望/);
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("邻里守望");
  for (const name of ["邻里亲", "邻里和", "邻里扶", "邻里美"]) await expect(page.getByText(name, { exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "正在征集的居民议题" })).toBeVisible();
  await expect(page.getByRole("region", { name: "正在招募的招贤榜" })).toBeVisible();
  await expect(page.getByRole("region", { name: "最近的项目" })).toBeVisible();
});

test("a visitor chooses a place and sees the issues being collected there", async ({ page }) => {
  await page.goto("/");
  const select = page.getByLabel("地区", { exact: true });
  const value = await select.locator("option", { hasText: "广南社区" }).getAttribute("value");
  await select.selectOption(value!);
  await page.getByRole("button", { name: "查看" }).click();
  await expect(page).toHaveURL(new RegExp(`place=${value}`));
  await expect(page.getByRole("heading", { name: "江西省 · 南昌市 · 西湖区 · 南站街道 · 广南社区的动态" })).toBeVisible();
  const issues = page.getByRole("region", { name: "正在征集的居民议题" });
  await expect(issues.getByRole("link").first()).toBeVisible();
  await issues.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/issues\/[0-9a-f-]{36}$/);
  await expect(page.getByText(/广南社区 ·/)).toBeVisible();
});

test("an unknown address shows a Chinese 404 page without technical details", async ({ page }) => {
  const res = await page.goto("/no/such/page");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  await expect(page.getByRole("link", { name: "返回首页" })).toBeVisible();
  await expect(page.locator("body")).not.toContainText("at ");
});

test.describe("on a 375 px phone", () => {
  test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

  test("the layout fits the screen and the menu opens from the burger", async ({ page }) => {
    await page.goto("/");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const nav = page.getByRole("navigation", { name: "主导航" });
    await expect(nav.getByRole("link", { name: "首页" })).not.toBeInViewport();
    await page.getByRole("button", { name: "打开导航菜单" }).click();
    await expect(nav.getByRole("link", { name: "首页" })).toBeInViewport();
  });
});

test("every page carries a nonce-based Content-Security-Policy and the app still runs", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/.test(m.text())) errors.push(m.text());
  });
  const res = await page.goto("/");
  const csp = res?.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(res?.headers()["x-content-type-options"]).toBe("nosniff");
  // Hydrated: the burger (client-side state) works on a phone-sized window.
  await page.setViewportSize({ width: 375, height: 700 });
  await page.getByRole("button", { name: "打开导航菜单" }).click();
  await expect(page.getByRole("button", { name: "关闭导航菜单" })).toBeVisible();
  expect(errors).toEqual([]);
});

test("a cross-site form post is refused", async ({ request }) => {
  const res = await request.post("/login", {
    form: { phone: "13900000001", password: "linli2026" },
    headers: { Origin: "https://evil.example" },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(403);
  expect(await res.text()).toContain("跨站请求已被拒绝");
});
