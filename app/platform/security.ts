/** HTTP-level protections applied by the HTTP layer (http-server.server.ts) to every request, kept pure so they can be tested. */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface RequestFacts {
  method: string;
  origin?: string | null;
  secFetchSite?: string | null;
  /** Origins this deployment answers on, e.g. "https://linli.example.gov.cn". */
  allowedOrigins: readonly string[];
}

/**
 * A state-changing request from another site (CSRF). Browsers send Origin (or at least
 * Sec-Fetch-Site) on every POST, so those decide; a request with neither comes from a non-browser
 * client, which carries no victim's cookies by accident.
 */
export function isCrossSiteWrite(r: RequestFacts): boolean {
  if (SAFE_METHODS.has(r.method.toUpperCase())) return false;
  if (r.origin && r.origin !== "null") return !r.allowedOrigins.includes(r.origin);
  if (r.origin === "null") return true;
  if (r.secFetchSite) return !["same-origin", "none"].includes(r.secFetchSite);
  return false;
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Mantine sets style attributes and injects its CSS variables; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(nonce: string, production: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Security-Policy": contentSecurityPolicy(nonce),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  };
  if (production) headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  return headers;
}
