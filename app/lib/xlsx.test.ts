import { describe, expect, it } from "vitest";
import { xlsxFile, zipOf } from "../../tests/support/xlsx";
import { isOle2, isZip, MAX_UNZIPPED_BYTES, readFirstSheet } from "./xlsx.server";

describe("reading the first worksheet of an XLSX file", () => {
  it("gives each row as text with its row number, skipping empty rows and other sheets", async () => {
    const bytes = await xlsxFile(
      [
        ["姓名", "身份证号码", "同意日期", "同意拍照", "备注"],
        ["张三", "36010319520304123X", new Date(Date.UTC(2026, 2, 5)), true, { richText: [{ text: "独居，" }, { text: "需探访", font: { bold: true } }] }],
        [],
        ["李四", 360103195203041200, "2026/3/6", false, { formula: "1+1", result: 2 }],
      ],
      { secondSheet: [["不应读取"]] },
    );
    expect(isZip(bytes)).toBe(true);
    const sheet = await readFirstSheet(bytes);
    if (!sheet.ok) throw new Error(sheet.reason);
    expect(sheet.rows.map(({ line, cells }) => ({ line, cells }))).toEqual([
      { line: 1, cells: ["姓名", "身份证号码", "同意日期", "同意拍照", "备注"] },
      { line: 2, cells: ["张三", "36010319520304123X", "2026-03-05", "是", "独居，需探访"] },
      { line: 4, cells: ["李四", "360103195203041200", "2026/3/6", "否", "2"] },
    ]);
    // The cells Excel held as numbers are flagged (the ID column's caller refuses them).
    expect(sheet.rows.map((r) => [...r.numeric])).toEqual([[], [], [1, 4]]);
  });

  it("refuses a ZIP that is not a workbook, a zip bomb and an entry lying about its size, before exceljs inflates it", async () => {
    expect(await readFirstSheet(zipOf([{ name: "word/document.xml", data: Buffer.from("<w:document/>") }]))).toEqual({ ok: false, reason: "no_sheet" });
    const zeros = Buffer.alloc(MAX_UNZIPPED_BYTES + 1024);
    expect(await readFirstSheet(zipOf([{ name: "xl/sharedStrings.xml", data: zeros }]))).toEqual({ ok: false, reason: "too_large" });
    expect(await readFirstSheet(zipOf([{ name: "xl/sharedStrings.xml", data: Buffer.alloc(10_000_000), declaredSize: 100 }]))).toEqual({ ok: false, reason: "too_large" });
    const cut = await xlsxFile([["姓名"], ["张三"]]);
    expect(await readFirstSheet(cut.subarray(0, cut.length - 30))).toEqual({ ok: false, reason: "unreadable" });
  });

  it("tells XLSX and the old .xls format by their first bytes", () => {
    expect(isZip(new TextEncoder().encode("姓名,身份证号码\n"))).toBe(false);
    expect(isOle2(Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]))).toBe(true);
    expect(isOle2(Uint8Array.from([0x50, 0x4b, 0x03, 0x04]))).toBe(false);
  });
});
