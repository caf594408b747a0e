import type { LoaderFunctionArgs } from "@remix-run/node";
import { getEvidence } from "../domain/grants/queries.server";
import { getActor } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { can } from "../platform/permissions";
import { fileStore } from "../platform/uploads.server";

/**
 * A milestone report's evidence image. Evidence of an approved report is public (the project page
 * shows it); before approval only the organisation, the liaison and the officers of the place see it.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const e = await getEvidence(getDb(), params.id ?? "");
  if (!e) throw new Response("文件不存在", { status: 404 });
  if (e.status !== "approved") {
    const actor = await getActor(request, context);
    const allowed =
      can(actor, "grant.report", { organisationId: e.organisationId }) ||
      can(actor, "grant.liaison_review", { placePath: e.placePath }) ||
      can(actor, "grant.manage", { placePath: e.placePath });
    if (!allowed) throw new Response("文件不存在", { status: 404 });
  }
  const bytes = await fileStore().get(e.storageKey);
  if (!bytes) throw new Response("文件不存在", { status: 404 });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": e.contentType,
      "Content-Length": String(bytes.length),
      "Content-Disposition": `inline; filename="evidence"; filename*=UTF-8''${encodeURIComponent(e.name)}`,
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, max-age=3600",
    },
  });
}
