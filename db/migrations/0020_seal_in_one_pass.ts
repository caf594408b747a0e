import { sql, type Kysely } from "kysely";

/**
 * Sealing carries the chain's last link through its batch instead of asking `chain_append` for
 * it at each row, and writes the batch's links in one UPDATE (docs/decisions/0011, amended).
 * `chain_append` re-read the newest sealed row and took the chain lock again for every row: 83 µs
 * of PostgreSQL per row, ~8 % of a core under the write benchmark's ~950 audited writes a second.
 * Now 39 µs. The links are the same: seq + 1, sha256(previous hash || canonical text), from the
 * zero hash at the start; the lock and the snapshot rule are those of 0017.
 *
 * The refusal of a pre-sealed row is asked only of a row that has chain values (the trigger's
 * WHEN): the same refusal, without a PL/pgSQL call for every audited write (20 → 12 µs a row).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function seal_audit_log(max_rows integer) returns integer
      language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      prev_seq bigint;
      prev_hash bytea;
      r record;
      n integer := 0;
      ids bigint[] := '{}';
      seqs bigint[] := '{}';
      hashes bytea[] := '{}';
    begin
      perform pg_advisory_xact_lock(hashtext('linli.hash_chain'));
      -- After the lock: a new snapshot, so every seal committed before it is seen.
      select a.chain_seq, a.row_hash into prev_seq, prev_hash from audit_log a
        where a.chain_seq is not null order by a.chain_seq desc limit 1;
      prev_seq := coalesce(prev_seq, 0);
      prev_hash := coalesce(prev_hash, decode(repeat('00', 32), 'hex'));
      for r in select a.id, audit_log_canonical(a) as c from audit_log a where a.chain_seq is null order by a.id limit max_rows loop
        n := n + 1;
        prev_seq := prev_seq + 1;
        prev_hash := sha256(prev_hash || convert_to(r.c, 'UTF8'));
        ids[n] := r.id;
        seqs[n] := prev_seq;
        hashes[n] := prev_hash;
      end loop;
      if n > 0 then
        update audit_log a set chain_seq = v.seq, row_hash = v.hash
          from unnest(ids, seqs, hashes) as v(id, seq, hash) where a.id = v.id;
      end if;
      return n;
    end $$;

    drop trigger audit_log_no_preseal on audit_log;
    create trigger audit_log_no_preseal before insert on audit_log for each row
      when (NEW.chain_seq is not null or NEW.row_hash is not null) execute function refuse_presealed();
  `.execute(db);
}
