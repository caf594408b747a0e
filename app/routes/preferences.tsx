import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getActor } from "../platform/auth.server";
import { getDb } from "../platform/db.server";
import { safeRedirect } from "../platform/http.server";
import { saveElderMode } from "../platform/preferences.server";

const schema = z.object({ elder: z.enum(["on", "off"]), redirectTo: z.string().optional() });

export async function loader() {
  return redirect("/");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) throw new Response("参数有误", { status: 400 });
  const actor = await getActor(request, context);
  const cookie = await saveElderMode(getDb(), actor.user?.id ?? null, parsed.data.elder === "on");
  return redirect(safeRedirect(parsed.data.redirectTo), { headers: { "Set-Cookie": cookie } });
}
