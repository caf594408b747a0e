import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, hotp, otpauthUri, totp, totpStep, verifyTotp } from "./totp";

// RFC 4226 appendix D and RFC 6238 appendix B use the ASCII secret "12345678901234567890".
const RFC_KEY = Buffer.from("12345678901234567890", "ascii");
const RFC_SECRET = base32Encode(RFC_KEY);

describe("HOTP (RFC 4226 appendix D test vectors)", () => {
  const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
  it.each(expected.map((code, counter) => ({ code, counter })))("counter $counter → $code", ({ code, counter }) => {
    expect(hotp(RFC_KEY, counter)).toBe(code);
  });
});

describe("TOTP (RFC 6238 appendix B test vectors, SHA-1, truncated to 6 digits)", () => {
  // The RFC gives 8-digit values; the 6-digit code is their last six digits.
  const vectors: Array<[number, string]> = [
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ];
  it.each(vectors)("T = %i s", (seconds, eight) => {
    expect(hotp(RFC_KEY, Math.floor(seconds / 30), 8)).toBe(eight);
    expect(totp(RFC_SECRET, new Date(seconds * 1000))).toBe(eight.slice(2));
  });
  it("also matches the SHA-256 vector (the HOTP core is not tied to SHA-1)", () => {
    const key256 = Buffer.from("12345678901234567890123456789012", "ascii");
    expect(hotp(key256, 1, 8, "sha256")).toBe("46119246");
  });
});

describe("base32", () => {
  it("round-trips and matches RFC 4648 test vectors", () => {
    expect(base32Encode(Buffer.from("foobar"))).toBe("MZXW6YTBOI");
    expect(base32Decode("MZXW6YTBOI").toString()).toBe("foobar");
    expect(base32Decode("mzxw 6ytb-oi======").toString()).toBe("foobar");
    expect(() => base32Decode("MZ1")).toThrow();
  });
});

describe("verifyTotp with a fixed clock", () => {
  const now = new Date("2026-11-24T08:00:10Z");
  const step = totpStep(now);
  const at = (s: number) => new Date(s * 30_000);

  it("accepts the right code and says which step it was", () => {
    expect(verifyTotp(RFC_SECRET, totp(RFC_SECRET, now), now, null)).toBe(step);
  });
  it("accepts the code of the previous step and the next one (±1 step of drift)", () => {
    expect(verifyTotp(RFC_SECRET, totp(RFC_SECRET, at(step - 1)), now, null)).toBe(step - 1);
    expect(verifyTotp(RFC_SECRET, totp(RFC_SECRET, at(step + 1)), now, null)).toBe(step + 1);
  });
  it("refuses a code two steps old", () => {
    expect(verifyTotp(RFC_SECRET, totp(RFC_SECRET, at(step - 2)), now, null)).toBeNull();
  });
  it("refuses a wrong code and malformed input", () => {
    const right = totp(RFC_SECRET, now);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
    expect(verifyTotp(RFC_SECRET, wrong, now, null)).toBeNull();
    expect(verifyTotp(RFC_SECRET, "12345", now, null)).toBeNull();
    expect(verifyTotp(RFC_SECRET, "abcdef", now, null)).toBeNull();
  });
  it("refuses a code whose step was already used, and any older step", () => {
    const code = totp(RFC_SECRET, now);
    expect(verifyTotp(RFC_SECRET, code, now, step)).toBeNull();
    expect(verifyTotp(RFC_SECRET, totp(RFC_SECRET, at(step - 1)), now, step - 1)).toBeNull();
    // the next step's code is still good after this one was used
    expect(verifyTotp(RFC_SECRET, totp(RFC_SECRET, at(step + 1)), now, step)).toBe(step + 1);
  });
  it("builds an otpauth:// URI with the issuer 邻里守望", () => {
    const uri = otpauthUri(RFC_SECRET, "13900000001");
    expect(uri.startsWith("otpauth://totp/%E9%82%BB%E9%87%8C%E5%AE%88%E6%9C%9B%3A13900000001?")).toBe(true);
    const params = new URL(uri).searchParams;
    expect(params.get("secret")).toBe(RFC_SECRET);
    expect(params.get("issuer")).toBe("邻里守望");
    expect(params.get("digits")).toBe("6");
    expect(params.get("period")).toBe("30");
  });
});
