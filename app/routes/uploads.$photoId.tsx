import type { LoaderFunctionArgs } from "@remix-run/node";
import { getPhotoForServing } from "../domain/issues/issues.server";
import { getActor } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { fileStore } from "../platform/uploads.server";

/**
 * Serves an uploaded photo with the type its bytes were checked to be, inline, in a sandbox.
 * X-Content-Type-Options: nosniff comes from server.ts, which sets it on every response.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = params.photoId ?? "";
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Response("照片不存在", { status: 404 });
  const actor = await getActor(request, context);
  const photo = await getPhotoForServing(getDb(), id, actor.user?.id ?? null);
  const bytes = photo ? await fileStore().get(photo.key) : null;
  if (!photo || !bytes) throw new Response("照片不存在", { status: 404 });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": photo.contentType,
      "Content-Length": String(bytes.length),
      "Content-Disposition": `inline; filename="photo"; filename*=UTF-8''${encodeURIComponent(photo.name)}`,
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, max-age=3600",
    },
  });
}
