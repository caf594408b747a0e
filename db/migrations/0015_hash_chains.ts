import { sql, type Kysely } from "kysely";

/**
 * Tamper-evident records (issue 11, docs/decisions/0008-hash-chains.md): every audit_log and
 * ledger_entries row stores chain_seq (its place in its chain) and row_hash =
 * SHA-256(previous row's row_hash ‖ the row's canonical content). The hash is computed in the
 * database by a deferred constraint trigger, so every writer (the app, seeds, scripts, other
 * features) is covered, and the append is serialised at commit time: the chain lock is held only
 * for the moment of commit, never while a transaction still waits for other row locks (no
 * deadlocks with pool or grant locks). Existing rows are back-filled in id order.
 *
 * Also: a BEFORE TRUNCATE statement trigger on the append-only event tables that lacked one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Timestamps in the canonical content: UTC, microseconds, independent of the session's TimeZone.
    -- Stable (as to_char is), so the canonical functions inline into the verifier's query.
    create function chain_ts(t timestamptz) returns text language sql stable parallel safe
      as $$ select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;

    alter table audit_log add column chain_seq bigint, add column row_hash bytea;
    alter table ledger_entries add column chain_seq bigint, add column row_hash bytea;
    create unique index audit_log_chain_seq_idx on audit_log(chain_seq);
    create unique index ledger_entries_chain_seq_idx on ledger_entries(chain_seq);

    -- The canonical content of a row: a jsonb object of exactly these columns, as jsonb prints it
    -- (keys ordered by length then bytes, ", " and ": " separators), encoded UTF-8.
    create function audit_log_canonical(r audit_log) returns text language sql stable parallel safe as $$
      select jsonb_build_object(
        'id', r.id, 'at', chain_ts(r.at), 'actor_user_id', r.actor_user_id, 'actor_role', r.actor_role,
        'action', r.action, 'entity_type', r.entity_type, 'entity_id', r.entity_id, 'place_id', r.place_id,
        'summary', r.summary, 'request_id', r.request_id, 'ip', r.ip)::text
    $$;
    create function ledger_entry_canonical(r ledger_entries) returns text language sql stable parallel safe as $$
      select jsonb_build_object(
        'id', r.id, 'pool_id', r.pool_id, 'grant_id', r.grant_id, 'kind', r.kind, 'amount_fen', r.amount_fen,
        'actor_user_id', r.actor_user_id, 'at', chain_ts(r.at), 'reason', r.reason,
        'payment_reference', r.payment_reference, 'idempotency_key', r.idempotency_key)::text
    $$;

    -- Appends one link: the previous link is the chain's row with the highest chain_seq (an index
    -- scan). One advisory lock for both chains, re-entrant within the transaction, so two
    -- transactions sealing audit and ledger rows in opposite orders cannot deadlock. The unique
    -- index on chain_seq is the last guard: a writer that somehow read a stale end would collide
    -- and fail, never fork the chain. Genesis: 32 zero bytes.
    create function chain_append(p_chain text, p_content text, out seq bigint, out hash bytea)
      language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      prev_seq bigint;
      prev_hash bytea;
    begin
      perform pg_advisory_xact_lock(hashtext('linli.hash_chain'));
      if p_chain = 'audit_log' then
        select a.chain_seq, a.row_hash into prev_seq, prev_hash from audit_log a
          where a.chain_seq is not null order by a.chain_seq desc limit 1;
      elsif p_chain = 'ledger_entries' then
        select l.chain_seq, l.row_hash into prev_seq, prev_hash from ledger_entries l
          where l.chain_seq is not null order by l.chain_seq desc limit 1;
      else
        raise exception 'unknown hash chain %', p_chain;
      end if;
      seq := coalesce(prev_seq, 0) + 1;
      hash := sha256(coalesce(prev_hash, decode(repeat('00', 32), 'hex')) || convert_to(p_content, 'UTF8'));
    end $$;

    create function audit_log_seal() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      link record;
    begin
      select * into link from chain_append('audit_log', audit_log_canonical(NEW));
      update audit_log set chain_seq = link.seq, row_hash = link.hash where id = NEW.id;
      return null;
    end $$;

    create function ledger_entry_seal() returns trigger
      language plpgsql security definer set search_path = public, pg_temp as $$
    declare
      link record;
    begin
      select * into link from chain_append('ledger_entries', ledger_entry_canonical(NEW));
      update ledger_entries set chain_seq = link.seq, row_hash = link.hash where id = NEW.id;
      return null;
    end $$;

    -- Append-only, except the one update the seal makes: an unsealed row gets its chain_seq and
    -- row_hash, and nothing else about it changes. Anything else is refused as before.
    create function refuse_change_except_seal() returns trigger language plpgsql as $$
    begin
      if TG_OP = 'UPDATE' and OLD.row_hash is null and OLD.chain_seq is null
         and NEW.row_hash is not null and NEW.chain_seq is not null
         and (to_jsonb(NEW) - 'row_hash' - 'chain_seq') = (to_jsonb(OLD) - 'row_hash' - 'chain_seq') then
        return NEW;
      end if;
      raise exception '% 是只追加的记录，禁止 %', TG_TABLE_NAME, TG_OP
        using errcode = 'insufficient_privilege';
    end $$;

    drop trigger audit_log_append_only on audit_log;
    create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function refuse_change_except_seal();
    drop trigger ledger_entries_append_only on ledger_entries;
    create trigger ledger_entries_append_only before update or delete on ledger_entries
      for each row execute function refuse_change_except_seal();

    -- Back-fill: the rows that exist, in id order.
    do $$
    declare
      r record;
      link record;
    begin
      for r in select a.id, audit_log_canonical(a) as c from audit_log a order by a.id loop
        select * into link from chain_append('audit_log', r.c);
        update audit_log set chain_seq = link.seq, row_hash = link.hash where id = r.id;
      end loop;
      for r in select l.id, ledger_entry_canonical(l) as c from ledger_entries l order by l.id loop
        select * into link from chain_append('ledger_entries', r.c);
        update ledger_entries set chain_seq = link.seq, row_hash = link.hash where id = r.id;
      end loop;
    end $$;

    -- Sealed at commit (deferred): the chain lock is taken when the transaction has done all its
    -- other work, and the chain order is the commit order.
    create constraint trigger audit_log_seal after insert on audit_log
      deferrable initially deferred for each row execute function audit_log_seal();
    create constraint trigger ledger_entries_seal after insert on ledger_entries
      deferrable initially deferred for each row execute function ledger_entry_seal();

    -- Row triggers do not fire on TRUNCATE: the append-only tables that lacked a statement trigger.
    create or replace trigger issue_events_no_truncate before truncate on issue_events
      for each statement execute function refuse_change();
    create or replace trigger grant_events_no_truncate before truncate on grant_events
      for each statement execute function refuse_change();
  `.execute(db);
}
