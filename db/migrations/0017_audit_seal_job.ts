import { sql, type Kysely } from "kysely";

/**
 * The audit log is sealed into its hash chain in batches, by each app server every few seconds, no
 * longer by a trigger at each commit (docs/decisions/0011-audit-sealed-by-job.md). The per-commit
 * seal held the one chain lock through the commit's WAL flush, so every audited transaction of
 * every app server waited in one line: about 300 writes a second at most, whatever the hardware.
 * The ledger keeps its seal at commit (few rows, and each is money).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger audit_log_seal on audit_log;
    drop function audit_log_seal();

    -- A row may not arrive with chain values of its own: only the seal gives them. (The seal
    -- trigger refused this before, when its update met a row that was already sealed.)
    create function refuse_presealed() returns trigger language plpgsql as $$
    begin
      if NEW.chain_seq is not null or NEW.row_hash is not null then
        raise exception '% 是只追加的记录，链值只能由封存写入', TG_TABLE_NAME using errcode = 'insufficient_privilege';
      end if;
      return NEW;
    end $$;
    create trigger audit_log_no_preseal before insert on audit_log for each row execute function refuse_presealed();

    -- The sealers' work list: small, because rows leave it within seconds.
    create index audit_log_unsealed_idx on audit_log (id) where chain_seq is null;

    -- Seals up to max_rows unsealed rows in id order and returns how many. The chain lock is taken
    -- first, so the rows read after it include every seal committed before (READ COMMITTED takes a
    -- new snapshot per statement) and two sealers at once take turns instead of forking the chain.
    -- Rows of transactions still running are not visible yet; a later run seals them, so the
    -- chain order is the order of sealing, not the id order.
    create function seal_audit_log(max_rows integer) returns integer
      language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      r record;
      link record;
      n integer := 0;
    begin
      perform pg_advisory_xact_lock(hashtext('linli.hash_chain'));
      for r in select a.id, audit_log_canonical(a) as c from audit_log a where a.chain_seq is null order by a.id limit max_rows loop
        select * into link from chain_append('audit_log', r.c);
        update audit_log set chain_seq = link.seq, row_hash = link.hash where id = r.id;
        n := n + 1;
      end loop;
      return n;
    end $$;
  `.execute(db);
}
