import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceContext } from "./components/nonce";
import { htmlSink } from "./platform/html-sink";
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
    // No loader defers data, so the only Suspense is Remix's transfer of the (already loaded)
    // loader data: the document is complete moments after its shell. It is collected and sent in
    // one write instead of React's ~2 KB chunks (one syscall each through a stream; measured in
    // docs/performance.md), and an error anywhere still sets the status before anything is sent.
    let shellRendered = false;
    let timer: NodeJS.Timeout | undefined = undefined;
    const sink = htmlSink((body) => {
      clearTimeout(timer);
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      // An error while rendering made it a 500: such a page is never kept by a browser or the page cache.
      if (responseStatusCode !== 200 && cacheControl) responseHeaders.delete("Cache-Control");
      resolve(new Response(body, { headers: responseHeaders, status: responseStatusCode }));
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
        clearTimeout(timer);
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        // Before the shell, Remix renders the error boundary from the rejection and logs it there.
        if (shellRendered) console.error(error);
      },
    });
    timer = setTimeout(abort, ABORT_DELAY);
    timer.unref();
  });
}
