import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { audit } from "../platform/audit.server";
import { auditContext, getActor } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { blankSessionCookie, invalidateSession, invalidateUserSessions } from "../platform/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await getActor(request, context);
  if (actor.sessionId && actor.user) {
    const everywhere = (await request.formData()).get("scope") === "everywhere";
    if (everywhere) await invalidateUserSessions(actor.user.id);
    else await invalidateSession(actor.sessionId);
    await audit(getDb(), auditContext(actor), { action: everywhere ? "user.logout_everywhere" : "user.logout", entityType: "user", entityId: actor.user.id });
  }
  return redirect("/", { headers: { "Set-Cookie": blankSessionCookie() } });
}
