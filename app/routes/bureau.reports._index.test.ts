import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createUser, placeTree, routeContext, sessionCookie } from "../../tests/support/factories";
import { PLACES_LISTED_UP_TO, type PlaceSummary } from "../domain/places/places.server";
import { getDb } from "../platform/db.server";
import { loader } from "./bureau.reports._index";

// A province officer's scope holds 1,632 streets: the report form lists them for one 区县 at a time.

const context = () => routeContext("reports-test");

async function officerCookie(place: PlaceSummary): Promise<string> {
  const db = getDb();
  const officer = await createUser(db, { roles: [{ role: "officer", place }] });
  return sessionCookie(db, officer.id, { mfa: true });
}

type Page = { places: Array<{ value: string; label: string }>; drill: boolean; defaults: { placeId: string; from: string; to: string } };
async function page(cookie: string, query = ""): Promise<Page> {
  const request = new Request(`http://localhost/bureau/reports?${query}`, { headers: { cookie } });
  return (await loader({ request, context: context(), params: {} })) as Page;
}

describe("the 总结报告 form's place select at scale", () => {
  it("lists every street of a small scope, and a large scope's streets once their 区县 is chosen", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const cookie = await officerCookie(t.city);
    const labels = (p: Page) => p.places.map((o) => o.label.trim());
    const small = await page(cookie);
    expect(small.drill).toBe(false);
    expect(labels(small)).toContain("甲街道（街道/乡镇）");

    await sql`
      insert into places (parent_id, level, name, path)
      select ${t.districtB.id}, 'street', '批量街道' || g, ${t.districtB.path} || 'bulk' || g || '/' from generate_series(1, ${PLACES_LISTED_UP_TO}) g`.execute(db);
    const large = await page(cookie);
    expect(large.drill).toBe(true);
    expect(labels(large)).toEqual(["测试市（市）", "甲区（区/县）", "乙区（区/县）"]);
    // Choosing 甲区 lists its street and keeps it chosen, with the period asked for.
    const atA = await page(cookie, `place=${t.districtA.id}&from=2026-01-01&to=2026-06-30`);
    expect(labels(atA)).toEqual(["测试市（市）", "甲区（区/县）", "甲街道（街道/乡镇）", "乙区（区/县）"]);
    expect(atA.defaults).toEqual({ placeId: String(t.districtA.id), from: "2026-01-01", to: "2026-06-30" });
    expect(labels(await page(cookie, `place=${t.districtB.id}`)).filter((l) => l.startsWith("批量街道"))).toHaveLength(PLACES_LISTED_UP_TO);
    // Another city's 区县 in the address lists nothing of it.
    const other = await placeTree(db);
    expect(labels(await page(cookie, `place=${other.districtA.id}`))).toEqual(labels(large));
  });
});
