import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAttachment } from "../domain/calls/bids.server";
import { callScope } from "../domain/calls/calls.server";
import { memberRole } from "../domain/organisations/organisations.server";
import { canReviewerReadBid } from "../domain/review/review.server";
import { requireUser } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { can } from "../platform/permissions";
import { fileStore } from "../platform/uploads.server";

/**
 * A bid's attachment, for the bidding organisation's members, the officers who organise the
 * review, and reviewers who have declared no conflict on the bid. Always a download.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  const actor = await requireUser(request, context);
  const db = getDb();
  const a = /^[0-9a-f-]{36}$/.test(id) ? await getAttachment(db, id) : undefined;
  const scope = a ? await callScope(db, a.callId) : undefined;
  const allowed =
    a &&
    scope &&
    ((await memberRole(db, a.organisationId, actor.user.id)) !== undefined || can(actor, "review.manage", scope) || (await canReviewerReadBid(db, actor.user.id, a.bidId)));
  const bytes = allowed ? await fileStore().get(a.key) : null;
  if (!a || !bytes) throw new Response("附件不存在", { status: 404 });
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": a.contentType,
      "Content-Length": String(bytes.length),
      "X-Content-Type-Options": "nosniff",
      "Content-Disposition": `attachment; filename="attachment"; filename*=UTF-8''${encodeURIComponent(a.name)}`,
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
    },
  });
}
