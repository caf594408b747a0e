import type { LoaderFunctionArgs } from "@remix-run/node";
import { getObjectionAttachment } from "../domain/grants/queries.server";
import { requirePermission } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { fileStore } from "../platform/uploads.server";

/** An objection's attachment: only for the officers who answer it (the 公示 page shows the reason, not the file). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const a = await getObjectionAttachment(getDb(), params.id ?? "");
  if (!a) throw new Response("文件不存在", { status: 404 });
  await requirePermission(request, context, "grant.manage", { placePath: a.placePath });
  const bytes = await fileStore().get(a.storageKey);
  if (!bytes) throw new Response("文件不存在", { status: 404 });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": a.contentType,
      "Content-Length": String(bytes.length),
      "Content-Disposition": `inline; filename="attachment"; filename*=UTF-8''${encodeURIComponent(a.name)}`,
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
}
