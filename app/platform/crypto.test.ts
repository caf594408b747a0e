import { describe, expect, it } from "vitest";
import { blindIndex, decryptField, encryptField, generateKey, parseCareKeys } from "./crypto.server";

const k1 = generateKey();
const k2 = generateKey();
const hmac = generateKey();

describe("field encryption (AES-256-GCM with key ids)", () => {
  it("round-trips, with a fresh IV each time so equal values do not look equal", () => {
    const { keys } = parseCareKeys({ CARE_ENCRYPTION_KEYS: `k1:${k1}`, CARE_HMAC_KEY: hmac });
    const a = encryptField("360122200801011234", keys);
    const b = encryptField("360122200801011234", keys);
    expect(a).not.toBe(b);
    expect(a).not.toContain("360122200801011234");
    expect(a.startsWith("k1:")).toBe(true);
    expect(decryptField(a, keys)).toBe("360122200801011234");
  });

  it("rotates keys: new values use the first key, values under a retired key still decrypt", () => {
    const old = parseCareKeys({ CARE_ENCRYPTION_KEYS: `k1:${k1}`, CARE_HMAC_KEY: hmac }).keys;
    const rotated = parseCareKeys({ CARE_ENCRYPTION_KEYS: `k2:${k2},k1:${k1}`, CARE_HMAC_KEY: hmac }).keys;
    const before = encryptField("13800000000", old);
    expect(decryptField(before, rotated)).toBe("13800000000");
    expect(encryptField("x", rotated).startsWith("k2:")).toBe(true);
  });

  it("refuses a tampered ciphertext (GCM tag) and an unknown key id", () => {
    const { keys } = parseCareKeys({ CARE_ENCRYPTION_KEYS: `k1:${k1}`, CARE_HMAC_KEY: hmac });
    const [id, iv, tag, ct] = encryptField("13800000000", keys).split(":");
    const flipped = Buffer.from(ct, "base64");
    flipped[0] ^= 1;
    expect(() => decryptField([id, iv, tag, flipped.toString("base64")].join(":"), keys)).toThrow();
    expect(() => decryptField(["k9", iv, tag, ct].join(":"), keys)).toThrow(/k9/);
  });

  it("keyed hash: same input same hash, different key different hash", () => {
    const a = parseCareKeys({ CARE_ENCRYPTION_KEYS: `k1:${k1}`, CARE_HMAC_KEY: hmac }).keys;
    const b = parseCareKeys({ CARE_ENCRYPTION_KEYS: `k1:${k1}`, CARE_HMAC_KEY: generateKey() }).keys;
    expect(blindIndex("360122200801011234", a)).toBe(blindIndex("360122200801011234", a));
    expect(blindIndex("360122200801011234", a)).not.toBe(blindIndex("360122200801011234", b));
  });

  it("uses a development key outside production, and refuses to run without keys in production", () => {
    expect(parseCareKeys({ NODE_ENV: "test" }).development).toBe(true);
    expect(() => parseCareKeys({ NODE_ENV: "production" })).toThrow(/CARE_ENCRYPTION_KEYS/);
    expect(() => parseCareKeys({ CARE_ENCRYPTION_KEYS: "k1:c2hvcnQ=", CARE_HMAC_KEY: hmac })).toThrow(/32 字节/);
    expect(() => parseCareKeys({ CARE_ENCRYPTION_KEYS: `k1:${k1}` })).toThrow(/CARE_HMAC_KEY/);
  });
});
