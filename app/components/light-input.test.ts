import { MantineProvider, NativeSelect, TextInput } from "@mantine/core";
import { createElement as h, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { elderTheme, theme } from "../theme";
import { LightNativeSelect, LightTextInput } from "./LightInput";

function markup(t: typeof theme, el: ReactElement): string {
  return renderToStaticMarkup(h(MantineProvider, { theme: t, withCssVariables: false }, el)).replace(/<style[^>]*>[\s\S]*?<\/style>/g, "");
}

const places = [
  { value: "3", label: "第1市（市）" },
  { value: "14", label: "　第2区（区/县）" },
];

describe("LightTextInput and LightNativeSelect write Mantine's markup", () => {
  for (const t of [theme, elderTheme]) {
    const mode = t === theme ? "normal" : "长辈模式";
    it(`a date input (${mode})`, () => {
      const props = { label: "开始日期", name: "from", type: "date", defaultValue: "2026-01-01" };
      const mine = markup(t, h(LightTextInput, props));
      expect(mine).toContain('for="mantine-');
      expect(mine).toBe(markup(t, h(TextInput, props)));
    });
    it(`a select of places (${mode})`, () => {
      const props = { label: "地区", name: "place", defaultValue: "14", data: places };
      const mine = markup(t, h(LightNativeSelect, props));
      expect(mine).toContain('<option value="14" selected="">');
      expect(mine).toBe(markup(t, h(NativeSelect, props)));
    });
  }
});
