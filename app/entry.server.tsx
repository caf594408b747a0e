import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "./components/nonce";
import { publicCacheControl } from "./platform/caching";
import { SESSION_COOKIE } from "./platform/session.server";

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? "";
  const matches = remixContext.staticHandlerContext.matches;
  const cacheControl = publicCacheControl({
    method: request.method,
    status: responseStatusCode,
    cookie: request.headers.get("Cookie"),
    routeId: matches[matches.length - 1]?.route.id,
    sessionCookieName: SESSION_COOKIE,
  });
  if (cacheControl && !responseHeaders.has("Cache-Control")) {
    responseHeaders.set("Cache-Control", cacheControl);
    responseHeaders.append("Vary", "Cookie");
  }
  return new Promise((resolve, reject) => {
    const app = (
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>
    );
    // The pages have no Suspense boundaries, so the whole document is ready when the shell is:
    // it is collected and sent in one write instead of React's ~2 KB chunks (one syscall per chunk
    // through a stream; measured in docs/performance.md), and an error anywhere still sets 500.
    let shellRendered = false;
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk);
        done();
      },
      final(done) {
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
        done();
      },
    });
    const { pipe, abort } = renderToPipeableStream(app, {
      nonce,
      onShellReady() {
        shellRendered = true;
      },
      onAllReady() {
        pipe(sink);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        // Before the shell, Remix renders the error boundary from the rejection and logs it there.
        if (shellRendered) console.error(error);
      },
    });
    setTimeout(abort, ABORT_DELAY).unref();
  });
}
