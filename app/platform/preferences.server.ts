import type { Executor } from "./db.server";
import { cookieSecure } from "./session.server";

/** 长辈模式: larger text and targets, higher contrast, simpler pages. */
export const ELDER_COOKIE = "lsw_elder";

export function elderFromCookie(request: Request): boolean | null {
  const m = /(?:^|;\s*)lsw_elder=([01])/.exec(request.headers.get("Cookie") ?? "");
  return m ? m[1] === "1" : null;
}

/** The browser's choice wins (it was made on this device); otherwise the account's. */
export async function elderMode(db: Executor, request: Request, userId: string | null): Promise<boolean> {
  const fromCookie = elderFromCookie(request);
  if (fromCookie !== null) return fromCookie;
  if (!userId) return false;
  const row = await db.selectFrom("users").select("elder_mode").where("id", "=", userId).executeTakeFirst();
  return row?.elder_mode ?? false;
}

export async function saveElderMode(db: Executor, userId: string | null, on: boolean): Promise<string> {
  if (userId) await db.updateTable("users").set({ elder_mode: on }).where("id", "=", userId).execute();
  return `${ELDER_COOKIE}=${on ? 1 : 0}; Path=/; Max-Age=${365 * 24 * 3600}; SameSite=Lax${cookieSecure() ? "; Secure" : ""}`;
}
