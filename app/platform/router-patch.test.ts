import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type * as Router from "@remix-run/router";
import { describe, expect, it } from "vitest";

// The server requires the CommonJS build (the patched one); an import here would get the ES build.
const require = createRequire(import.meta.url);
const { createMemoryHistory, createRouter, matchPath, matchRoutes } = require("@remix-run/router") as typeof Router;
type AgnosticRouteObject = Router.AgnosticRouteObject;
type ManifestRoute = { id: string; parentId?: string; path?: string; index?: boolean; caseSensitive?: boolean };
type ReadConfig = (root: string, mode: string) => Promise<{ routes: Record<string, ManifestRoute> }>;

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
    expect(source).toContain("firstLiteralSegment");
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

  it("skips only branches that could not match: every answer equals the unpatched router's, for the app's routes and odd ones", async () => {
    // The ES build is the untouched original (only the CommonJS build is patched).
    const original = (await import(pathToFileURL(path.join(path.dirname(require.resolve("@remix-run/router")), "router.js")).href)) as typeof Router;
    expect(readFileSync(path.join(path.dirname(require.resolve("@remix-run/router")), "router.js"), "utf8")).not.toContain("firstLiteralSegment");
    // The app's own route tree, as Remix reads it from app/routes.
    const { readConfig } = (await import("@remix-run/dev/dist/config.js")) as unknown as { readConfig: ReadConfig };
    const manifest = Object.values((await readConfig(process.cwd(), "production")).routes);
    const tree = (parentId: string | undefined): AgnosticRouteObject[] =>
      manifest
        .filter((r) => r.parentId === parentId)
        .map((r) => (r.index ? { id: r.id, path: r.path, index: true, caseSensitive: r.caseSensitive } : { id: r.id, path: r.path, caseSensitive: r.caseSensitive, children: tree(r.id) }));
    const appRoutes = tree(undefined);
    expect(manifest.length).toBeGreaterThan(50);
    const oddRoutes: AgnosticRouteObject[] = [
      {
        id: "root",
        path: "",
        children: [
          { id: "home", index: true },
          { id: "Calls", path: "Calls", caseSensitive: true },
          { id: "calls", path: "calls/:id" },
          { id: "lang", path: ":lang/about" },
          { id: "optional", path: "en?/help" },
          { id: "layout", children: [{ id: "inLayout", path: "figures/:place?" }] },
          { id: "dotted", path: "sitemap.xml" },
          { id: "nested", path: "org", children: [{ id: "orgIndex", index: true }, { id: "orgMember", path: "members/:m" }] },
          { id: "absolute", path: "/abs/:x" },
          { id: "outer", path: "outer", children: [{ id: "absoluteChild", path: "/outer/inner/:x" }] },
          { id: "sensitiveLayout", caseSensitive: true, children: [{ id: "zeta", path: "Zeta" }] },
          { id: "splat", path: "*" },
        ],
      },
    ];
    const fill = (p: string) => `/${p.replace(/:[\w]+\??/g, "42").replace(/\*$/, "a/b")}`;
    const paths = [
      "/", "", "//issues", "/issues/", "/ISSUES/7", "/Issues/7/Edit", "/calls/1", "/Calls", "/CALLS", "/calls", "/zh/about", "/en/help", "/help",
      "/figures", "/figures/3", "/sitemap.xml", "/SITEMAP.XML", "/org", "/org/", "/org/members/9", "/abs/1", "/nowhere/at/all",
      "/ıssues/7", "/ſitemap.xml", "/社区/1", "/issues/%E7%A4%BE", "/bureau/reports/5.xlsx", "/outer/inner/3", "/OUTER/inner/3", "/Zeta", "/zeta",
      ...manifest.flatMap((r) => (r.path ? [fill(r.path), fill(r.path).toUpperCase(), `${fill(r.path)}/extra`] : [])),
    ];
    const answer = (m: ReturnType<typeof matchRoutes>) => m?.map((x) => [x.route.id, x.params, x.pathname, x.pathnameBase]) ?? null;
    let compared = 0;
    for (const routes of [appRoutes, oddRoutes]) {
      for (const p of paths) {
        expect(answer(matchRoutes(routes, p)), p).toEqual(answer(original.matchRoutes(routes, p)));
        // Under a basename the filter looks at what is left of the path once the basename is taken off.
        expect(answer(matchRoutes(routes, `/Base${p}`, "/base")), `/Base${p}`).toEqual(answer(original.matchRoutes(routes, `/Base${p}`, "/base")));
        compared += 2;
      }
    }
    expect(compared).toBeGreaterThan(400);
    // Sanity checks of the comparison itself: known answers, a case-sensitive literal not folded.
    expect(matchRoutes(appRoutes, "/issues/42")?.at(-1)?.route.id).toBe("routes/issues.$issueId");
    expect(matchRoutes(oddRoutes, "/calls")?.at(-1)?.route.id).toBe("splat");
  });
});
