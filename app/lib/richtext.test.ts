import { describe, expect, it } from "vitest";
import { parseInline, parseMinutes } from "./richtext";

describe("minutes markup (markdown-lite)", () => {
  it("splits paragraphs on blank lines, keeps line breaks and reads - lists", () => {
    expect(parseMinutes("第一段\n第二行\n\n- 甲\n- **乙**\n结尾")).toEqual([
      { type: "paragraph", lines: [[{ text: "第一段", bold: false }], [{ text: "第二行", bold: false }]] },
      { type: "list", items: [[{ text: "甲", bold: false }], [{ text: "乙", bold: true }]] },
      { type: "paragraph", lines: [[{ text: "结尾", bold: false }]] },
    ]);
  });

  it("keeps HTML as plain text for React to escape, and an unpaired ** literally", () => {
    expect(parseInline('<script>alert(1)</script> **重点**')).toEqual([
      { text: "<script>alert(1)</script> ", bold: false },
      { text: "重点", bold: true },
    ]);
    expect(parseInline("a **b")).toEqual([
      { text: "a ", bold: false },
      { text: "**b", bold: false },
    ]);
  });
});
