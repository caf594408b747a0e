import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUDGET_BYTES, measure, staticImports } from "../../scripts/home-js-size.js";

function fakeBuild(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "home-js-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const manifest = {
  entry: { module: "/build/entry.client-A.js", imports: ["/build/_shared/chunk-R.js"] },
  routes: {
    root: { module: "/build/root-B.js", imports: [] },
    "routes/_index": { module: "/build/routes/_index-C.js" },
    "routes/calls._index": { module: "/build/routes/calls-D.js" },
  },
};

describe("home page JavaScript budget", () => {
  it("reads static imports but not lazy import()", () => {
    const src = 'import{a as b}from"/build/_shared/chunk-X.js";import"/build/_shared/chunk-Y.js";const c=()=>import("/build/_shared/chunk-Z.js");';
    expect(staticImports(src)).toEqual(["/build/_shared/chunk-X.js", "/build/_shared/chunk-Y.js"]);
  });

  it("counts the entry, root and home route with the chunks they import, once each, and not other routes", () => {
    const dir = fakeBuild({
      "build/manifest-M.js": `window.__remixManifest=${JSON.stringify(manifest)};`,
      "build/entry.client-A.js": 'import"/build/_shared/chunk-R.js";',
      "build/_shared/chunk-R.js": "var react=1;",
      "build/root-B.js": 'import"/build/_shared/chunk-R.js";import"/build/_shared/chunk-S.js";',
      "build/_shared/chunk-S.js": "var mantine=1;",
      "build/routes/_index-C.js": 'import"/build/_shared/chunk-S.js";',
      "build/routes/calls-D.js": "x".repeat(1000),
    });
    try {
      const urls = measure(dir).files.map((f) => f.url).sort();
      expect(urls).toEqual(["/build/_shared/chunk-R.js", "/build/_shared/chunk-S.js", "/build/entry.client-A.js", "/build/manifest-M.js", "/build/root-B.js", "/build/routes/_index-C.js"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports a heavy chunk imported by the home route above the budget", () => {
    // Random text barely compresses, so 300 KB of it stays above 250 KB after gzip.
    let seed = 1;
    const noise = Array.from({ length: 300 * 1024 }, () => String.fromCharCode(33 + ((seed = (seed * 16807) % 2147483647) % 90))).join("");
    const dir = fakeBuild({
      "build/manifest-M.js": `window.__remixManifest=${JSON.stringify(manifest)};`,
      "build/entry.client-A.js": "",
      "build/_shared/chunk-R.js": "",
      "build/root-B.js": "",
      "build/routes/_index-C.js": 'import"/build/_shared/chunk-heavy.js";',
      "build/_shared/chunk-heavy.js": `var s=${JSON.stringify(noise)};`,
    });
    try {
      expect(measure(dir).gzip).toBeGreaterThan(BUDGET_BYTES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
