import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { installSharedSignalRequest } from "./request-signal.server";

// Installed on a holder of its own: the global Request of the other tests stays Node's.
function sharedRequest() {
  const holder = { Request: globalThis.Request };
  installSharedSignalRequest(holder);
  return holder.Request;
}

describe("installSharedSignalRequest", () => {
  it("gives a request made with a signal that very signal, without listening to it", () => {
    const R = sharedRequest();
    const controller = new AbortController();
    const request = new R("http://localhost/issues/1", { signal: controller.signal });
    expect(request.signal).toBe(controller.signal);
    // Node's own Request follows the signal with a listener (and a FinalizationRegistry entry).
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
    expect(request).toBeInstanceOf(globalThis.Request);
  });

  it("derives requests as Remix does: same signal, same method, headers and body", async () => {
    const R = sharedRequest();
    const controller = new AbortController();
    const original = new R("http://localhost/issues/1.data?index", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "intent=support&note=%E5%A5%BD",
      signal: controller.signal,
    });
    const derived = new R("http://localhost/issues/1", {
      method: original.method,
      body: original.body,
      headers: original.headers,
      signal: original.signal,
      duplex: "half",
    } as RequestInit);
    const again = new R(derived);
    expect(derived.signal).toBe(controller.signal);
    expect(again.signal).toBe(controller.signal);
    expect(again.method).toBe("POST");
    expect(again.headers.get("content-type")).toBe("application/x-www-form-urlencoded");
    const form = await again.formData();
    expect(form.get("intent")).toBe("support");
    expect(form.get("note")).toBe("好");

    expect(again.signal.aborted).toBe(false);
    controller.abort(new Error("客户端已断开"));
    expect(derived.signal.aborted).toBe(true);
    expect(again.signal.aborted).toBe(true);
  });

  it("takes a Request given as the init whole, and a clone keeps the shared signal and the body", async () => {
    const R = sharedRequest();
    const controller = new AbortController();
    const original = new R("http://localhost/a", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-extra": "1" },
      body: "intent=comment",
      signal: controller.signal,
    });
    const copy = new R("http://localhost/b", original);
    expect(copy.method).toBe("POST");
    expect(copy.headers.get("x-extra")).toBe("1");
    expect(copy.signal).toBe(controller.signal);
    const clone = copy.clone();
    expect(clone).toBeInstanceOf(R);
    expect(clone.signal).toBe(controller.signal);
    expect((await clone.formData()).get("intent")).toBe("comment");
    expect((await copy.formData()).get("intent")).toBe("comment");
    controller.abort();
    expect(clone.signal.aborted).toBe(true);
  });

  it("keeps a request without a signal (or with signal: null) unaborted and unlinked", () => {
    const R = sharedRequest();
    const plain = new R("http://localhost/");
    expect(plain.signal).toBeInstanceOf(AbortSignal);
    expect(plain.signal.aborted).toBe(false);
    const controller = new AbortController();
    const source = new R("http://localhost/a", { signal: controller.signal });
    const detached = new R(source, { signal: null });
    controller.abort();
    expect(detached.signal).not.toBe(controller.signal);
    expect(detached.signal.aborted).toBe(false);
  });

  it("installs once", () => {
    const holder = { Request: globalThis.Request };
    installSharedSignalRequest(holder);
    const first = holder.Request;
    installSharedSignalRequest(holder);
    expect(holder.Request).toBe(first);
    expect(first).not.toBe(globalThis.Request);
  });
});
