import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isCrossSiteWrite, securityHeaders } from "./security";

const allowed = ["http://localhost:3000"];

describe("CSRF: cross-site writes are recognised", () => {
  it("refuses a POST whose Origin is another site, or an opaque origin", () => {
    expect(isCrossSiteWrite({ method: "POST", origin: "https://evil.example", allowedOrigins: allowed })).toBe(true);
    expect(isCrossSiteWrite({ method: "POST", origin: "null", allowedOrigins: allowed })).toBe(true);
    expect(isCrossSiteWrite({ method: "DELETE", origin: "http://localhost:3001", allowedOrigins: allowed })).toBe(true);
  });

  it("refuses a POST a browser marks as cross-site even without Origin", () => {
    expect(isCrossSiteWrite({ method: "POST", secFetchSite: "cross-site", allowedOrigins: allowed })).toBe(true);
    expect(isCrossSiteWrite({ method: "POST", secFetchSite: "same-site", allowedOrigins: allowed })).toBe(true);
  });

  it("allows same-origin writes, reads from anywhere, and non-browser clients", () => {
    expect(isCrossSiteWrite({ method: "POST", origin: "http://localhost:3000", allowedOrigins: allowed })).toBe(false);
    expect(isCrossSiteWrite({ method: "POST", secFetchSite: "same-origin", allowedOrigins: allowed })).toBe(false);
    expect(isCrossSiteWrite({ method: "GET", origin: "https://evil.example", allowedOrigins: allowed })).toBe(false);
    expect(isCrossSiteWrite({ method: "POST", allowedOrigins: allowed })).toBe(false);
  });
});

describe("security headers", () => {
  it("allow only nonce'd inline scripts and forbid framing", () => {
    const csp = contentSecurityPolicy("abc123");
    expect(csp).toContain("script-src 'self' 'nonce-abc123'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("add HSTS in production only", () => {
    expect(securityHeaders("n", true)["Strict-Transport-Security"]).toMatch(/max-age=31536000/);
    expect(securityHeaders("n", false)["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders("n", false)["X-Content-Type-Options"]).toBe("nosniff");
  });
});
