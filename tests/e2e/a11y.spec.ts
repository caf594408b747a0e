import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { DEMO } from "./demo-accounts";
import { login } from "./helpers";
import { resolveUrl, ROUTES, type PageRoute } from "./routes";

/**
 * WCAG 2.1 AA with axe-core on every page of the route table, as the role that uses it, on a
 * 375 px phone and on a desktop: no serious or critical violation.
 */
const pages = Object.entries(ROUTES).filter((e): e is [string, PageRoute] => e[1].kind === "page");
const viewers = [...new Set(pages.map(([, r]) => r.as))];

async function violations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

for (const viewport of [
  { name: "phone", width: 375, height: 740 },
  { name: "desktop", width: 1280, height: 900 },
]) {
  for (const viewer of viewers) {
    test(`${viewport.name}: pages seen by ${viewer} have no serious or critical axe violation`, async ({ page }) => {
      // One test walks all of a viewer's pages: its time grows with them (and with a busy machine);
      // the dashboards and the report (figures, charts and their tables) take 10–16 s each under axe.
      test.setTimeout(60_000 + 15_000 * pages.filter(([, r]) => r.as === viewer).length);
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      if (viewer !== "anonymous") await login(page, DEMO[viewer as keyof typeof DEMO]);
      const found: string[] = [];
      for (const [file, r] of pages.filter(([, r]) => r.as === viewer)) {
        await page.goto(await resolveUrl(r));
        for (const v of await violations(page)) found.push(`${file}: ${v}`);
      }
      expect(found).toEqual([]);
    });
  }
}
