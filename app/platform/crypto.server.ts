import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from "node:crypto";

/**
 * Field encryption for sensitive personal data (care targets' ID numbers and phones):
 * AES-256-GCM, one random 12-byte IV per value, stored as one text envelope
 * "keyId:iv:tag:ciphertext" (base64 parts), so a key can be retired while old rows stay readable.
 * Beside it, a keyed HMAC-SHA256 finds duplicates without decrypting. See
 * docs/decisions/0004-care-privacy.md.
 *
 * Keys come from CARE_ENCRYPTION_KEYS ("k2:base64,k1:base64": the first encrypts, all decrypt)
 * and CARE_HMAC_KEY (base64). Outside production, when they are absent, a fixed development key
 * is used with a warning; in production the care feature refuses to work without them.
 */

export interface CareKeys {
  currentKeyId: string;
  keys: Map<string, Buffer>;
  hmacKey: Buffer;
}

export class CareKeysMissingError extends Error {
  constructor(detail: string) {
    super(`关爱对象数据加密密钥未配置或无效（${detail}）：请设置 CARE_ENCRYPTION_KEYS 和 CARE_HMAC_KEY，见 README`);
    this.name = "CareKeysMissingError";
  }
}

const DEV_KEY_ID = "dev";

function devKeys(): CareKeys {
  const key = createHash("sha256").update("linli-shouwang development care key — not secret").digest();
  const hmacKey = createHash("sha256").update("linli-shouwang development care hmac — not secret").digest();
  return { currentKeyId: DEV_KEY_ID, keys: new Map([[DEV_KEY_ID, key]]), hmacKey };
}

function decodeKey(b64: string, what: string): Buffer {
  const buf = Buffer.from(b64.trim(), "base64");
  if (buf.length !== 32) throw new CareKeysMissingError(`${what} 应为 32 字节的 base64，当前 ${buf.length} 字节`);
  return buf;
}

/** Parses the key configuration; exported for tests, the app uses careKeys(). */
export function parseCareKeys(env: { CARE_ENCRYPTION_KEYS?: string; CARE_HMAC_KEY?: string; NODE_ENV?: string }): { keys: CareKeys; development: boolean } {
  const list = env.CARE_ENCRYPTION_KEYS?.trim();
  const hmac = env.CARE_HMAC_KEY?.trim();
  if (!list && !hmac) {
    if (env.NODE_ENV === "production") throw new CareKeysMissingError("生产环境必须配置");
    return { keys: devKeys(), development: true };
  }
  if (!list) throw new CareKeysMissingError("缺少 CARE_ENCRYPTION_KEYS");
  if (!hmac) throw new CareKeysMissingError("缺少 CARE_HMAC_KEY");
  const keys = new Map<string, Buffer>();
  let currentKeyId = "";
  for (const entry of list.split(",")) {
    const [id, b64] = entry.split(":");
    if (!id || !b64 || !/^[\w-]{1,16}$/.test(id)) throw new CareKeysMissingError(`CARE_ENCRYPTION_KEYS 格式应为 “密钥编号:base64,…”`);
    if (keys.has(id)) throw new CareKeysMissingError(`密钥编号 ${id} 重复`);
    keys.set(id, decodeKey(b64, `密钥 ${id}`));
    currentKeyId ||= id;
  }
  return { keys: { currentKeyId, keys, hmacKey: decodeKey(hmac, "CARE_HMAC_KEY") }, development: false };
}

let cached: { source: string; keys: CareKeys } | undefined;
let warned = false;

/** The keys from the environment, parsed once (again if the environment changes, as in tests). */
export function careKeys(): CareKeys {
  const source = `${process.env.CARE_ENCRYPTION_KEYS ?? ""}|${process.env.CARE_HMAC_KEY ?? ""}|${process.env.NODE_ENV ?? ""}`;
  if (cached?.source === source) return cached.keys;
  const parsed = parseCareKeys(process.env);
  if (parsed.development && !warned) {
    warned = true;
    console.warn("警告：未设置 CARE_ENCRYPTION_KEYS / CARE_HMAC_KEY，关爱对象数据使用固定的开发密钥加密，切勿用于生产环境");
  }
  cached = { source, keys: parsed.keys };
  return parsed.keys;
}

export function encryptField(plain: string, keys: CareKeys = careKeys()): string {
  const key = keys.keys.get(keys.currentKeyId)!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [keys.currentKeyId, iv.toString("base64"), cipher.getAuthTag().toString("base64"), ct.toString("base64")].join(":");
}

export function decryptField(envelope: string, keys: CareKeys = careKeys()): string {
  const [keyId, iv, tag, ct] = envelope.split(":");
  const key = keys.keys.get(keyId);
  if (!key || !iv || !tag || ct === undefined) throw new CareKeysMissingError(`无法解密：密钥 ${keyId} 不在 CARE_ENCRYPTION_KEYS 中`);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64")), decipher.final()]).toString("utf8");
}

export function encryptOptional(plain: string | null | undefined, keys?: CareKeys): string | null {
  return plain ? encryptField(plain, keys) : null;
}

export function decryptOptional(envelope: string | null, keys?: CareKeys): string | null {
  return envelope ? decryptField(envelope, keys) : null;
}

/** Keyed hash for equality lookups (e.g. the same ID number twice); the input must be normalised first. */
export function blindIndex(normalised: string, keys: CareKeys = careKeys()): string {
  return createHmac("sha256", keys.hmacKey).update(normalised, "utf8").digest("hex");
}

/** A new random key in the form the environment variables take (for the README and `npm start`). */
export function generateKey(): string {
  return randomBytes(32).toString("base64");
}
