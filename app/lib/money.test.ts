import { describe, expect, it } from "vitest";
import { fenToYuanString, formatMoney, formatYuan, parseYuan } from "./money";

describe("money in 分", () => {
  it("formats 分 as 元 with two decimals and grouping", () => {
    expect(formatYuan(123450)).toBe("1,234.50 元");
    expect(formatYuan(5)).toBe("0.05 元");
    expect(formatYuan(-199)).toBe("-1.99 元");
  });

  it("formats large sums in 万元", () => {
    expect(formatMoney(163_000_000)).toBe("163.00 万元");
    expect(formatMoney(123_450_000)).toBe("123.45 万元");
    expect(formatMoney(873_000_00)).toBe("87.30 万元");
    expect(formatMoney(99_999)).toBe("999.99 元");
  });

  it("parses 元 text into exact 分 without floating point", () => {
    expect(parseYuan("0.1")).toBe(10);
    expect(parseYuan("1,234.56")).toBe(123456);
    expect(parseYuan("163万")).toBeUndefined();
    expect(parseYuan("12.345")).toBeUndefined();
    expect(parseYuan("abc")).toBeUndefined();
    expect(parseYuan(" 2000 元")).toBe(200000);
  });

  it("round-trips through the decimal string", () => {
    for (const fen of [0, 1, 10, 99, 100, 101, 123456789]) {
      expect(parseYuan(fenToYuanString(fen))).toBe(fen);
    }
  });
});
