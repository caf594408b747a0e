import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { DB, Executor } from "../../platform/db.server";

/**
 * Verifies the hash chains of audit_log and ledger_entries (docs/decisions/0008-hash-chains.md).
 * The database gives each row's canonical content (the same SQL function the sealing trigger
 * uses); the chaining itself — SHA-256(previous hash ‖ content) — is recomputed here, in batches
 * walked by chain_seq, so memory stays flat however long the chain is.
 */

export type ChainName = "audit_log" | "ledger_entries";
export const CHAINS: readonly ChainName[] = ["audit_log", "ledger_entries"];

export interface ChainBreak {
  /** The id of the first row that does not match, or null when the chain's end is missing. */
  id: string | null;
  reason: "hash_mismatch" | "sequence_gap" | "unsealed" | "anchor_mismatch";
  detail: string;
}

export interface ChainLink {
  seq: number;
  id: string;
  /** Hex SHA-256. */
  hash: string;
}

export interface ChainReport {
  chain: ChainName;
  rows: number;
  break: ChainBreak | null;
  /** The chain's end: record it elsewhere (an anchor) to detect later removal of the newest rows. */
  last: ChainLink | null;
}

/** A link recorded earlier (printed by audit:verify): it must still be in the chain, unchanged. */
export type Anchors = Partial<Record<ChainName, { seq: number; hash: string }>>;

const GENESIS = Buffer.alloc(32);
const CANONICAL = { audit_log: sql.raw("audit_log_canonical(t)"), ledger_entries: sql.raw("ledger_entry_canonical(t)") } as const;

export async function verifyChain(db: Executor, chain: ChainName, opts: { batchSize?: number; anchor?: { seq: number; hash: string } } = {}): Promise<ChainReport> {
  const batch = opts.batchSize ?? 5000;
  const table = sql.table(chain);
  // Committed rows are sealed in their own transaction; an unsealed one was written with the
  // trigger switched off.
  const unsealed = await sql<{ id: string }>`select id::text as id from ${table} where chain_seq is null or row_hash is null order by id limit 1`.execute(db);
  let prev: Buffer = GENESIS;
  let seq = 0;
  let lastId: string | null = null;
  let rows = 0;
  let found: ChainBreak | null = null;
  const anchors = new Map<number, string>();
  for (;;) {
    const { rows: page } = await sql<{ id: string; seq: number; hash: Buffer; content: string }>`
      select t.id::text as id, t.chain_seq as seq, t.row_hash as hash, ${CANONICAL[chain]} as content
      from ${table} t where t.chain_seq > ${seq} order by t.chain_seq limit ${batch}`.execute(db);
    for (const r of page) {
      rows++;
      if (Number(r.seq) !== seq + 1) {
        found = { id: r.id, reason: "sequence_gap", detail: `第 ${seq + 1} 环缺失（前一行 ${lastId ?? "链首"}，之后是 ${r.seq}）` };
        break;
      }
      const expected = createHash("sha256").update(prev).update(Buffer.from(r.content, "utf8")).digest();
      if (!expected.equals(r.hash)) {
        found = { id: r.id, reason: "hash_mismatch", detail: `第 ${r.seq} 环的哈希与内容不符` };
        break;
      }
      prev = r.hash;
      seq = Number(r.seq);
      if (opts.anchor && seq === opts.anchor.seq) anchors.set(seq, r.hash.toString("hex"));
      lastId = r.id;
    }
    if (found || page.length < batch) break;
  }
  if (!found && unsealed.rows[0]) found = { id: unsealed.rows[0].id, reason: "unsealed", detail: "该行没有链哈希（写入时绕过了触发器）" };
  const anchor = opts.anchor;
  if (!found && anchor && (seq < anchor.seq || (anchors.get(anchor.seq) ?? "") !== anchor.hash.toLowerCase())) {
    found = { id: null, reason: "anchor_mismatch", detail: `记录过的第 ${anchor.seq} 环（${anchor.hash.slice(0, 12)}…）已不在链中：之后的行被删除或改写（当前链尾第 ${seq} 环）` };
  }
  return { chain, rows, break: found, last: lastId ? { seq, id: lastId, hash: prev.toString("hex") } : null };
}

/** Both chains, read in one repeatable-read snapshot so rows committed meanwhile do not look like a broken end. */
export async function verifyChains(db: DB, opts: { batchSize?: number; anchors?: Anchors } = {}): Promise<ChainReport[]> {
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .setAccessMode("read only")
    .execute(async (trx) => {
      const out: ChainReport[] = [];
      for (const chain of CHAINS) out.push(await verifyChain(trx, chain, { batchSize: opts.batchSize, anchor: opts.anchors?.[chain] }));
      return out;
    });
}
