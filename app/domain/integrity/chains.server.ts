import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { DB, Executor } from "../../platform/db.server";

/**
 * Verifies the hash chains of audit_log and ledger_entries (docs/decisions/0008-hash-chains.md),
 * and seals the audit log's new rows into its chain (0011-audit-sealed-by-job.md). The database
 * gives each row's canonical content (the same SQL function the sealing uses); the chaining
 * itself — SHA-256(previous hash ‖ content) — is recomputed here, in batches walked by chain_seq,
 * so memory stays flat however long the chain is.
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
  /** Audit rows written in the last SEAL_GRACE_MINUTES and not sealed yet: the sealers' next work. */
  pending: number;
  break: ChainBreak | null;
  /** The chain's end: record it elsewhere (an anchor) to detect later removal of the newest rows. */
  last: ChainLink | null;
}

/** A link recorded earlier (printed by audit:verify): it must still be in the chain, unchanged. */
export type Anchors = Partial<Record<ChainName, { seq: number; hash: string }>>;

const GENESIS = Buffer.alloc(32);

/**
 * Every app server seals every few seconds; an audit row still unsealed this long after it was
 * written means no server has been sealing (or the row was slipped in with the triggers off): a break.
 */
export const SEAL_GRACE_MINUTES = 10;

/**
 * How often each app server seals: small batches, so the chain lock is held briefly and the load
 * stays even (every 5 s, a batch of ~4,000 rows under the write benchmark held a PostgreSQL core
 * for 0.3–0.6 s and the writes' latency rose with it; docs/performance.md, sixth pass).
 */
export const SEAL_INTERVAL_MS = 1_000;

/**
 * Seals every audit row committed so far into the chain, in batches of `batch` rows (each batch its
 * own transaction, so the chain lock is never held for long). Safe to run on several servers at
 * once: the database function takes the chain lock before it reads the unsealed rows.
 */
export async function sealAuditLog(db: DB, batch = 5000): Promise<{ sealed: number }> {
  let sealed = 0;
  for (;;) {
    const { rows } = await sql<{ n: number }>`select seal_audit_log(${batch}::integer) as n`.execute(db);
    sealed += rows[0].n;
    if (rows[0].n < batch) return { sealed };
  }
}

/**
 * Seals every `intervalMs` until stopped, one run at a time, and once more when stopped (so a server
 * that shuts down leaves nothing of its own unsealed). A timer, not a queued job: a run needs
 * nothing from the one before (it takes whatever is unsealed), so a missed or doubled run costs
 * nothing, and servers running it at once take turns on the chain lock.
 */
export function startAuditSealer(db: DB, opts: { intervalMs?: number; onError: (e: unknown) => void }): { stop(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = sealAuditLog(db)
      .catch(opts.onError)
      .finally(() => {
        running = null;
      });
  }, opts.intervalMs ?? SEAL_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await sealAuditLog(db).catch(opts.onError);
    },
  };
}
const CANONICAL = { audit_log: sql.raw("audit_log_canonical(t)"), ledger_entries: sql.raw("ledger_entry_canonical(t)") } as const;

interface RangeResult {
  rows: number;
  /** The first break in the range, with its chain position for ordering ranges. */
  found: (ChainBreak & { seq: number }) | null;
}

/**
 * Checks links from..to (inclusive): every row there must exist, in order, and its hash must be
 * SHA-256(the stored hash of the row before it ‖ its content). Ranges are independent (each
 * starts from the stored hash of the row before it), so a long chain can be checked by several
 * connections at once; every link is still checked exactly once.
 */
async function verifyRange(db: Executor, chain: ChainName, from: number, to: number, batch: number): Promise<RangeResult> {
  const table = sql.table(chain);
  let prev: Buffer | null = GENESIS;
  if (from > 1) {
    const { rows } = await sql<{ hash: Buffer | null }>`select row_hash as hash from ${table} where chain_seq = ${from - 1}`.execute(db);
    prev = rows[0]?.hash ?? null;
  }
  let expected = from;
  let rows = 0;
  for (;;) {
    const { rows: page } = await sql<{ id: string; seq: number; hash: Buffer | null; content: string }>`
      select t.id::text as id, t.chain_seq as seq, t.row_hash as hash, ${CANONICAL[chain]} as content
      from ${table} t where t.chain_seq >= ${expected} and t.chain_seq <= ${to} order by t.chain_seq limit ${batch}`.execute(db);
    for (const r of page) {
      rows++;
      const seq = Number(r.seq);
      if (seq !== expected || prev === null) {
        const missing = seq !== expected ? expected : expected - 1;
        return { rows, found: { seq, id: r.id, reason: "sequence_gap", detail: `第 ${missing} 环缺失（被删除），之后是第 ${seq} 环` } };
      }
      const hash = createHash("sha256").update(prev).update(Buffer.from(r.content, "utf8")).digest();
      if (!r.hash || !hash.equals(r.hash)) return { rows, found: { seq, id: r.id, reason: "hash_mismatch", detail: `第 ${seq} 环的哈希与内容不符` } };
      prev = r.hash;
      expected = seq + 1;
    }
    if (page.length < batch) return { rows, found: null };
  }
}

async function chainEnd(db: Executor, chain: ChainName): Promise<ChainLink | null> {
  const { rows } = await sql<{ id: string; seq: number; hash: Buffer | null }>`
    select id::text as id, chain_seq as seq, row_hash as hash from ${sql.table(chain)} where chain_seq is not null order by chain_seq desc limit 1`.execute(db);
  return rows[0] ? { id: rows[0].id, seq: Number(rows[0].seq), hash: rows[0].hash?.toString("hex") ?? "" } : null;
}

/** What is checked besides the links: rows that never got into the chain, and a recorded anchor. */
async function outsideTheLinks(
  db: Executor,
  chain: ChainName,
  anchor: { seq: number; hash: string } | undefined,
  end: ChainLink | null,
): Promise<{ found: ChainBreak | null; pending: number }> {
  // Ledger rows are sealed at their own commit; audit rows by the app servers' sealing runs, every few seconds.
  const grace = chain === "audit_log" ? sql`and at < now() - make_interval(mins => ${SEAL_GRACE_MINUTES})` : sql``;
  const unsealed = await sql<{ id: string }>`select id::text as id from ${sql.table(chain)} where chain_seq is null ${grace} order by id limit 1`.execute(db);
  const pending =
    chain === "audit_log" ? Number((await sql<{ n: string }>`select count(*) as n from audit_log where chain_seq is null`.execute(db)).rows[0].n) : 0;
  if (unsealed.rows[0]) {
    const detail = chain === "audit_log" ? `该行写入 ${SEAL_GRACE_MINUTES} 分钟后仍没有链哈希（这段时间没有应用服务器在封存）` : "该行没有链哈希（写入时绕过了触发器）";
    return { found: { id: unsealed.rows[0].id, reason: "unsealed", detail }, pending };
  }
  if (anchor) {
    const { rows } = await sql<{ hash: Buffer | null }>`select row_hash as hash from ${sql.table(chain)} where chain_seq = ${anchor.seq}`.execute(db);
    if (rows[0]?.hash?.toString("hex") !== anchor.hash.toLowerCase()) {
      return {
        found: { id: null, reason: "anchor_mismatch", detail: `记录过的第 ${anchor.seq} 环（${anchor.hash.slice(0, 12)}…）已不在链中：之后的行被删除或改写（当前链尾第 ${end?.seq ?? 0} 环）` },
        pending,
      };
    }
  }
  return { found: null, pending };
}

/** One chain on one connection (tests, small chains). */
export async function verifyChain(db: Executor, chain: ChainName, opts: { batchSize?: number; anchor?: { seq: number; hash: string } } = {}): Promise<ChainReport> {
  const end = await chainEnd(db, chain);
  const r = end ? await verifyRange(db, chain, 1, end.seq, opts.batchSize ?? 5000) : { rows: 0, found: null };
  const outside = await outsideTheLinks(db, chain, opts.anchor, end);
  const found = r.found ? { id: r.found.id, reason: r.found.reason, detail: r.found.detail } : outside.found;
  return { chain, rows: r.rows, pending: outside.pending, break: found, last: found ? null : end };
}

/**
 * Both chains, read in one repeatable-read snapshot (rows committed meanwhile are not seen), the
 * links split into ranges checked by `parallel` connections that share the snapshot
 * (pg_export_snapshot). Reports each chain's first break in chain order.
 */
export async function verifyChains(db: DB, opts: { batchSize?: number; anchors?: Anchors; parallel?: number } = {}): Promise<ChainReport[]> {
  const batch = opts.batchSize ?? 5000;
  const parallel = Math.max(1, opts.parallel ?? 4);
  return db
    .transaction()
    .setIsolationLevel("repeatable read")
    .setAccessMode("read only")
    .execute(async (main) => {
      const { rows } = await sql<{ snapshot: string }>`select pg_export_snapshot() as snapshot`.execute(main);
      const snapshot = rows[0].snapshot;
      const inSnapshot = <T>(work: (ex: Executor) => Promise<T>) =>
        db
          .transaction()
          .setIsolationLevel("repeatable read")
          .setAccessMode("read only")
          .execute(async (trx) => {
            await sql`set transaction snapshot ${sql.lit(snapshot)}`.execute(trx);
            return work(trx);
          });
      const out: ChainReport[] = [];
      for (const chain of CHAINS) {
        const end = await chainEnd(main, chain);
        const total = end?.seq ?? 0;
        const size = Math.max(batch, Math.ceil(total / parallel));
        const ranges: Array<[number, number]> = [];
        for (let from = 1; from <= total; from += size) ranges.push([from, Math.min(total, from + size - 1)]);
        const results = await Promise.all(ranges.map(([from, to], i) => (i === 0 ? verifyRange(main, chain, from, to, batch) : inSnapshot((ex) => verifyRange(ex, chain, from, to, batch)))));
        const first = results.map((r) => r.found).filter((f) => f !== null).sort((a, b) => a.seq - b.seq)[0];
        const outside = await outsideTheLinks(main, chain, opts.anchors?.[chain], end);
        const found = first ? { id: first.id, reason: first.reason, detail: first.detail } : outside.found;
        out.push({ chain, rows: results.reduce((n, r) => n + r.rows, 0), pending: outside.pending, break: found, last: found ? null : end });
      }
      return out;
    });
}
