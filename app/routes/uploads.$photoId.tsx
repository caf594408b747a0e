import type { LoaderFunctionArgs } from "@remix-run/node";
import { getPhotoForServing } from "../domain/issues/issues.server";
import { getActor } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { fileStore } from "../platform/uploads.server";

/**
 * Serves an uploaded photo (or, with ?size=thumb, its WebP thumbnail) with the type its bytes were
 * checked to be, inline, in a sandbox. X-Content-Type-Options: nosniff comes from the HTTP layer (http-server.server.ts), which
 * sets it on every response (setting it here too would send it twice).
 * A stored file never changes under its key, so the key is the ETag; the cache is private because
 * who may see a photo depends on the viewer and on the issue (a hidden issue's photos stop).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = params.photoId ?? "";
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Response("照片不存在", { status: 404 });
  const size = new URL(request.url).searchParams.get("size") === "thumb" ? "thumb" : "full";
  const actor = await getActor(request, context);
  const photo = await getPhotoForServing(getDb(), id, actor.user?.id ?? null, size);
  if (!photo) throw new Response("照片不存在", { status: 404 });
  const headers = {
    "Cache-Control": "private, max-age=86400",
    ETag: `"${photo.key}"`,
  };
  if (request.headers.get("If-None-Match") === headers.ETag) return new Response(null, { status: 304, headers });
  const bytes = await fileStore().get(photo.key);
  if (!bytes) throw new Response("照片不存在", { status: 404 });
  return new Response(new Uint8Array(bytes), {
    headers: {
      ...headers,
      "Content-Type": photo.contentType,
      "Content-Length": String(bytes.length),
      "Content-Disposition": `inline; filename="photo"; filename*=UTF-8''${encodeURIComponent(photo.name)}`,
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
