import { describe, expect, it } from "vitest";
import { actionRoutes, fieldsOf, fuzzTarget, intentsOf, routeSource } from "../e2e/fuzz-targets";

describe("the fuzz targets (tests/e2e/fuzz-targets.ts)", () => {
  it("finds the form actions in app/routes by their `action` export", () => {
    const routes = actionRoutes();
    expect(routes).toContain("issues.$issueId");
    expect(routes).toContain("login");
    expect(routes).not.toContain("issues._index");
    expect(routes.length).toBeGreaterThanOrEqual(30);
  });

  it("has a target (address, form page, a person who may use it) for every route with an action, so each is fuzzed", () => {
    expect(actionRoutes().filter((f) => !fuzzTarget(f))).toEqual([]);
  });

  it("reads the intents and fields an action takes from its source", () => {
    const src = routeSource("issues.$issueId");
    expect(intentsOf(src)).toEqual(expect.arrayContaining(["support", "withdraw", "comment", "editComment", "deleteComment", "report", "hide", "review", "close"]));
    expect(fieldsOf(src)).toEqual(expect.arrayContaining(["body", "commentId", "parentId"]));
  });
});
