import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { MantineProvider } from "@mantine/core";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RichText } from "./RichText";

/** The server-side allow-list of the only rich text in the portal (minutes, ADR 0005). */
const ALLOWED_TAGS = new Set(["div", "p", "ul", "li", "strong", "br", "span"]);

function render(source: string): string {
  const html = renderToStaticMarkup(createElement(MantineProvider, null, createElement(RichText, { source })));
  // The provider's own CSS variables, not part of the rendered minutes.
  return html.replace(/<style data-mantine-styles[^>]*>[\s\S]*?<\/style>/g, "");
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : /\.(tsx?|jsx?)$/.test(f) && !/\.test\.tsx?$/.test(f) ? [p] : [];
  });
}

describe("rich text (minutes) on the server", () => {
  const hostile = [
    "<script>alert(1)</script>",
    "",
    '**粗体<img src=x onerror="alert(1)">**',
    '- <a href="javascript:alert(1)">链接</a>',
    "- [链接](javascript:alert(1)) <iframe srcdoc='<script>alert(1)</script>'>",
    "<svg/onload=alert(1)> &lt;b&gt; &amp;",
  ].join("\n");

  it("renders only allow-listed elements with no links, sources or event handlers, whatever was typed", () => {
    const html = render(hostile);
    const tags = new Set([...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1].toLowerCase()));
    expect([...tags].filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
    const openingTags = [...html.matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0]);
    expect(openingTags.filter((t) => /\s(on[a-z]+|href|src|srcdoc|action|formaction)=/i.test(t))).toEqual([]);
    // Style attributes come only from the components' own spacing (Mantine), never from the text.
    const styles = [...html.matchAll(/style="([^"]*)"/g)].map((m) => m[1]);
    expect(styles.filter((st) => !/^([a-z-]+:var\(--mantine-[a-z0-9-]+\);?)+$/.test(st))).toEqual([]);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("<strong>粗体&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</strong>");
    // Typed entities stay text: "&lt;" typed shows as "&lt;", not as "<".
    expect(html).toContain("&amp;lt;b&amp;gt; &amp;amp;");
  });

  it("keeps its allowed structure: paragraphs, line breaks, lists, bold", () => {
    const html = render("第一段\n第二行\n\n- 一\n- **二**");
    expect(html).toMatch(/<p[^>]*>第一段<br\/>第二行<\/p>/);
    expect(html).toMatch(/<ul[^>]*>.*<li[^>]*>.*一.*<\/li>.*<strong>二<\/strong>.*<\/ul>/s);
  });

  it("is the only rich text: no code in app/ puts HTML into the page (dangerouslySetInnerHTML, innerHTML)", () => {
    const offenders = filesUnder("app").filter((f) => /dangerouslySetInnerHTML|\.innerHTML\s*=|outerHTML\s*=|insertAdjacentHTML/.test(readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});
