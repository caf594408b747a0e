/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};

declare module "@remix-run/node" {
  interface AppLoadContext {
    requestId: string;
    ip: string | null;
    /** Nonce of this response's Content-Security-Policy (server.ts). */
    cspNonce?: string;
    /** Filled in once the session is known, for the request log line. */
    requestLog?: { userId: string | null };
  }
}
