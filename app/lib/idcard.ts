import { z } from "zod";
import { TIME_ZONE } from "./dates";

/**
 * 居民身份证号码 (GB 11643-1999): 6-digit region, 8-digit birth date (YYYYMMDD),
 * 3-digit sequence (odd = male), 1 check character (0–9 or X).
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = "10X98765432";

export type IdCardResult =
  | { ok: true; value: string; birthDate: string; sex: "male" | "female" }
  | { ok: false; reason: string };

/** The 18th character for the given first 17 digits. */
export function idCardCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`计算校验码需要17位数字：${first17}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/**
 * Builds a number with a correct check character. The birth date is deliberately not validated,
 * so tests can build numbers whose only fault is the date.
 */
export function makeIdCard(regionCode6: string, birth: string, seq3: string): string {
  if (!/^\d{6}$/.test(regionCode6) || !/^\d{8}$/.test(birth) || !/^\d{3}$/.test(seq3)) {
    throw new RangeError(`makeIdCard 需要6位地区码、8位出生日期、3位顺序码：${regionCode6} ${birth} ${seq3}`);
  }
  const first17 = regionCode6 + birth + seq3;
  return first17 + idCardCheckChar(first17);
}

const ymdFmt = new Intl.DateTimeFormat("en-US", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The calendar date the portal's users see at that instant, whatever the server's zone. */
function localYmd(at: Date): { y: number; m: number; d: number } {
  const parts = ymdFmt.formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { y: get("year"), m: get("month"), d: get("day") };
}

function isRealDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

function compareYmd(a: { y: number; m: number; d: number }, b: { y: number; m: number; d: number }): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

export function validateIdCard(input: string, today: Date = new Date()): IdCardResult {
  const id = input.trim().toUpperCase();
  if (id === "") return { ok: false, reason: "请输入身份证号码" };
  if (id.length !== 18) return { ok: false, reason: `身份证号码应为18位，当前为${id.length}位` };
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: "只能包含数字，最后一位可以是 X" };

  const birth = { y: Number(id.slice(6, 10)), m: Number(id.slice(10, 12)), d: Number(id.slice(12, 14)) };
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (birth.y < 1900) return { ok: false, reason: "出生日期无效：年份不能早于1900年" };
  if (!isRealDate(birth.y, birth.m, birth.d)) return { ok: false, reason: `出生日期无效：${birthDate} 不存在` };
  if (compareYmd(birth, localYmd(today)) > 0) return { ok: false, reason: "出生日期无效：不能晚于今天" };

  const check = idCardCheckChar(id.slice(0, 17));
  if (id[17] !== check) return { ok: false, reason: `校验码错误：最后一位应为 ${check}` };

  return { ok: true, value: id, birthDate, sex: Number(id[16]) % 2 === 1 ? "male" : "female" };
}

/** Parses to the normalised number (trimmed, x → X); failures carry the Chinese reason. */
export const zIdCard = z.string({ error: "请输入身份证号码" }).transform((raw, ctx) => {
  const result = validateIdCard(raw);
  if (!result.ok) {
    ctx.addIssue({ code: "custom", message: result.reason });
    return z.NEVER;
  }
  return result.value;
});

/** 360102199001011234 → 360102********1234 */
export function maskIdCard(id: string): string {
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14)}` : "***";
}

/**
 * Whole years old on the given day (Asia/Shanghai). Someone born on 29 February turns a year
 * older on 1 March in common years.
 */
export function ageOn(birthDate: string, on: Date): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!match) throw new RangeError(`出生日期应为 YYYY-MM-DD：${birthDate}`);
  const birth = { y: Number(match[1]), m: Number(match[2]), d: Number(match[3]) };
  const now = localYmd(on);
  const hadBirthday = compareYmd({ y: now.y, m: birth.m, d: birth.d }, now) <= 0;
  return now.y - birth.y - (hadBirthday ? 0 : 1);
}
