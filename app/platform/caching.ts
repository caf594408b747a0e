/**
 * Cache-Control for public pages (docs/performance.md). An anonymous visitor's page of a public
 * route may be kept by their browser for a short while; never by a shared cache (each response
 * carries its own CSP nonce), and never when a session cookie is sent (the page shows the
 * person's name, their 附议, their unread notices). Everything else keeps the default: no
 * Cache-Control, so browsers revalidate.
 */
export const PUBLIC_PAGE_MAX_AGE_SECONDS = 30;

/** Route ids (Remix flat routes) whose anonymous view is the same for every visitor. */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set([
  "routes/_index",
  "routes/issues._index",
  "routes/issues.$issueId",
  "routes/calls._index",
  "routes/calls.$callId._index",
  "routes/projects._index",
  "routes/projects.$grantId",
  "routes/organisations._index",
  "routes/organisations.$id._index",
  "routes/roundtables._index",
  "routes/roundtables.$roundtableId",
  "routes/figures",
  "routes/open-data._index",
]);

export function publicCacheControl(r: { method: string; status: number; cookie: string | null; routeId: string | undefined; sessionCookieName: string }): string | null {
  if (r.method !== "GET" || r.status !== 200 || !r.routeId || !PUBLIC_ROUTES.has(r.routeId)) return null;
  const hasSession = (r.cookie ?? "").split(";").some((c) => c.trim().startsWith(`${r.sessionCookieName}=`));
  if (hasSession) return null;
  return `private, max-age=${PUBLIC_PAGE_MAX_AGE_SECONDS}`;
}
