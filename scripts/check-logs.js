// After the end-to-end run: the server's log must contain no password and no identity number.
// Passwords: every one the demo data and the specs type. Identity numbers: any 18-character
// string whose check character is valid (GB 11643), so a leak is caught whatever the data.
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

let log;
try {
  log = readFileSync(LOG, "utf8");
} catch {
  console.error(`${LOG} is missing: the end-to-end server did not run`);
  process.exit(1);
}
const problems = [];
for (const p of passwordsInSpecs()) if (log.includes(p)) problems.push(`password "${p.slice(0, 2)}…" appears in the log`);
for (const m of log.matchAll(/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g)) if (isIdNumber(m[0])) problems.push(`identity number ${m[0].slice(0, 6)}… appears in the log`);
const lines = log.split("\n").filter(Boolean).length;
if (problems.length) {
  console.error(`check-logs: ${problems.length} leak(s) in ${lines} log lines:\n${problems.join("\n")}`);
  process.exit(1);
}
console.log(`check-logs: ${lines} server log lines, no password or identity number`);
