// After the end-to-end run: the server's log must contain no password and no identity number.
// Passwords: every one the demo data and the specs type. Identity numbers: any 18-character
// string whose check character is valid (GB 11643), so a leak is caught whatever the data.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";

const LOG = "test-results/e2e-server.log";
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const isIdNumber = (s) => {
  const sum = WEIGHTS.reduce((n, w, i) => n + Number(s[i]) * w, 0);
  return "10X98765432"[sum % 11] === s[17].toUpperCase();
};

function passwordsInSpecs() {
  const found = new Set(["linli2026"]);
  for (const f of readdirSync("tests/e2e")) {
    const text = readFileSync(`tests/e2e/${f}`, "utf8");
    for (const m of text.matchAll(/(?:password|密码)[^"\n]*?"([^"]{8,64})"/gi)) found.add(m[1]);
    for (const m of text.matchAll(/\.fill\("([A-Za-z][A-Za-z0-9]{7,63})"\)/g)) if (/\d/.test(m[1])) found.add(m[1]);
  }
  return [...found];
}

// Authenticator secrets: the demo staff accounts' (db/seed/demo-totp.ts, recomputed here) and every
// secret a spec saw on an enrolment page (tests/e2e/helpers.ts records them).
const B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
function base32(buf) {
  let bits = 0, value = 0, out = "";
  for (const b of buf) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) { out += B32[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  return bits > 0 ? out + B32[(value << (5 - bits)) & 31] : out;
}
function totpSecrets() {
  const found = new Set();
  const demo = readFileSync("tests/e2e/demo-accounts.ts", "utf8");
  const phones = new Set([...demo.matchAll(/"(1\d{10})"/g)].map((m) => m[1]));
  for (let n = 1; n <= 99; n++) phones.add(`139000000${String(n).padStart(2, "0")}`);
  for (const p of phones) found.add(base32(createHash("sha256").update(`linli-shouwang demo totp ${p}`).digest().subarray(0, 20)));
  try {
    for (const s of readFileSync("test-results/.auth/seen-secrets.txt", "utf8").split("\n")) if (s.trim()) found.add(s.trim());
  } catch {
    /* no enrolment in this run */
  }
  return [...found];
}

let log;
try {
  log = readFileSync(LOG, "utf8");
} catch {
  console.error(`${LOG} is missing: the end-to-end server did not run`);
  process.exit(1);
}
const problems = [];
for (const p of passwordsInSpecs()) if (log.includes(p)) problems.push(`password "${p.slice(0, 2)}…" appears in the log`);
for (const s of totpSecrets()) if (log.includes(s)) problems.push(`authenticator secret ${s.slice(0, 4)}… appears in the log`);
if (log.includes("otpauth://")) problems.push("an otpauth:// URI (it carries the secret) appears in the log");
for (const m of log.matchAll(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g)) if (isIdNumber(m[0])) problems.push(`identity number ${m[0].slice(0, 6)}… appears in the log`);
const lines = log.split("\n").filter(Boolean).length;
if (problems.length) {
  console.error(`check-logs: ${problems.length} leak(s) in ${lines} log lines:\n${problems.join("\n")}`);
  process.exit(1);
}
console.log(`check-logs: ${lines} server log lines, no password, identity number or authenticator secret`);
