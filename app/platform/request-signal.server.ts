/**
 * Requests derived from another one share its AbortSignal instead of following it
 * (docs/decisions/0013-requests-share-their-signal.md).
 *
 * Remix builds four or five `Request`s per request from the one the adapter made (single fetch,
 * the router's submit, `stripIndexParam`, `stripRoutesParam`…), each with `signal: request.signal`.
 * Node's `Request` (undici 6) makes every such signal a *follower*: a new AbortController, a
 * WeakRef, an abort listener on the parent signal and a FinalizationRegistry entry holding the
 * parent until a full GC finds the controller dead. Under the write benchmark that kept every
 * request's objects alive past the scavenges into the old space, and each mark-compact (every
 * ~3.5 s) ran ~12,000 registry clean-ups at once: a 100–200 ms stall, most of the writes' p95.
 *
 * Sharing the signal keeps the meaning — the derived request is aborted exactly when the one it
 * came from is, because it is the same signal — without the bookkeeping.
 */
const INSTALLED = Symbol.for("linli.sharedSignalRequest");

type RequestHolder = { Request: typeof Request };

function initOf(r: Request): RequestInit & { duplex?: "half" } {
  return {
    method: r.method,
    headers: r.headers,
    body: r.body,
    ...(r.body ? { duplex: "half" as const } : {}),
    redirect: r.redirect,
    referrer: r.referrer,
    referrerPolicy: r.referrerPolicy,
    mode: r.mode === "navigate" ? "same-origin" : r.mode,
    credentials: r.credentials,
    cache: r.cache,
    integrity: r.integrity,
    keepalive: r.keepalive,
    signal: r.signal,
  };
}

export function installSharedSignalRequest(target: RequestHolder = globalThis): void {
  const Native = target.Request;
  if ((Native as unknown as Record<symbol, unknown>)[INSTALLED]) return;

  class SharedSignalRequest extends Native {
    static readonly [INSTALLED] = true;
    readonly #signal: AbortSignal | undefined;

    constructor(input: RequestInfo | URL, init?: RequestInit) {
      // A Request may serve as the init (its fields are getters, which a spread would not copy).
      const given = init instanceof Native ? initOf(init) : init;
      // The signal the new request would follow: the init's (null: none), else the input request's.
      const signal = given && given.signal !== undefined ? (given.signal ?? undefined) : input instanceof Native ? input.signal : undefined;
      // `signal: null` tells undici not to follow anything (undefined would take the input's).
      super(input, signal ? { ...given, signal: null } : given);
      this.#signal = signal;
    }

    override get signal(): AbortSignal {
      return this.#signal ?? super.signal;
    }

    // undici's clone follows the original's own signal, which here is never aborted.
    override clone(): Request {
      return this.#signal ? new SharedSignalRequest(super.clone(), { signal: this.#signal }) : super.clone();
    }
  }

  target.Request = SharedSignalRequest;
}
