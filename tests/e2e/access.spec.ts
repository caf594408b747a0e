import { expect, test } from "@playwright/test";
import { DEMO } from "./demo-accounts";
import { login } from "./helpers";
import { resolveUrl, ROUTES, type PageRoute } from "./routes";

/**
 * Access control, route by route (tests/e2e/routes.ts): a person of another scope — a sibling
 * district's officer, another organisation's member, another community's staff, a resident on a
 * staff page — is refused by the server with 403/404, and a signed-out visitor is sent to log in.
 */
const pages = Object.entries(ROUTES).filter((e): e is [string, PageRoute] => e[1].kind === "page");

const refusals = pages.flatMap(([file, r]) => (r.denied ?? []).map((d) => ({ file, route: r, ...d })));
const byViewer = new Map<string, typeof refusals>();
for (const x of refusals) byViewer.set(x.as, [...(byViewer.get(x.as) ?? []), x]);

for (const [viewer, list] of byViewer) {
  test(`${viewer} is refused: ${list.map((l) => l.file).join(", ")}`, async ({ page }) => {
    await login(page, DEMO[viewer as keyof typeof DEMO]);
    const wrong: string[] = [];
    for (const x of list) {
      const url = await resolveUrl(x.route);
      const res = await page.goto(url);
      if (res?.status() !== x.status) wrong.push(`${url} → ${res?.status()} (expected ${x.status})`);
      else await expect(page.getByRole("heading", { level: 1 })).toHaveText(x.status === 403 ? "没有权限" : "页面不存在");
    }
    expect(wrong).toEqual([]);
  });
}

test("signed-out visitors are sent to log in from every page that needs it", async ({ page }) => {
  const wrong: string[] = [];
  for (const [, r] of pages.filter(([, r]) => r.needsLogin)) {
    const url = await resolveUrl(r);
    await page.goto(url);
    if (!new URL(page.url()).pathname.startsWith("/login")) wrong.push(url);
  }
  expect(wrong).toEqual([]);
});

test("the allowed viewer of each page gets it (200)", async ({ browser }) => {
  // One log-in per viewer and one visit per page in the table: grows with every page added.
  test.setTimeout(180_000);
  const byAs = new Map<string, Array<[string, PageRoute]>>();
  for (const p of pages) byAs.set(p[1].as, [...(byAs.get(p[1].as) ?? []), p]);
  const wrong: string[] = [];
  for (const [as, list] of byAs) {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (as !== "anonymous") await login(page, DEMO[as as keyof typeof DEMO]);
    for (const [, r] of list) {
      const url = await resolveUrl(r);
      const res = await page.goto(url);
      if (res?.status() !== 200) wrong.push(`${as} ${url} → ${res?.status()}`);
    }
    await context.close();
  }
  expect(wrong).toEqual([]);
});
