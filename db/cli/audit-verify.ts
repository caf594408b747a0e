// npm run audit:verify: walks the hash chains of the audit log and the ledger
// (docs/decisions/0008-hash-chains.md). Prints "0 breaks", or the id of the first row that does
// not match, and exits 1. Optional anchors recorded from an earlier run detect a removed end:
//   npm run audit:verify -- --anchor audit_log:1234:<hex> --anchor ledger_entries:56:<hex>
import { parseArgs } from "node:util";
import { sealAuditLog, verifyChains, type Anchors, type ChainName } from "../../app/domain/integrity/chains.server";
import { closeDb, getDb } from "../../app/platform/db.server";
import { bootDatabase } from "../boot";

const { values } = parseArgs({ options: { anchor: { type: "string", multiple: true } } });
const anchors: Anchors = {};
for (const a of values.anchor ?? []) {
  const m = /^(audit_log|ledger_entries):(\d+):([0-9a-f]{64})$/i.exec(a);
  if (!m) {
    console.error(`无法识别的 --anchor：${a}（格式：audit_log:序号:64位十六进制哈希）`);
    process.exit(2);
  }
  anchors[m[1] as ChainName] = { seq: Number(m[2]), hash: m[3] };
}

// Checks only: migrations are applied (the chain columns must exist), no demo data is loaded.
const booted = await bootDatabase(() => {}, { seed: false });
let breaks = 0;
try {
  const started = Date.now();
  // What waits to be sealed (written while no app server ran, e.g. by a CLI tool) is sealed first, as a server would.
  const { sealed } = await sealAuditLog(getDb());
  if (sealed) console.log(`audit_log: sealed ${sealed} waiting rows first`);
  const reports = await verifyChains(getDb(), { anchors });
  for (const r of reports) {
    if (r.break) {
      breaks++;
      console.log(`${r.chain}: BREAK at row ${r.break.id ?? "(end of chain)"} — ${r.break.reason}: ${r.break.detail}`);
    } else {
      console.log(`${r.chain}: ${r.rows} rows intact${r.last ? `; last link ${r.chain}:${r.last.seq}:${r.last.hash} (row ${r.last.id})` : ""}`);
      if (r.pending) console.log(`${r.chain}: ${r.pending} rows committed meanwhile, not sealed yet (the app servers seal every few seconds)`);
    }
  }
  console.log(`${breaks} breaks (${Date.now() - started} ms)`);
} finally {
  await closeDb();
  await booted.embedded?.stop();
}
process.exit(breaks ? 1 : 0);
