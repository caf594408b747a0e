import { describe, expect, it } from "vitest";
import { ageOn, idCardCheckChar, makeIdCard, maskIdCard, validateIdCard, zIdCard } from "./idcard";

const TODAY = new Date("2025-06-15T12:00:00+08:00");

function reasonOf(input: string, today: Date = TODAY): string {
  const r = validateIdCard(input, today);
  if (r.ok) throw new Error(`expected ${input} to be refused`);
  return r.reason;
}

describe("validateIdCard: valid numbers", () => {
  it("accepts the example from GB 11643-1999, which has an X check character", () => {
    expect(validateIdCard("11010519491231002X", TODAY)).toEqual({
      ok: true,
      value: "11010519491231002X",
      birthDate: "1949-12-31",
      sex: "female",
    });
  });

  it.each([
    ["36010219900101000X", "1990-01-01", "female"],
    ["360102199001010018", "1990-01-01", "male"],
    ["36010219900101019X", "1990-01-01", "male"],
    ["110101199003074477", "1990-03-07", "male"],
    [makeIdCard("440305", "20000229", "123"), "2000-02-29", "male"],
    [makeIdCard("310104", "20240229", "046"), "2024-02-29", "female"],
    [makeIdCard("510107", "19000101", "000"), "1900-01-01", "female"],
  ] as const)("accepts the constructed number %s", (id, birthDate, sex) => {
    expect(validateIdCard(id, TODAY)).toEqual({ ok: true, value: id, birthDate, sex });
  });

  it("accepts lowercase x and surrounding whitespace, normalising to X", () => {
    expect(validateIdCard(" 11010519491231002x\t", TODAY)).toMatchObject({ ok: true, value: "11010519491231002X" });
  });

  it("derives sex from the parity of the 17th digit", () => {
    for (let seq = 0; seq < 10; seq++) {
      const r = validateIdCard(makeIdCard("360102", "19851120", `01${seq}`), TODAY);
      expect(r.ok && r.sex).toBe(seq % 2 === 1 ? "male" : "female");
    }
  });

  it("uses today's date by default", () => {
    expect(validateIdCard("11010519491231002X").ok).toBe(true);
  });
});

describe("idCardCheckChar and makeIdCard", () => {
  it("computes the published check character", () => {
    expect(idCardCheckChar("11010519491231002")).toBe("X");
    expect(idCardCheckChar("44052418800101001")).toBe("4");
  });

  it("builds numbers with a correct check character", () => {
    expect(makeIdCard("110105", "19491231", "002")).toBe("11010519491231002X");
    expect(makeIdCard("360102", "19900101", "001")).toBe("360102199001010018");
  });

  it("generates hundreds of distinct valid numbers deterministically", () => {
    const ids = Array.from({ length: 400 }, (_, n) =>
      makeIdCard("360102", `19${String(50 + (n % 40)).padStart(2, "0")}0${1 + (n % 9)}15`, String(n).padStart(3, "0")),
    );
    expect(new Set(ids).size).toBe(400);
    for (const id of ids) expect(validateIdCard(id, TODAY).ok).toBe(true);
  });

  it("refuses malformed parts rather than producing a broken number", () => {
    expect(() => idCardCheckChar("1101051949123100")).toThrow(RangeError);
    expect(() => idCardCheckChar("1101051949123100X")).toThrow(RangeError);
    expect(() => makeIdCard("11010", "19491231", "002")).toThrow(RangeError);
    expect(() => makeIdCard("110105", "1949-12-31", "002")).toThrow(RangeError);
    expect(() => makeIdCard("110105", "19491231", "02")).toThrow(RangeError);
  });
});

describe("validateIdCard: invalid numbers", () => {
  const valid = "11010519491231002X";

  it("detects every single-digit substitution", () => {
    for (let i = 0; i < 17; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === valid[i]) continue;
        const changed = valid.slice(0, i) + d + valid.slice(i + 1);
        expect(validateIdCard(changed, TODAY).ok, `position ${i + 1} → ${d}`).toBe(false);
      }
    }
  });

  it("names the expected check character", () => {
    expect(reasonOf("110105194912310021")).toBe("校验码错误：最后一位应为 X");
    expect(reasonOf("36010219900101000X".replace(/X$/, "5"))).toBe("校验码错误：最后一位应为 X");
    expect(reasonOf("44052419800101000X")).toBe("校验码错误：最后一位应为 5");
    expect(reasonOf("110105194912310012")).toBe(`校验码错误：最后一位应为 ${idCardCheckChar("11010519491231001")}`);
  });

  it.each(["19990230", "20230229", "19000229", "19991301", "19990001", "19990100", "19990431"])(
    "refuses the impossible birth date %s even with a correct check character",
    (birth) => {
      expect(reasonOf(makeIdCard("110105", birth, "002"))).toMatch(/^出生日期无效/);
    },
  );

  it("refuses years before 1900, including the standard's own 1880 example", () => {
    expect(reasonOf("440524188001010014")).toBe("出生日期无效：年份不能早于1900年");
    expect(reasonOf(makeIdCard("110105", "18991231", "002"))).toBe("出生日期无效：年份不能早于1900年");
  });

  it("refuses birth dates after today, but accepts someone born today", () => {
    expect(reasonOf(makeIdCard("110105", "20250616", "002"))).toBe("出生日期无效：不能晚于今天");
    expect(reasonOf(makeIdCard("110105", "20260101", "002"))).toBe("出生日期无效：不能晚于今天");
    expect(validateIdCard(makeIdCard("110105", "20250615", "002"), TODAY).ok).toBe(true);
  });

  it("judges 'today' by the Asia/Shanghai calendar, not the server's", () => {
    const justAfterMidnightInBeijing = new Date("2025-06-15T16:30:00Z");
    expect(validateIdCard(makeIdCard("110105", "20250616", "002"), justAfterMidnightInBeijing).ok).toBe(true);
  });

  it("refuses 17 and 19 characters", () => {
    expect(reasonOf(valid.slice(0, 17))).toBe("身份证号码应为18位，当前为17位");
    expect(reasonOf(`${valid}0`)).toBe("身份证号码应为18位，当前为19位");
    expect(reasonOf("110105491231002")).toBe("身份证号码应为18位，当前为15位");
  });

  it.each(["11010519491231002Y", "1101051949123100X2", "110105-949123100 X", "１１０１０５１９４９１２３１００２Ｘ"])(
    "refuses letters or symbols other than a final X: %s",
    (id) => {
      expect(reasonOf(id)).toBe("只能包含数字，最后一位可以是 X");
    },
  );

  it("asks for a number when the input is empty or blank", () => {
    expect(reasonOf("")).toBe("请输入身份证号码");
    expect(reasonOf("  ")).toBe("请输入身份证号码");
  });
});

describe("zIdCard", () => {
  it("parses to the normalised number", () => {
    expect(zIdCard.parse("11010519491231002x")).toBe("11010519491231002X");
  });

  it("uses the Chinese reason as the issue message", () => {
    const r = zIdCard.safeParse("110105194912310021");
    expect(r.success).toBe(false);
    expect(r.error?.issues).toHaveLength(1);
    expect(r.error?.issues[0].message).toBe("校验码错误：最后一位应为 X");
  });

  it("refuses non-strings with a Chinese message", () => {
    const r = zIdCard.safeParse(110105194912310020);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toBe("请输入身份证号码");
  });
});

describe("maskIdCard", () => {
  it("keeps the first six and last four characters", () => {
    expect(maskIdCard("360102199001011234")).toBe("360102********1234");
    expect(maskIdCard("11010519491231002X")).toBe("110105********002X");
  });

  it("reveals nothing of a value that is not 18 characters", () => {
    expect(maskIdCard("1101051949123")).toBe("***");
    expect(maskIdCard("")).toBe("***");
  });
});

describe("ageOn", () => {
  it("counts whole years, turning a year older on the birthday", () => {
    expect(ageOn("1990-06-15", new Date("2025-06-14T12:00:00+08:00"))).toBe(34);
    expect(ageOn("1990-06-15", new Date("2025-06-15T12:00:00+08:00"))).toBe(35);
    expect(ageOn("1990-06-15", new Date("2025-06-16T12:00:00+08:00"))).toBe(35);
    expect(ageOn("1949-12-31", new Date("2025-06-15T12:00:00+08:00"))).toBe(75);
  });

  it("is 0 on the day of birth", () => {
    expect(ageOn("2025-06-15", TODAY)).toBe(0);
  });

  it("ages someone born on 29 February on 1 March in common years", () => {
    expect(ageOn("2000-02-29", new Date("2025-02-28T12:00:00+08:00"))).toBe(24);
    expect(ageOn("2000-02-29", new Date("2025-03-01T12:00:00+08:00"))).toBe(25);
    expect(ageOn("2000-02-29", new Date("2024-02-29T12:00:00+08:00"))).toBe(24);
  });

  it("uses the Asia/Shanghai calendar day", () => {
    expect(ageOn("1990-01-01", new Date("2024-12-31T16:30:00Z"))).toBe(35);
  });

  it("works with the birth date from validateIdCard", () => {
    const r = validateIdCard("11010519491231002X", TODAY);
    expect(r.ok && ageOn(r.birthDate, TODAY)).toBe(75);
  });

  it("refuses a birth date not in YYYY-MM-DD form", () => {
    expect(() => ageOn("19900101", TODAY)).toThrow(RangeError);
  });
});
