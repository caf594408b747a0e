import type { Executor } from "./db.server";
import { cookieSecure } from "./session.server";

/** 长辈模式: larger text and targets, higher contrast, simpler pages. */
export const ELDER_COOKIE = "lsw_elder";

export function elderFromCookie(request: Request): boolean | null {
  const m = /(?:^|;\s*)lsw_elder=([01])/.exec(request.headers.get("Cookie") ?? "");
  return m ? m[1] === "1" : null;
}

/** The browser's choice wins (it was made on this device); otherwise the account's, read with the session (Actor.elderMode). */
export function elderMode(request: Request, accountPreference: boolean | undefined): boolean {
  return elderFromCookie(request) ?? accountPreference ?? false;
}

export async function saveElderMode(db: Executor, userId: string | null, on: boolean): Promise<string> {
  if (userId) await db.updateTable("users").set({ elder_mode: on }).where("id", "=", userId).execute();
  return `${ELDER_COOKIE}=${on ? 1 : 0}; Path=/; Max-Age=${365 * 24 * 3600}; SameSite=Lax${cookieSecure() ? "; Secure" : ""}`;
}
