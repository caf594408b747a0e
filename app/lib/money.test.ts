import { describe, expect, it } from "vitest";
import { fenToYuanString, formatMoney, formatYuan, parseYuan, zYuan } from "./money";

describe("money in 分", () => {
  it("formats 分 as 元 with two decimals and grouping", () => {
    expect(formatYuan(123450)).toBe("1,234.50 元");
    expect(formatYuan(5)).toBe("0.05 元");
    expect(formatYuan(-199)).toBe("-1.99 元");
  });

  it("formats large sums in 万元", () => {
    expect(formatMoney(12_345_000)).toBe("12.35 万元");
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

  it("parses a form amount in 元 into positive 分, refusing zero, junk and absurd sums in Chinese", () => {
    expect(zYuan.parse("1,630,000")).toBe(163_000_000);
    expect(zYuan.parse("0.01")).toBe(1);
    expect(zYuan.safeParse("0").error?.issues[0].message).toBe("金额必须大于 0");
    expect(zYuan.safeParse("-5").error?.issues[0].message).toBe("金额必须大于 0");
    expect(zYuan.safeParse("五万").error?.issues[0].message).toMatch(/^金额格式不正确/);
    expect(zYuan.safeParse("1000000001").error?.issues[0].message).toBe("金额过大：单笔不能超过 10 亿元");
    expect(zYuan.safeParse(undefined).error?.issues[0].message).toBe("请输入金额");
  });
});
