import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createUser, placeTree, routeContext, sessionCookie } from "../../tests/support/factories";
import { ALL_PLACES_UP_TO } from "../domain/places/places.server";
import { makeUscc } from "../lib/uscc";
import { getDb } from "../platform/db.server";
import { loader } from "./admin.roles";

// At province scale the role form cannot list every place (21,000) or organisation (30,000): it
// lists a neighbourhood of places and the first organisations, and narrows both on request.

const context = () => routeContext("admin-roles-test");

async function adminCookie(): Promise<string> {
  const db = getDb();
  const admin = await createUser(db, { roles: [{ role: "admin" }] });
  // Staff sign in with a second factor; this one has enrolled.
  return sessionCookie(db, admin.id, { mfa: true });
}

type Page = { places: Array<{ value: string; label: string }>; manyPlaces: boolean; organisations: { options: Array<{ label: string }>; more: boolean; hint?: string } };
async function page(cookie: string, query: string): Promise<Page> {
  const request = new Request(`http://localhost/admin/roles?${query}`, { headers: { cookie } });
  return (await loader({ request, context: context(), params: {} })) as Page;
}

describe("the role administration page at scale", () => {
  it("lists a neighbourhood of places and the first organisations, and narrows both", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const cookie = await adminCookie();
    // A small install: every place, including the communities.
    const small = await page(cookie, "");
    expect(small.manyPlaces).toBe(false);
    expect(small.places.some((p) => p.label.includes("甲一社区"))).toBe(true);

    await sql`
      insert into places (parent_id, level, name, path)
      select ${t.streetB.id}, 'community', '批量社区' || g, ${t.streetB.path} || 'bulk' || g || '/' from generate_series(1, ${ALL_PLACES_UP_TO}) g`.execute(db);
    await db
      .insertInto("organisations")
      .values(Array.from({ length: 60 }, (_, i) => ({ name: `批量组织${String(i).padStart(2, "0")}`, uscc: makeUscc(`52360100MJ${String(100000 + i)}`), place_id: t.districtA.id })))
      .execute();
    const large = await page(cookie, "");
    expect(large.manyPlaces).toBe(true);
    expect(large.places.length).toBeLessThan(50);
    expect(large.places.some((p) => p.label.includes("社区"))).toBe(false);
    // Drilling down to 甲街道 lists its communities.
    const atStreet = await page(cookie, `at=${t.streetA.id}`);
    expect(atStreet.places.map((p) => p.label.trim())).toEqual(expect.arrayContaining(["甲一社区（社区/村）", "甲二社区（社区/村）"]));
    expect(atStreet.places.some((p) => p.label.includes("批量"))).toBe(false);
    // Organisations: the first 50, and more by name.
    expect(large.organisations.options).toHaveLength(50);
    expect(large.organisations.more).toBe(true);
    const found = await page(cookie, `org=${encodeURIComponent("批量组织59")}`);
    expect(found.organisations.options.map((o) => o.label)).toEqual(["批量组织59（甲区）"]);
    expect(found.organisations.more).toBe(false);
    expect((await page(cookie, `org=${encodeURIComponent("没有这个组织")}`)).organisations.hint).toBe("没有找到该名称的组织");
  });
});
