import { describe, expect, it } from "vitest";
import { getDb } from "../../platform/db.server";
import { placeTree } from "../../../tests/support/factories";
import { sql } from "kysely";
import { ALL_PLACES_UP_TO, ancestry, communityChoices, figuresPlaceChoice, PLACES_LISTED_UP_TO, createPlace, isWithin, listChildren, placeOptions, placeOptionsInScope, placeOptionsNear, streetChoices, trailAmong } from "./places.server";

describe("places", () => {
  it("stores a materialised path so a place covers exactly the places below it", async () => {
    const db = getDb();
    const t = await placeTree(db);
    expect(t.communityA1.path).toBe(`${t.city.path}${t.districtA.id}/${t.streetA.id}/${t.communityA1.id}/`);
    expect(isWithin(t.communityA1, t.districtA)).toBe(true);
    expect(isWithin(t.communityA1, t.city)).toBe(true);
    expect(isWithin(t.communityB1, t.districtA)).toBe(false);
    expect(isWithin(t.districtA, t.communityA1)).toBe(false);
  });

  it("gives the ancestry root first, for breadcrumbs", async () => {
    const db = getDb();
    const t = await placeTree(db);
    expect((await ancestry(db, t.communityA2)).map((p) => p.name)).toEqual(["测试市", "甲区", "甲街道", "甲二社区"]);
  });

  it("refuses a place at the wrong level under its parent", async () => {
    const db = getDb();
    const t = await placeTree(db);
    await expect(createPlace(db, { parentId: t.city.id, level: "community", name: "错层社区" })).rejects.toThrow(/不能直接设/);
  });

  it("lists children and orders options parents before children", async () => {
    const db = getDb();
    const t = await placeTree(db);
    expect((await listChildren(db, t.streetA.id)).map((p) => p.name).sort()).toEqual(["甲一社区", "甲二社区"]);
    const opts = await placeOptions(db, { under: t.districtA.path });
    expect(opts.map((o) => [o.name, o.depth])).toEqual([
      ["甲区", 0],
      ["甲街道", 1],
      ["甲一社区", 2],
      ["甲二社区", 2],
    ]);
  });

  it("lists every place in a public filter of a small install, and drills down in a large one", async () => {
    const db = getDb();
    const t = await placeTree(db);
    expect((await placeOptionsNear(db)).map((o) => o.name)).toContain("甲一社区");
    // Down to streets only (the public figures), except the chosen place itself.
    const streets = (await placeOptionsNear(db, undefined, "street")).map((o) => o.name);
    expect(streets).toEqual(expect.arrayContaining(["测试市", "甲街道", "乙街道"]));
    expect(streets.some((n) => n.endsWith("社区"))).toBe(false);
    const chosen = (await placeOptionsNear(db, t.communityA1, "street")).map((o) => o.name);
    expect(chosen).toContain("甲一社区");
    expect(chosen).not.toContain("甲二社区");
    // A large install: enough communities under 乙街道 to pass the threshold.
    await sql`
      insert into places (parent_id, level, name, path)
      select ${t.streetB.id}, 'community', '批量社区' || g, ${t.streetB.path} || 'bulk' || g || '/' from generate_series(1, ${ALL_PLACES_UP_TO}) g`.execute(db);
    const top = (await placeOptionsNear(db)).map((o) => o.name);
    expect(top).toEqual(expect.arrayContaining(["测试市", "甲区", "乙区"]));
    expect(top.some((n) => n.includes("社区") || n.includes("街道"))).toBe(false);
    const near = await placeOptionsNear(db, t.communityA1);
    const mine = new Set([t.city.id, t.districtA.id, t.districtB.id, t.streetA.id, t.communityA1.id, t.communityA2.id, t.streetB.id]);
    expect(near.filter((o) => mine.has(o.id)).map((o) => [o.name, o.depth])).toEqual([
      ["测试市", 0],
      ["甲区", 1],
      ["甲街道", 2],
      ["甲一社区", 3],
      ["甲二社区", 3],
      ["乙区", 1],
    ]);
    expect(near.some((o) => o.name.startsWith("批量"))).toBe(false);
    const street = await placeOptionsNear(db, t.streetB);
    expect(street.filter((o) => o.name.startsWith("批量")).length).toBeGreaterThanOrEqual(ALL_PLACES_UP_TO);
    // Down to streets: the street's neighbourhood without its 1,000 communities; a chosen community is still offered.
    const streetOnly = await placeOptionsNear(db, t.streetB, "street");
    expect(streetOnly.some((o) => o.name.startsWith("批量"))).toBe(false);
    expect(streetOnly.map((o) => o.name)).toEqual(expect.arrayContaining(["测试市", "乙区", "乙街道"]));
    const bulk = street.find((o) => o.name.startsWith("批量"))!;
    // (the bulk rows' stored paths are not ids; the path of ids is the street's plus its own)
    const atBulk = await placeOptionsNear(db, { id: bulk.id, parent_id: t.streetB.id, path: `${t.streetB.path}${bulk.id}/` }, "street");
    expect(atBulk.filter((o) => o.name.startsWith("批量")).map((o) => o.id)).toEqual([bulk.id]);
  });

  it("offers a staff form every community of a small scope, and a large scope's by 街道 or 区县 chosen first", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const names = (rows: Array<{ name: string }>) => rows.map((r) => r.name);
    const few = await communityChoices(db, [t.city.path]);
    expect(few.drill).toBeNull();
    expect(names(few.communities)).toEqual(["甲一社区", "甲二社区", "乙一社区"]);
    await sql`
      insert into places (parent_id, level, name, path)
      select ${t.streetB.id}, 'community', '大街道社区' || g, ${t.streetB.path} || 'big' || g || '/' from generate_series(1, ${PLACES_LISTED_UP_TO}) g`.execute(db);
    const many = await communityChoices(db, [t.city.path]);
    expect(many.communities).toEqual([]);
    expect(names(many.drill!)).toEqual(["测试市", "甲区", "乙区"]);
    const atStreet = await communityChoices(db, [t.city.path], t.streetA);
    expect(names(atStreet.communities)).toEqual(["甲一社区", "甲二社区"]);
    expect(names(atStreet.drill!)).toEqual(["测试市", "甲区", "甲街道"]);
    // A street lists all its communities (here 301); a district with more than PLACES_LISTED_UP_TO asks for a street.
    expect((await communityChoices(db, [t.city.path], t.streetB)).communities).toHaveLength(PLACES_LISTED_UP_TO + 1);
    expect((await communityChoices(db, [t.city.path], t.districtB)).communities).toEqual([]);
    expect(names((await communityChoices(db, [t.city.path], t.districtA)).communities)).toEqual(["甲一社区", "甲二社区"]);
    // A place outside the scopes is not a way in: the street of another scope lists nothing.
    const otherScope = await communityChoices(db, [t.districtB.path], t.streetA);
    expect(otherScope.communities).toEqual([]);
    expect(names(otherScope.drill!)).not.toContain("甲街道");
    // A street-level scope with few communities lists them all.
    expect(names((await communityChoices(db, [t.streetA.path])).communities)).toEqual(["甲一社区", "甲二社区"]);
  });

  it("offers a report form every street of a small scope, and a large scope's streets by 区县 chosen first", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const names = (r: { options: Array<{ name: string; depth: number }> }) => r.options.map((o) => `${"-".repeat(o.depth)}${o.name}`);
    const few = await streetChoices(db, [t.city.path]);
    expect(few.drill).toBe(false);
    expect(names(few)).toEqual(["测试市", "-甲区", "--甲街道", "-乙区", "--乙街道"]);
    await sql`
      insert into places (parent_id, level, name, path)
      select ${t.districtB.id}, 'street', '乙区街道' || lpad(g::text, 3, '0'), ${t.districtB.path} || 'bulk' || g || '/' from generate_series(1, ${PLACES_LISTED_UP_TO}) g`.execute(db);
    // 302 streets: the 区县 and above only, until one is chosen.
    const many = await streetChoices(db, [t.city.path]);
    expect(many.drill).toBe(true);
    expect(names(many)).toEqual(["测试市", "-甲区", "-乙区"]);
    expect(names(await streetChoices(db, [t.city.path], t.districtA))).toEqual(["测试市", "-甲区", "--甲街道", "-乙区"]);
    // A chosen street brings its 区县's streets, so the select can show it.
    expect(names(await streetChoices(db, [t.city.path], t.streetA))).toEqual(["测试市", "-甲区", "--甲街道", "-乙区"]);
    const atB = await streetChoices(db, [t.city.path], t.districtB);
    expect(atB.options).toHaveLength(3 + PLACES_LISTED_UP_TO + 1);
    // A place outside the scopes is not a way in; a small scope inside a large install lists all of its streets.
    expect(names(await streetChoices(db, [t.districtB.path], t.streetA))).toEqual(["乙区"]);
    expect(names(await streetChoices(db, [t.districtA.path], t.districtB))).toEqual(["甲区", "-甲街道"]);
    expect(await streetChoices(db, [])).toEqual({ options: [], drill: false });
    // A street scope held beside a large one stays on offer, though its 区县 is not in the scopes.
    expect(names(await streetChoices(db, [t.districtB.path, t.streetA.path]))).toEqual(["乙区", "甲街道"]);
  });

  it("gives a public figures page the place asked for, says when there is none, and lists down to streets", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const asked = await figuresPlaceChoice(db, t.streetA.id);
    expect(asked).toMatchObject({ placeId: t.streetA.id, unknown: false });
    expect(asked.options.some((o) => o.id === t.streetA.id)).toBe(true);
    expect(asked.options.some((o) => o.level === "community")).toBe(false);
    expect(await figuresPlaceChoice(db, 2_000_000_000)).toEqual({ placeId: undefined, unknown: true, options: [] });
    // Nothing asked: the first city.
    const byDefault = await figuresPlaceChoice(db, undefined);
    expect(byDefault.unknown).toBe(false);
    expect(byDefault.options.find((o) => o.id === byDefault.placeId)?.level).toBe("city");
  });

  it("offers a scoped person's roots and the chosen place's neighbourhood, never beyond their scopes", async () => {
    const db = getDb();
    const t = await placeTree(db);
    const names = async (scopes: string[], at: typeof t.city) => (await placeOptionsInScope(db, scopes, at)).map((o) => [o.name, o.depth]);
    // A city officer at the city: the city and its districts, not every street.
    expect(await names([t.city.path], t.city)).toEqual([
      ["测试市", 0],
      ["甲区", 1],
      ["乙区", 1],
    ]);
    // At 甲区: its ancestors, its sibling district and its streets; communities are below the dashboard's level.
    expect(await names([t.city.path], t.districtA)).toEqual([
      ["测试市", 0],
      ["甲区", 1],
      ["甲街道", 2],
      ["乙区", 1],
    ]);
    // A district officer never sees the city or the other district, even from a street.
    expect(await names([t.districtA.path], t.streetA)).toEqual([
      ["甲区", 0],
      ["甲街道", 1],
    ]);
    // The breadcrumb trail comes from the same rows: root first, nothing above the scope.
    expect(trailAmong(await placeOptionsInScope(db, [t.districtA.path], t.streetA), t.streetA).map((p) => p.name)).toEqual(["甲区", "甲街道"]);
    expect(trailAmong(await placeOptionsInScope(db, [t.city.path], t.communityA1), t.communityA1).map((p) => p.name)).toEqual(["测试市", "甲区", "甲街道", "甲一社区"]);
    // Two scopes: both roots stay on offer wherever one stands.
    expect(await names([t.streetA.path, t.streetB.path], t.streetA)).toEqual([
      ["甲街道", 0],
      ["乙街道", 0],
    ]);
    expect((await placeOptionsInScope(db, [t.streetA.path], t.streetA, "community")).map((o) => o.name)).toEqual(["甲街道", "甲一社区", "甲二社区"]);
    // A community reached by a drill-down link is offered too (else the select would show another place); communities around it are not.
    expect(await names([t.city.path], t.communityA1)).toEqual([
      ["测试市", 0],
      ["甲区", 1],
      ["甲街道", 2],
      ["甲一社区", 3],
    ]);
  });
});
