import { readFormOr400 } from "./http.server";
import { unstable_composeUploadHandlers, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";

const TOO_LARGE = "too-large:";

/**
 * Reads a multipart form with files in one field: each file up to maxBytes is kept in memory; a
 * larger one is drained and reported by name instead of failing the form, so what was typed comes
 * back. Returns null when the request is not multipart (a form posted some other way).
 */
export async function readMultipartForm(
  request: Request,
  field: string,
  limits: { maxBytes: number; maxFiles: number },
): Promise<{ form: FormData; files: Array<{ name: string; bytes: Uint8Array }>; errors: string[] } | null> {
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return null;
  let parts = 0;
  const fileHandler: UploadHandler = async ({ name, filename, data }) => {
    if (name !== field) return undefined;
    const chunks: Uint8Array[] = [];
    let size = 0;
    parts++;
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size <= limits.maxBytes && parts <= limits.maxFiles) chunks.push(chunk);
    }
    if (!filename || size === 0) return "";
    if (parts > limits.maxFiles) return `${TOO_LARGE}${filename}（超过 ${limits.maxFiles} 个文件）`;
    if (size > limits.maxBytes) return `${TOO_LARGE}${filename}`;
    return new File(chunks as BlobPart[], filename);
  };
  const form = await readFormOr400(() =>
    unstable_parseMultipartFormData(request, unstable_composeUploadHandlers(fileHandler, unstable_createMemoryUploadHandler({ maxPartSize: 100_000 }))),
  );
  const files: Array<{ name: string; bytes: Uint8Array }> = [];
  const errors: string[] = [];
  for (const v of form.getAll(field)) {
    if (typeof v === "string") {
      if (v.startsWith(TOO_LARGE)) errors.push(`文件「${v.slice(TOO_LARGE.length)}」过大或过多（每个不超过 ${Math.round(limits.maxBytes / 1024 / 1024)} MB）`);
    } else {
      files.push({ name: v.name, bytes: new Uint8Array(await v.arrayBuffer()) });
    }
  }
  return { form, files, errors };
}
