import { MantineProvider } from "@mantine/core";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { elderTheme, theme } from "../theme";
import { loader } from "../routes/theme[.css]";
import { themeCss, themeCssHref } from "./theme-css";

/** What MantineProvider itself writes into the page for a theme (root.tsx turns that off and links themeCss instead). */
function providerCss(t: typeof theme): string {
  const html = renderToString(createElement(MantineProvider, { theme: t }, createElement("span")));
  const m = /<style data-mantine-styles="true"[^>]*>([\s\S]*?)<\/style>/.exec(html);
  if (!m) throw new Error("MantineProvider wrote no CSS variables");
  return m[1]!;
}

describe("the theme stylesheet", () => {
  it("holds exactly the variables MantineProvider would have written, for both modes", () => {
    expect(themeCss(theme)).toBe(providerCss(theme));
    expect(themeCss(elderTheme)).toBe(providerCss(elderTheme));
    // 长辈模式 differs (darker primary, larger type), so the two files are not the same.
    expect(themeCss(elderTheme)).not.toBe(themeCss(theme));
    expect(themeCss(elderTheme)).toContain("--mantine-font-size-md: 22px");
  });

  it("is addressed by its content, so a changed theme gets a new address", () => {
    const normal = themeCssHref("normal", theme);
    expect(normal).toMatch(/^\/theme\.css\?mode=normal&v=[0-9a-f]{8}$/);
    expect(themeCssHref("elder", elderTheme)).not.toBe(normal.replace("normal", "elder"));
    const changed = { ...theme, fontSizes: { ...theme.fontSizes, md: "19px" } };
    expect(themeCssHref("normal", changed)).not.toBe(normal);
  });

  it("is served immutable at its own address only; another version is answered but not kept", async () => {
    const get = (href: string) => loader({ request: new Request(`http://localhost${href}`), params: {}, context: { requestId: "theme-css-test", ip: null } });
    const elder = await get(themeCssHref("elder", elderTheme));
    expect(elder.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(elder.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await elder.text()).toBe(themeCss(elderTheme));
    const stale = await get("/theme.css?mode=normal&v=00000000");
    expect(stale.headers.get("cache-control")).toBe("no-store");
    expect(await stale.text()).toBe(themeCss(theme));
  });
});
