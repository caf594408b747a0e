import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { audit } from "../platform/audit.server";
import { auditContext, getActor } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { blankSessionCookie, invalidateSession } from "../platform/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await getActor(request, context);
  if (actor.sessionId && actor.user) {
    await invalidateSession(actor.sessionId);
    await audit(getDb(), auditContext(actor), { action: "user.logout", entityType: "user", entityId: actor.user.id });
  }
  return redirect("/", { headers: { "Set-Cookie": blankSessionCookie() } });
}
