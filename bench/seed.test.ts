import pg from "pg";
import { describe, expect, it } from "vitest";
import { validateIdCard } from "../app/lib/idcard";
import { validateUscc } from "../app/lib/uscc";
import { decryptField } from "../app/platform/crypto.server";
import { verifyPassword } from "../app/platform/password.server";
import { BENCH_PASSWORD, residentPhone, seedBench, volumesFor } from "./seed";

// npm run bench:seed -- --scale tiny, on this file's fresh migrated database: the volumes asked
// for, and the invariants the bulk load must keep although it bypasses triggers for speed.
describe("bench:seed --scale tiny", () => {
  it("writes the volumes asked for and keeps every foreign key, counter and check digit", { timeout: 120_000 }, async () => {
    const url = process.env.DATABASE_URL!;
    const report = await seedBench(url, "tiny");
    const v = volumesFor("tiny");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const one = async <T>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows[0] as T;
    try {
      const levels = (await client.query<{ level: string; n: number }>("select level, count(*)::int as n from places group by level")).rows;
      expect(Object.fromEntries(levels.map((r) => [r.level, r.n]))).toEqual({ province: 1, city: v.cities, district: v.districts, street: v.streets, community: v.communities });
      const counts = await one<Record<string, number>>(`
        select (select count(*)::int from role_assignments where role = 'resident') as residents,
               (select count(*)::int from resident_verifications where status = 'approved') as verified,
               (select count(*)::int from issues) as issues,
               (select count(*)::int from roundtables) as roundtables,
               (select count(*)::int from organisations) as organisations,
               (select count(*)::int from calls) as calls,
               (select count(*)::int from bids) as bids,
               (select count(*)::int from grants) as grants,
               (select count(*)::int from care_targets) as care,
               (select count(*)::int from care_services) as services,
               (select count(*)::int from ledger_entries) as ledger,
               (select count(*)::int from issue_supports) as supports,
               (select count(*)::int from issue_comments) as comments`);
      expect(counts).toMatchObject({
        residents: v.residents,
        verified: v.residents,
        issues: v.issues,
        roundtables: v.roundtables,
        organisations: v.organisations,
        calls: v.calls,
        bids: v.bids,
        grants: v.grants,
        care: v.careTargets,
        services: v.serviceLogs,
      });
      // Heavy-tailed per issue, so the totals are near the targets rather than equal to them.
      expect(counts.ledger).toBeGreaterThan(v.ledger * 0.8);
      expect(counts.supports).toBeGreaterThan(v.supports * 0.3);
      expect(counts.comments).toBeGreaterThan(v.comments * 0.3);

      // The counters the triggers keep equal the rows, for every issue.
      const wrong = await one<{ n: number }>(`
        select count(*)::int as n from issues i
        where support_count <> (select count(*) from issue_supports s where s.issue_id = i.id)
           or comment_count <> (select count(*) from issue_comments c where c.issue_id = i.id and c.deleted_at is null)`);
      expect(wrong.n).toBe(0);
      expect((await one<{ n: number }>("select count(*)::int as n from issues where support_count > 0")).n).toBeGreaterThan(0);

      // Every foreign key of the schema holds (the bulk load ran with the checks off).
      const fks = (
        await client.query<{ name: string; child: string; parent: string; cols: string[]; refs: string[] }>(`
          select c.conname as name, c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
                 array(select a.attname::text from unnest(c.conkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.o) as cols,
                 array(select a.attname::text from unnest(c.confkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.o) as refs
          from pg_constraint c where c.contype = 'f'`)
      ).rows;
      expect(fks.length).toBeGreaterThan(50);
      const broken: string[] = [];
      for (const fk of fks) {
        const notNull = fk.cols.map((c) => `x.${c} is not null`).join(" and ");
        const match = fk.cols.map((c, i) => `p.${fk.refs[i]} = x.${c}`).join(" and ");
        const r = await one<{ n: number }>(`select count(*)::int as n from ${fk.child} x where ${notNull} and not exists (select 1 from ${fk.parent} p where ${match})`);
        if (r.n > 0) broken.push(`${fk.name}: ${r.n}`);
      }
      expect(broken).toEqual([]);

      // Residents are verified in the community their issues are in; supporters are residents.
      const strayAuthors = await one<{ n: number }>(`
        select count(*)::int as n from issues i
        where not exists (select 1 from role_assignments r where r.user_id = i.author_id and r.role = 'resident' and r.place_id = i.place_id)`);
      expect(strayAuthors.n).toBe(0);

      // Check characters: every 统一社会信用代码 and every (decrypted) ID number is valid.
      const usccs = (await client.query<{ uscc: string }>("select uscc from organisations")).rows;
      expect(usccs.filter((o) => !validateUscc(o.uscc).ok)).toEqual([]);
      const targets = (await client.query<{ id_number_enc: string }>("select id_number_enc from care_targets")).rows;
      expect(targets.filter((t) => !validateIdCard(decryptField(t.id_number_enc)).ok)).toEqual([]);

      // One shared password hash, and it is the documented bench password.
      const hashes = await one<{ n: number; hash: string }>("select count(distinct password_hash)::int as n, min(password_hash) as hash from users");
      expect(hashes.n).toBe(1);
      expect(await verifyPassword(hashes.hash, BENCH_PASSWORD)).toBe(true);
      expect((await one<{ n: number }>("select count(*)::int as n from users where phone = $1", [residentPhone(1)])).n).toBe(1);
      expect(Object.keys(report.seconds)).toContain("supports");
    } finally {
      await client.end();
    }
  });

  it("refuses a database that already has data", { timeout: 60_000 }, async () => {
    const url = process.env.DATABASE_URL!;
    // The database of this file already holds the first test's rows, or gets them now.
    await seedBench(url, "tiny").catch(() => undefined);
    await expect(seedBench(url, "tiny")).rejects.toThrow(/不是空的/);
  });
});
