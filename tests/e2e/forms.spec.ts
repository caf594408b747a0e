import { expect, test, type Page } from "@playwright/test";
import { DEMO } from "./demo-accounts";
import { login } from "./helpers";
import { resolveUrl, ROUTES, type PageRoute } from "./routes";

/**
 * Every form field on every page of the route table, as the role that uses the page: it has a
 * label (not only a placeholder, which disappears as soon as one types), and phone numbers and
 * amounts bring up the number keyboard on a phone (inputmode).
 */
const pages = Object.entries(ROUTES).filter((e): e is [string, PageRoute] => e[1].kind === "page");
const viewers = [...new Set(pages.map(([, r]) => r.as))];

async function fieldProblems(page: Page): Promise<{ problems: string[]; fields: number; phones: number; amounts: number }> {
  return page.evaluate(() => {
    const text = (el: Element | null) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();
    const problems: string[] = [];
    let phones = 0;
    let amounts = 0;
    const fields = document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
      "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]), select, textarea",
    );
    for (const el of fields) {
      if (el.closest("[aria-hidden=true]")) continue;
      const byLabelledBy = (el.getAttribute("aria-labelledby") ?? "").split(/\s+/).filter(Boolean).map((id) => text(document.getElementById(id))).join(" ");
      const byFor = el.id ? [...document.querySelectorAll(`label[for="${CSS.escape(el.id)}"]`)].map(text).join(" ") : "";
      const label = [byLabelledBy, el.getAttribute("aria-label") ?? "", byFor, text(el.closest("label")), el.getAttribute("title") ?? ""].join(" ").trim();
      const placeholder = el.getAttribute("placeholder") ?? "";
      const who = `${el.tagName.toLowerCase()}[name=${el.getAttribute("name") ?? "?"}]${label ? `「${label.slice(0, 24)}」` : ""}`;
      if (!label) problems.push(placeholder ? `${who}: only a placeholder「${placeholder}」, no label` : `${who}: no label`);
      if (!(el instanceof HTMLInputElement) || !["text", "tel", "number", "search", ""].includes(el.type)) continue;
      const name = `${el.name} ${el.autocomplete} ${label}`;
      const phone = el.type === "tel" || /phone|mobile|tel\b|手机|电话/i.test(name);
      const amount = /amount|yuan|金额|（元|元）|\(元|元\)/i.test(name);
      const mode = el.getAttribute("inputmode") ?? "";
      if (phone) phones++;
      if (amount) amounts++;
      if (phone && !["tel", "numeric"].includes(mode)) problems.push(`${who}: a phone number without inputmode=tel or numeric`);
      if (amount && !["decimal", "numeric"].includes(mode)) problems.push(`${who}: an amount without inputmode=decimal`);
    }
    return { problems, fields: fields.length, phones, amounts };
  });
}

for (const viewer of viewers) {
  test(`form fields on pages seen by ${viewer} have labels, and phone and amount fields an inputmode`, async ({ page }) => {
    // One test walks all of a viewer's pages: its time grows with them (and with a busy machine).
    test.setTimeout(30_000 + 10_000 * pages.filter(([, r]) => r.as === viewer).length);
    if (viewer !== "anonymous") await login(page, DEMO[viewer as keyof typeof DEMO]);
    const found: string[] = [];
    const seen = { fields: 0, phones: 0, amounts: 0 };
    for (const [file, r] of pages.filter(([, r]) => r.as === viewer)) {
      await page.goto(await resolveUrl(r));
      const result = await fieldProblems(page);
      for (const p of result.problems) found.push(`${file}: ${p}`);
      seen.fields += result.fields;
      seen.phones += result.phones;
      seen.amounts += result.amounts;
    }
    expect(found).toEqual([]);
    // The walk saw fields at all (the sign-in and registration pages, officers' amount fields).
    if (viewer === "anonymous") expect(seen.phones).toBeGreaterThan(0);
    if (viewer === "cityOfficer") expect(seen.amounts).toBeGreaterThan(0);
  });
}
