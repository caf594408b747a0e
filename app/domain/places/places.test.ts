import { describe, expect, it } from "vitest";
import { getDb } from "../../platform/db.server";
import { placeTree } from "../../../tests/support/factories";
import { ancestry, createPlace, isWithin, listChildren, placeOptions } from "./places.server";

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
});
