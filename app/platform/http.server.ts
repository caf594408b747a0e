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

/**
 * Reading a posted form: a body that is not the form the action expects (multipart where a plain
 * form was sent, a truncated or malformed multipart body, a part over its size: every error the
 * parser throws) is the sender's
 * mistake, answered 400 in Chinese rather than 500.
 */
export async function readFormOr400<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (e) {
    if (e instanceof Response) throw e;
    throw new Response("提交的表单内容无法读取，请返回页面重新填写后提交", { status: 400 });
  }
}
