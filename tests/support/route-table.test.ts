import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ROUTES } from "../e2e/routes";

describe("the route table (tests/e2e/routes.ts)", () => {
  it("lists every route module, so each page is access- and accessibility-checked", () => {
    const files = readdirSync("app/routes")
      .filter((f) => f.endsWith(".tsx") && !f.endsWith(".test.tsx"))
      .map((f) => f.replace(/\.tsx$/, ""))
      .sort();
    expect(files.filter((f) => !(f in ROUTES))).toEqual([]);
    expect(Object.keys(ROUTES).filter((k) => !files.includes(k))).toEqual([]);
  });

  it("gives every page with an id in its address a refusal check for another scope, unless it is public", () => {
    const idPagesWithoutCheck = Object.entries(ROUTES)
      .filter(([file, r]) => r.kind === "page" && file.includes("$") && r.needsLogin && !(r.denied?.length))
      .map(([file]) => file);
    expect(idPagesWithoutCheck).toEqual([]);
  });
});
