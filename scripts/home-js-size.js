// The JavaScript a phone downloads for the home page, gzip-compressed: the client entry, the root
// route and the _index route with every chunk they import (followed through the files themselves,
// so an import the manifest leaves out still counts), plus the manifest script. Fails above the
// budget of issue 10 (250 KB gzip) and prints the figure either way. Run after `remix build`.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

export const BUDGET_BYTES = 250 * 1024;
const PUBLIC_DIR = process.env.PUBLIC_DIR ?? "public";

/** The modules a page needs, from the manifest's entry and route ids. */
export function homeModules(manifest) {
  const routes = ["root", "routes/_index"].map((id) => {
    const r = manifest.routes[id];
    if (!r) throw new Error(`路由 ${id} 不在构建清单中`);
    return r;
  });
  return [manifest.entry, ...routes].flatMap((m) => [m.module, ...(m.imports ?? [])]);
}

/** Static imports inside a built module ("/build/_shared/chunk-X.js"), not dynamic import(). */
export function staticImports(source) {
  return [...source.matchAll(/(?:^|[;}\s])import\s*(?:[^"'();]*?from\s*)?["']([^"']+\.js)["']/g)].map((m) => m[1]);
}

export function measure(publicDir = PUBLIC_DIR) {
  const buildDir = join(publicDir, "build");
  const manifestFile = readdirSync(buildDir).find((f) => /^manifest-.*\.js$/.test(f));
  if (!manifestFile) throw new Error(`${buildDir} 中没有构建清单：请先运行 remix build`);
  const manifestSource = readFileSync(join(buildDir, manifestFile), "utf8");
  const manifest = JSON.parse(manifestSource.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, ""));
  const seen = new Map();
  const queue = homeModules(manifest);
  while (queue.length) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    const source = readFileSync(join(publicDir, url), "utf8");
    seen.set(url, { raw: Buffer.byteLength(source), gzip: gzipSync(source, { level: 9 }).length });
    queue.push(...staticImports(source).filter((u) => u.startsWith("/build/")));
  }
  seen.set(`/build/${manifestFile}`, { raw: Buffer.byteLength(manifestSource), gzip: gzipSync(manifestSource, { level: 9 }).length });
  const files = [...seen].map(([url, s]) => ({ url, ...s })).sort((a, b) => b.gzip - a.gzip);
  return { files, raw: files.reduce((n, f) => n + f.raw, 0), gzip: files.reduce((n, f) => n + f.gzip, 0) };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

if (import.meta.url === `file://${process.argv[1]}`) {
  const { files, raw, gzip } = measure();
  for (const f of files.slice(0, 8)) console.log(`  ${kb(f.gzip).padStart(9)}  ${f.url}`);
  console.log(`首页 JavaScript：${files.length} 个文件，${kb(raw)}，gzip 后 ${kb(gzip)}（上限 ${kb(BUDGET_BYTES)}）`);
  if (gzip > BUDGET_BYTES) {
    console.error(`首页 JavaScript 超出上限 ${kb(gzip - BUDGET_BYTES)}：把较重的组件（如图表）拆到用到它们的路由`);
    process.exit(1);
  }
}
