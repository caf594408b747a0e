import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { generateKey } from "../app/platform/crypto.server";

/**
 * The embedded-database install (`npm start` without DATABASE_URL) keeps its care-data keys in
 * the data folder beside the database, created on first start (file mode 0600), so the demo runs
 * without configuration. An install with DATABASE_URL must set CARE_ENCRYPTION_KEYS and
 * CARE_HMAC_KEY itself (docs/decisions/0004-care-privacy.md). Returns true when the file was used.
 */
export async function ensureLocalCareKeys(dataDir: string): Promise<boolean> {
  if (process.env.CARE_ENCRYPTION_KEYS || process.env.CARE_HMAC_KEY) return false;
  const file = path.join(dataDir, "care-keys.json");
  let keys: { encryptionKeys: string; hmacKey: string };
  if (existsSync(file)) keys = JSON.parse(await readFile(file, "utf8"));
  else {
    keys = { encryptionKeys: `local1:${generateKey()}`, hmacKey: generateKey() };
    await writeFile(file, JSON.stringify(keys, null, 2), { mode: 0o600, flag: "wx" });
  }
  process.env.CARE_ENCRYPTION_KEYS = keys.encryptionKeys;
  process.env.CARE_HMAC_KEY = keys.hmacKey;
  return true;
}
