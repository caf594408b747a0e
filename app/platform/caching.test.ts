import { describe, expect, it } from "vitest";
import { publicCacheControl } from "./caching";

const base = { method: "GET", status: 200, cookie: null, routeId: "routes/issues.$issueId", sessionCookieName: "lsw_session" };

describe("Cache-Control of public pages", () => {
  it("lets an anonymous visitor's browser keep a public page for 30 seconds, shared caches never", () => {
    expect(publicCacheControl(base)).toBe("private, max-age=30");
    expect(publicCacheControl({ ...base, cookie: "lsw_elder=1" })).toBe("private, max-age=30");
  });

  it("never caches a signed-in page, a private route, an error or a form post", () => {
    expect(publicCacheControl({ ...base, cookie: "a=1; lsw_session=abc" })).toBeNull();
    expect(publicCacheControl({ ...base, routeId: "routes/bureau.dashboard" })).toBeNull();
    expect(publicCacheControl({ ...base, routeId: "routes/care.targets.$id" })).toBeNull();
    expect(publicCacheControl({ ...base, status: 404 })).toBeNull();
    expect(publicCacheControl({ ...base, method: "POST" })).toBeNull();
  });
});
