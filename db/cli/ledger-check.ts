// npm run ledger:check: the money conservation check (app/domain/ledger/check.server.ts). Prints
// "0 violations", or lists them and exits 1.
import { checkLedger } from "../../app/domain/ledger/check.server";
import { closeDb, getDb } from "../../app/platform/db.server";
import { bootDatabase } from "../boot";

// Checks only: migrations are applied (the chain columns must exist), no demo data is loaded.
const booted = await bootDatabase(() => {}, { seed: false });
let failed = false;
try {
  const started = Date.now();
  const r = await checkLedger(getDb());
  for (const v of r.violations) console.log(`VIOLATION ${v.rule}: ${v.subject} — ${v.detail}`);
  console.log(`${r.violations.length} violations (${r.rows} ledger rows, ${r.pools} pools, ${r.grants} grants, ${Date.now() - started} ms)`);
  failed = r.violations.length > 0;
} finally {
  await closeDb();
  await booted.embedded?.stop();
}
process.exit(failed ? 1 : 0);
