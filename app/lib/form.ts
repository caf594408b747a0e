import type { z } from "zod";

export type FieldErrors = Record<string, string>;

export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; fieldErrors: FieldErrors; formError?: string; values: Record<string, string | string[]> };

const SECRET_FIELDS = /password|secret|token/i;

/**
 * FormData → plain object for a zod schema: empty strings become undefined (an untouched optional
 * field), repeated names become arrays. On failure the typed values come back (never secrets),
 * so a form can be shown again without the person retyping anything.
 */
export function formToObject(form: FormData, arrays: readonly string[] = []): Record<string, string | string[] | undefined> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key).filter((v): v is string => typeof v === "string");
    if (arrays.includes(key)) out[key] = all.filter((v) => v !== "");
    else out[key] = all[0] === "" ? undefined : all[0];
  }
  for (const key of arrays) out[key] ??= [];
  return out;
}

export function parseForm<S extends z.ZodType>(schema: S, form: FormData, arrays: readonly string[] = []): FormResult<z.infer<S>> {
  const raw = formToObject(form, arrays);
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  let formError: string | undefined;
  for (const issue of result.error.issues) {
    const key = issue.path.join(".");
    if (!key) formError ??= issue.message;
    else fieldErrors[key] ??= issue.message;
  }
  const values: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined && !SECRET_FIELDS.test(k)) values[k] = v;
  return { ok: false, fieldErrors, formError, values };
}

/**
 * Repeated rows of a form without JavaScript: fields named `${prefix}.${field}`, one value per
 * row in order. Rows left entirely blank are ignored; each other row is checked with the row
 * schema, and its errors are keyed `${prefix}.${index}.${field}` by the row's place in the form.
 */
export function parseRows<S extends z.ZodType>(
  form: FormData,
  prefix: string,
  fields: readonly string[],
  schema: S,
): { rows: Array<z.infer<S>>; fieldErrors: FieldErrors } {
  const columns = fields.map((f) => form.getAll(`${prefix}.${f}`).map((v) => (typeof v === "string" ? v.trim() : "")));
  const count = Math.max(0, ...columns.map((c) => c.length));
  const rows: Array<z.infer<S>> = [];
  const fieldErrors: FieldErrors = {};
  for (let i = 0; i < count; i++) {
    const raw = Object.fromEntries(fields.map((f, k) => [f, columns[k][i] || undefined]));
    if (Object.values(raw).every((v) => v === undefined)) continue;
    const r = schema.safeParse(raw);
    if (r.success) rows.push(r.data);
    else for (const issue of r.error.issues) fieldErrors[`${prefix}.${i}.${issue.path.join(".")}`] ??= `第 ${i + 1} 行：${issue.message}`;
  }
  return { rows, fieldErrors };
}

/** Every field as typed, repeated names as lists (blanks kept, so rows stay aligned). */
export function rawValues(form: FormData, omit: readonly string[] = []): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    if (omit.includes(key) || SECRET_FIELDS.test(key)) continue;
    const all = form.getAll(key).filter((v): v is string => typeof v === "string");
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}
