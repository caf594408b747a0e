import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as Router from "@remix-run/router";
import { describe, expect, it } from "vitest";

// The server requires the CommonJS build (the patched one); an import here would get the ES build.
const require = createRequire(import.meta.url);
const { createMemoryHistory, createRouter, matchPath, matchRoutes } = require("@remix-run/router") as typeof Router;
type AgnosticRouteObject = Router.AgnosticRouteObject;

/**
 * patches/@remix-run+router+*.patch (ADR 0010) keeps the ranked route branches and compiled paths
 * between requests. These prove the patch is applied by `npm ci` and that caching changes no answer.
 */
describe("the router's match cache (patch-package)", () => {
  it("is applied to the CommonJS build the server loads", () => {
    const file = require.resolve("@remix-run/router");
    expect(file).toMatch(/router\.cjs\.js$/);
    const source = readFileSync(file, "utf8");
    expect(source).toContain("rankedBranchesCache");
    expect(source).toContain("compiledPaths");
  });

  it("matches the same routes the same way on every call", () => {
    const routes: AgnosticRouteObject[] = [
      { id: "root", path: "/", children: [{ id: "issues", path: "issues" }, { id: "issue", path: "issues/:issueId" }, { id: "splat", path: "*" }] },
    ];
    for (let i = 0; i < 3; i++) {
      expect(matchRoutes(routes, "/issues/42")?.map((m) => [m.route.id, m.params.issueId])).toEqual([
        ["root", "42"],
        ["issue", "42"],
      ]);
      expect(matchRoutes(routes, "/issues")?.at(-1)?.route.id).toBe("issues");
      expect(matchRoutes(routes, "/other/page")?.at(-1)?.params["*"]).toBe("other/page");
    }
  });

  it("sees routes added later (lazy route discovery patches children in place)", async () => {
    const router = createRouter({
      routes: [{ id: "root", path: "/", children: [{ id: "a", path: "a" }] }],
      history: createMemoryHistory(),
      patchRoutesOnNavigation: ({ path, patch }) => {
        if (path === "/b") patch("root", [{ id: "b", path: "b" }]);
      },
    }).initialize();
    expect(matchRoutes(router.routes, "/b")).toBeNull();
    await router.navigate("/b");
    expect(router.state.errors).toBeNull();
    expect(router.state.matches.at(-1)?.route.id).toBe("b");
    expect(matchRoutes(router.routes, "/b")?.at(-1)?.route.id).toBe("b");
    router.dispose();
  });

  it("keeps case sensitivity and end matching apart for the same path", () => {
    expect(matchPath({ path: "/Calls", caseSensitive: true, end: true }, "/calls")).toBeNull();
    expect(matchPath({ path: "/Calls", caseSensitive: false, end: true }, "/calls")?.pathname).toBe("/calls");
    expect(matchPath({ path: "/calls", end: false }, "/calls/7")?.pathnameBase).toBe("/calls");
    expect(matchPath({ path: "/calls", end: true }, "/calls/7")).toBeNull();
  });
});
