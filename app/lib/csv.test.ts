import { describe, expect, it } from "vitest";
import { decodeCsv, parseCsv, toCsv } from "./csv";

describe("CSV", () => {
  it("reads quoted cells with commas, doubled quotes and line breaks, keeping each row's first line number", () => {
    const rows = parseCsv('姓名,备注\r\n张三,"住在""东湖"",一楼"\r\n李四,"两行\n说明"\n王五,\n');
    expect(rows).toEqual([
      { line: 1, cells: ["姓名", "备注"] },
      { line: 2, cells: ["张三", '住在"东湖",一楼'] },
      { line: 3, cells: ["李四", "两行\n说明"] },
      { line: 5, cells: ["王五", ""] },
    ]);
  });

  it("skips blank lines but counts them", () => {
    expect(parseCsv("a\n\nb").map((r) => r.line)).toEqual([1, 3]);
  });

  it("decodes UTF-8 with a BOM and GB18030 from Excel", () => {
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, 0xe4, 0xbd, 0xa0]))).toBe("你");
    expect(decodeCsv(new Uint8Array([0xc4, 0xe3, 0xba, 0xc3]))).toBe("你好");
  });

  it("writes CSV that round-trips and cannot smuggle a formula", () => {
    const text = toCsv([["a,b", '"q"', "=1+1"]]);
    expect(parseCsv(decodeCsv(new TextEncoder().encode(text)))[0].cells).toEqual(["a,b", '"q"', "'=1+1"]);
  });
});
