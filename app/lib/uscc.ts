import { z } from "zod";

/**
 * 统一社会信用代码 (GB 32100-2015).
 *
 * Layout: 1 登记管理部门代码 · 2 机构类别代码 · 3–8 行政区划码 ·
 * 9–17 组织机构代码 (GB 11714, with its own check character at 17) · 18 校验码.
 */

/** I, O, S, V and Z are left out so they cannot be mistaken for 1, 0, 5, U and 2. */
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type UsccResult = { ok: true; value: string } | { ok: false; reason: string };

function isUsccChars(s: string): boolean {
  return [...s].every((c) => ALPHABET.includes(c));
}

/** The 18th character for the given first 17 (uppercase). */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17 || !isUsccChars(first17)) {
    throw new RangeError(`计算校验码需要17位合法字符：${first17}`);
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** GB 11714 values letters A–Z as 10–35, which is exactly base-36 digit order. */
function orgCodeCheckChar(base8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += parseInt(base8[i], 36) * ORG_WEIGHTS[i];
  const c = 11 - (sum % 11);
  return c === 10 ? "X" : c === 11 ? "0" : String(c);
}

/**
 * Completes a 16-character prefix (positions 1–8 plus the 8-character organisation code body)
 * into a valid code. Region digits are not enforced, so tests can build codes whose only fault
 * is the region.
 */
export function makeUscc(prefix: string): string {
  if (prefix.length !== 16 || !isUsccChars(prefix)) {
    throw new RangeError(`makeUscc 需要16位合法字符（不含 I、O、S、V、Z）：${prefix}`);
  }
  const first17 = prefix + orgCodeCheckChar(prefix.slice(8));
  return first17 + usccCheckChar(first17);
}

export function validateUscc(input: string): UsccResult {
  const code = input.trim().toUpperCase();
  if (code === "") return { ok: false, reason: "请输入统一社会信用代码" };
  if (code.length !== 18) return { ok: false, reason: `统一社会信用代码应为18位，当前为${code.length}位` };

  const bad = [...code].find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) {
    return { ok: false, reason: `含有不允许的字符“${bad}”（只能是数字和大写字母，不含 I、O、S、V、Z 等）` };
  }
  if (!/^\d{6}$/.test(code.slice(2, 8))) return { ok: false, reason: "第3–8位行政区划码应为数字" };

  // Checked before the overall check so a typo in 9–17 is reported where it is, rather than as
  // a wrong last character that would send the user to "fix" the wrong place.
  const orgCheck = orgCodeCheckChar(code.slice(8, 16));
  if (code[16] !== orgCheck) return { ok: false, reason: `组织机构代码校验位错误：第17位应为 ${orgCheck}` };

  const check = usccCheckChar(code.slice(0, 17));
  if (code[17] !== check) return { ok: false, reason: `校验码错误：最后一位应为 ${check}` };

  return { ok: true, value: code };
}

/** Parses to the normalised (trimmed, uppercase) code; failures carry the Chinese reason. */
export const zUscc = z.string({ error: "请输入统一社会信用代码" }).transform((raw, ctx) => {
  const result = validateUscc(raw);
  if (!result.ok) {
    ctx.addIssue({ code: "custom", message: result.reason });
    return z.NEVER;
  }
  return result.value;
});
