import { createHash } from "node:crypto";
import { base32Encode } from "../../app/platform/totp";

/**
 * DEMO ONLY: the authenticator secret of a demo staff account, derived from its phone number so
 * that the README, the e2e helper (tests/e2e/helpers.ts) and a tester's authenticator app agree.
 * Like the demo password, anyone can compute it: never load demo data into a real installation.
 */
export function demoTotpSecret(phone: string): string {
  return base32Encode(createHash("sha256").update(`linli-shouwang demo totp ${phone}`).digest().subarray(0, 20));
}
