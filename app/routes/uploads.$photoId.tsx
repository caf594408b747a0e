import type { LoaderFunctionArgs } from "@remix-run/node";
import { getPhotoForServing } from "../domain/issues/issues.server";
import { getActor } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { fileStore } from "../platform/uploads.server";

/** Serves an uploaded photo with its checked type, never sniffed by the browser, shown inline. */
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
      "X-Content-Type-Options": "nosniff",
      "Content-Disposition": `inline; filename="photo"; filename*=UTF-8''${encodeURIComponent(photo.name)}`,
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, max-age=3600",
    },
  });
}
