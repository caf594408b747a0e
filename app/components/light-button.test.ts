import { Button, MantineProvider } from "@mantine/core";
import { createElement as h, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { elderTheme, theme } from "../theme";
import { LightButton } from "./LightButton";

/** Both renders inside the app's provider, minus Mantine's global <style>. */
function markup(t: typeof theme, el: ReactElement): string {
  return renderToStaticMarkup(h(MantineProvider, { theme: t, withCssVariables: false }, el)).replace(/<style[^>]*>[\s\S]*?<\/style>/g, "");
}

const icon = h("svg", { "aria-hidden": true, width: 22, height: 22 });

describe("LightButton writes Mantine's Button markup", () => {
  const cases: Array<[string, Record<string, unknown>]> = [
    ["submit, default", { type: "submit", variant: "default", children: "退出" }],
    ["filled, pressed", { type: "submit", variant: "filled", "aria-pressed": true, title: "关闭长辈模式", children: "长辈模式" }],
    ["a plain button", { variant: "default", children: "查看" }],
    ["large link", { variant: "filled", size: "lg", component: "a", href: "/bureau/reports", children: "生成总结报告" }],
    ["subtle with an icon and padding", { variant: "subtle", px: "xs", leftSection: icon, "aria-label": "消息", "data-testid": "bell", children: null }],
    ["subtle with an icon and content", { variant: "subtle", px: "xs", leftSection: icon, children: h("span", null, "3") }],
  ];
  for (const t of [theme, elderTheme]) {
    for (const [name, props] of cases) {
      it(`${name} (${t === theme ? "normal" : "长辈模式"})`, () => {
        const mine = markup(t, h(LightButton as never, props));
        expect(mine).toContain("mantine-Button-root");
        expect(mine).toBe(markup(t, h(Button as never, props)));
      });
    }
  }
});
