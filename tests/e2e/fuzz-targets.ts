import { readdirSync, readFileSync } from "node:fs";
import { ROUTES, resolveUrl, type Viewer } from "./routes";

/**
 * Every route module with an `action` export is fuzzed (fuzz.spec.ts). The list is read from
 * app/routes, not written down: a new form action is fuzzed without anyone remembering. A page
 * route is fuzzed at its own address as its route-table viewer; the entries below only say where
 * and as whom when that does not fit (an action-only route, a public page whose form needs a
 * signed-in person). tests/support/fuzz-table.test.ts fails when an action route resolves to no
 * target.
 */
export interface FuzzTarget {
  /** Where the form is posted. */
  post: string | (() => Promise<string>);
  /** A page showing the form, read for field names and hidden values. */
  page: string | (() => Promise<string>);
  /** Who posts: a person who may use the form. */
  as: Viewer;
}

const OVERRIDES: Record<string, Partial<FuzzTarget> & { post?: FuzzTarget["post"] }> = {
  logout: { post: "/logout", page: "/me", as: "resident" },
  preferences: { post: "/preferences", page: "/", as: "resident" },
  "care.export": { post: "/care/export", page: "/care/targets", as: "cityOfficer" },
  // Without a half-finished sign-in (the lsw_mfa cookie) every post must be sent back to /login,
  // whatever it carries; the step itself is walked in mfa.spec.ts.
  "login_.mfa": { post: "/login/mfa", page: "/login", as: "anonymous" },
  // Public pages whose forms are for signed-in people.
  "projects.$grantId": { as: "resident" },
  "calls.$callId.publicity": { as: "resident" },
  // The page viewer (guangnan resident) can support, comment and report; staff moderate.
  "issues.$issueId": { as: "resident" },
};

const ACTION_EXPORT = /export\s+(async\s+)?(function|const|let)\s+action\b/;

export function routeSource(file: string): string {
  return readFileSync(`app/routes/${file}.tsx`, "utf8");
}

/** Route files (without .tsx) that export an action. */
export function actionRoutes(): string[] {
  return readdirSync("app/routes")
    .filter((f) => f.endsWith(".tsx") && !f.endsWith(".test.tsx"))
    .map((f) => f.replace(/\.tsx$/, ""))
    .filter((f) => ACTION_EXPORT.test(routeSource(f)))
    .sort();
}

/** The fuzz target of an action route, or undefined when none can be made (the table test fails then). */
export function fuzzTarget(file: string): FuzzTarget | undefined {
  const route = ROUTES[file];
  const over = OVERRIDES[file] ?? {};
  if (route?.kind === "page") {
    const url = route.url;
    return { post: over.post ?? url, page: over.page ?? url, as: over.as ?? route.as };
  }
  if (over.post && over.page && over.as) return { post: over.post, page: over.page, as: over.as };
  return undefined;
}

export async function resolve(u: string | (() => Promise<string>)): Promise<string> {
  return typeof u === "string" ? u : u();
}

export { resolveUrl };

/** Intents the action switches on, read from its source (`case "x":`, `intent === "x"`, hidden intent inputs). */
export function intentsOf(source: string): string[] {
  const found = new Set<string>();
  for (const re of [/case\s+"([\w.:-]+)"\s*:/g, /intent\s*===\s*"([\w.:-]+)"/g, /name="intent"\s+value="([\w.:-]+)"/g]) {
    for (const m of source.matchAll(re)) found.add(m[1]);
  }
  return [...found].sort();
}

/** Field names the action or its form uses, read from its source. */
export function fieldsOf(source: string): string[] {
  const found = new Set<string>();
  for (const re of [/name="([\w.[\]-]+)"/g, /\.get(?:All)?\("([\w.[\]-]+)"\)/g, /name=\{`([\w.-]+)\.\$\{[^}]+\}`\}/g]) {
    for (const m of source.matchAll(re)) found.add(m[1]);
  }
  found.delete("intent");
  return [...found].sort();
}
