import { z } from "zod";

/**
 * Money is an integer number of 分 everywhere; only this module turns it into text or parses 元.
 */
export type Fen = number & { readonly __brand?: "fen" };

const yuanFormat = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
// Made once: constructing a formatter costs far more than using it (dashboards format thousands of amounts).
const groupedFormat = new Intl.NumberFormat("zh-CN");

export function assertFen(n: number): Fen {
  if (!Number.isSafeInteger(n)) throw new RangeError(`金额必须是整数分：${n}`);
  return n as Fen;
}

/** 123450 → "1,234.50 元" */
export function formatYuan(fen: Fen): string {
  return `${fenToYuanString(fen, true)} 元`;
}

/** 1234567 → "12.35 万元"; below 1 万元 falls back to 元. */
export function formatMoney(fen: Fen): string {
  if (Math.abs(fen) < 1_000_000) return formatYuan(fen);
  const wan = Math.round(fen / 10_000) / 100;
  return `${yuanFormat.format(wan)} 万元`;
}

/** Exact decimal text of a 分 amount, without float arithmetic: 123450 → "1234.50". */
export function fenToYuanString(fen: Fen, grouped = false): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, "0");
  const whole = grouped ? groupedFormat.format(yuan) : String(yuan);
  return `${sign}${whole}.${cents}`;
}

/**
 * Parses what a person types in 元 ("1234", "1,234.5", "1234.56") into 分, by string, so that
 * 0.1 + 0.2 never happens. Returns undefined for anything that is not an amount with at most two
 * decimals.
 */
export function parseYuan(input: string): Fen | undefined {
  const s = input.trim().replace(/[,，\s]/g, "").replace(/元$/, "");
  const m = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return undefined;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? "").padEnd(2, "0"));
  return (m[1] === "-" ? -fen : fen) as Fen;
}

/** The largest single amount a form accepts: 10 亿元. */
export const MAX_FORM_FEN = 100_000_000_000;

/** A form field in 元 → a positive amount in 分, with Chinese messages. */
export const zYuan = z.string({ error: "请输入金额" }).transform((raw, ctx) => {
  const fen = parseYuan(raw);
  if (fen === undefined) {
    ctx.addIssue({ code: "custom", message: "金额格式不正确：请输入以元为单位的数字，最多两位小数" });
    return z.NEVER;
  }
  if (fen <= 0) {
    ctx.addIssue({ code: "custom", message: "金额必须大于 0" });
    return z.NEVER;
  }
  if (fen > MAX_FORM_FEN) {
    ctx.addIssue({ code: "custom", message: "金额过大：单笔不能超过 10 亿元" });
    return z.NEVER;
  }
  return fen;
});
