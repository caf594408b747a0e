import { data } from "@remix-run/node";
import { DomainError, httpStatusOf } from "./errors";

export interface ActionErrorBody {
  ok: false;
  formError?: string;
  fieldErrors?: Record<string, string>;
  values?: Record<string, string | string[]>;
}

/**
 * Turns a DomainError into the action's error answer (status by code, message in Chinese), so
 * routes map codes to statuses in one place. Anything else is rethrown to the error boundary.
 */
export function domainErrorResponse(e: unknown, values?: Record<string, string | string[]>) {
  if (e instanceof DomainError) {
    return data<ActionErrorBody>({ ok: false, formError: e.message, fieldErrors: e.fieldErrors, values }, { status: httpStatusOf[e.code] });
  }
  throw e;
}

export function invalid(body: Omit<ActionErrorBody, "ok">) {
  return data<ActionErrorBody>({ ok: false, ...body }, { status: 400 });
}

export function notFound(message = "页面不存在"): never {
  throw new Response(message, { status: 404 });
}

/** Only same-site relative paths, so a login link cannot send people to another site. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

export function formValues(form: FormData, omit: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form) if (typeof v === "string" && !omit.includes(k) && !/password/i.test(k)) out[k] = v;
  return out;
}

/** In a loader: a DomainError becomes the error page with its status and message. */
export function throwAsResponse(e: unknown): never {
  if (e instanceof DomainError) throw new Response(e.message, { status: httpStatusOf[e.code] });
  throw e;
}
