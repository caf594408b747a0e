import { describe, expect, it } from "vitest";
import { maskPhone, zMobile } from "./phone";

describe("mobile numbers", () => {
  it("accepts 11-digit numbers starting 13–19, with spaces or +86 removed", () => {
    expect(zMobile.parse("13812345678")).toBe("13812345678");
    expect(zMobile.parse("+86 139-1234-5678")).toBe("13912345678");
    expect(zMobile.parse("19912345678")).toBe("19912345678");
  });

  it("refuses numbers of the wrong length or prefix with a Chinese message", () => {
    for (const bad of ["1381234567", "138123456789", "12812345678", "23812345678", "1381234567a", ""]) {
      const r = zMobile.safeParse(bad);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0].message).toContain("手机号码");
    }
  });

  it("masks the middle four digits", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
  });
});
