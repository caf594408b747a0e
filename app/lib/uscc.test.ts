import { describe, expect, it } from "vitest";
import { makeUscc, usccCheckChar, validateUscc, zUscc } from "./uscc";

const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/** Publicly cited codes; each was checked against both the GB 32100 and GB 11714 check characters. */
const PUBLISHED = [
  "91350100M000100Y43",
  "9144030071526726XG",
  "914403001922038216",
  "91330100716105852F",
  "91110108551385082Q",
  "91110000600037341L",
  "91310000717866186P",
  "91440300708461136T",
  "91110000802100433B",
  "91440300192179585N",
  "12100000400000624D",
];

const CONSTRUCTED = [
  makeUscc("9111000000000000"),
  makeUscc("9136010212345678"),
  makeUscc("52310100MA1B2C3D"),
  makeUscc("11100000YXWUTRQP"),
  makeUscc("Y1440300ABCDEFGH"),
  makeUscc("9244010600000001"),
];

function reasonOf(input: string): string {
  const r = validateUscc(input);
  if (r.ok) throw new Error(`expected ${input} to be refused`);
  return r.reason;
}

function replaceAt(s: string, i: number, c: string): string {
  return s.slice(0, i) + c + s.slice(i + 1);
}

describe("validateUscc: valid codes", () => {
  it.each(PUBLISHED)("accepts the published code %s", (code) => {
    expect(validateUscc(code)).toEqual({ ok: true, value: code });
  });

  it.each(CONSTRUCTED)("accepts the constructed code %s", (code) => {
    expect(validateUscc(code)).toEqual({ ok: true, value: code });
  });

  it("accepts lowercase input and surrounding whitespace, returning the normalised code", () => {
    expect(validateUscc("  91350100m000100y43\n")).toEqual({ ok: true, value: "91350100M000100Y43" });
  });
});

describe("usccCheckChar and makeUscc", () => {
  it("computes the published check characters", () => {
    expect(usccCheckChar("91350100M000100Y4")).toBe("3");
    expect(usccCheckChar("9144030071526726X")).toBe("G");
  });

  it("rebuilds published codes from their first 16 characters, including both check characters", () => {
    for (const code of PUBLISHED) expect(makeUscc(code.slice(0, 16))).toBe(code);
  });

  it("maps organisation-code remainders 10 and 11 to X and 0", () => {
    expect(makeUscc("9144030071526726")[16]).toBe("X");
    expect(makeUscc("9111000000000000")[16]).toBe("0");
  });

  it("generates hundreds of distinct valid codes deterministically", () => {
    const codes = Array.from({ length: 500 }, (_, n) => makeUscc(`91360102${String(n * 7919).padStart(8, "0")}`));
    expect(new Set(codes).size).toBe(500);
    for (const code of codes) expect(validateUscc(code).ok).toBe(true);
    expect(makeUscc("9136010200007919")).toBe(codes[1]);
  });

  it("refuses malformed input rather than producing an invalid code", () => {
    expect(() => usccCheckChar("91350100M000100Y")).toThrow(RangeError);
    expect(() => usccCheckChar("91350100M000100I4")).toThrow(RangeError);
    expect(() => makeUscc("91350100M000100")).toThrow(RangeError);
    expect(() => makeUscc("91350100M000100O")).toThrow(RangeError);
  });
});

describe("validateUscc: invalid codes", () => {
  const valid = "91350100M000100Y43";

  it("detects every single-character substitution", () => {
    for (let i = 0; i < 18; i++) {
      for (const c of ALPHABET) {
        if (c === valid[i]) continue;
        expect(validateUscc(replaceAt(valid, i, c)).ok, `position ${i + 1} → ${c}`).toBe(false);
      }
    }
  });

  it("names the expected character when only the last one is wrong", () => {
    expect(reasonOf("91350100M000100Y44")).toBe("校验码错误：最后一位应为 3");
    expect(reasonOf("9144030071526726X0")).toBe("校验码错误：最后一位应为 G");
  });

  it("reports a changed region or registration character as a check character error", () => {
    expect(reasonOf("92350100M000100Y43")).toMatch(/^校验码错误：最后一位应为 [0-9A-Y]$/);
    expect(reasonOf("91350200M000100Y43")).toMatch(/^校验码错误/);
  });

  it("reports a typo in positions 9–17 as an organisation code error", () => {
    expect(reasonOf("91350100M000200Y43")).toBe("组织机构代码校验位错误：第17位应为 X");
  });

  it("refuses a bad organisation code check even when the overall check character matches", () => {
    const first16 = "91350100M000100Y";
    const first17 = `${first16}5`;
    const code = first17 + usccCheckChar(first17);
    expect(reasonOf(code)).toBe("组织机构代码校验位错误：第17位应为 4");
  });

  it.each(["I", "O", "S", "V", "Z"])("refuses the forbidden letter %s", (letter) => {
    expect(reasonOf(replaceAt(valid, 9, letter))).toContain(`不允许的字符“${letter}”`);
    expect(reasonOf(replaceAt(valid, 9, letter.toLowerCase()))).toContain(`不允许的字符“${letter}”`);
  });

  it("refuses punctuation, spaces and Chinese characters inside the code", () => {
    expect(reasonOf("91350100-000100Y43")).toContain("不允许的字符“-”");
    expect(reasonOf("91350100 000100Y43")).toContain("不允许的字符");
    expect(reasonOf("91350100中000100Y43")).toContain("不允许的字符“中”");
  });

  it("requires digits in the region code (positions 3–8)", () => {
    expect(reasonOf(makeUscc("91A50100M000100Y"))).toBe("第3–8位行政区划码应为数字");
  });

  it("refuses 17 and 19 characters", () => {
    expect(reasonOf(valid.slice(0, 17))).toBe("统一社会信用代码应为18位，当前为17位");
    expect(reasonOf(`${valid}0`)).toBe("统一社会信用代码应为18位，当前为19位");
  });

  it("asks for a code when the input is empty or blank", () => {
    expect(reasonOf("")).toBe("请输入统一社会信用代码");
    expect(reasonOf("   ")).toBe("请输入统一社会信用代码");
  });
});

describe("zUscc", () => {
  it("parses to the normalised code", () => {
    expect(zUscc.parse(" 9144030071526726xg ")).toBe("9144030071526726XG");
  });

  it("uses the Chinese reason as the issue message", () => {
    const r = zUscc.safeParse("91350100M000100Y44");
    expect(r.success).toBe(false);
    expect(r.error?.issues).toHaveLength(1);
    expect(r.error?.issues[0].message).toBe("校验码错误：最后一位应为 3");
  });

  it("refuses non-strings with a Chinese message", () => {
    const r = zUscc.safeParse(undefined);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe("请输入统一社会信用代码");
  });
});
