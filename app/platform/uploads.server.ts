import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { PhotoContentType } from "../../db/schema";

/**
 * Uploaded files. The portal only needs put/get/delete by an opaque key, so a store for object
 * storage (S3, OSS) can replace the local-disk one by implementing FileStore.
 */
export interface FileStore {
  put(bytes: Uint8Array): Promise<string>;
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

const KEY_RE = /^[a-f0-9]{32}$/;

/** Files under UPLOAD_DIR (default ./.data/uploads, outside public/), named by random keys. */
export function localDiskStore(dir = process.env.UPLOAD_DIR ?? path.resolve(".data", "uploads")): FileStore {
  const file = (key: string) => {
    if (!KEY_RE.test(key)) throw new Error("invalid upload key");
    return path.join(dir, key.slice(0, 2), key);
  };
  return {
    async put(bytes) {
      const key = randomBytes(16).toString("hex");
      await fs.mkdir(path.dirname(file(key)), { recursive: true });
      await fs.writeFile(file(key), bytes, { flag: "wx" });
      return key;
    },
    async get(key) {
      try {
        return await fs.readFile(file(key));
      } catch {
        return null;
      }
    },
    async delete(key) {
      await fs.rm(file(key), { force: true });
    },
  };
}

let store: FileStore | undefined;
export function fileStore(): FileStore {
  store ??= localDiskStore();
  return store;
}

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
export const MAX_PHOTOS = 6;

/** The image type by its first bytes (magic numbers), never by the file name or the browser's claim. */
export function sniffImageType(b: Uint8Array): PhotoContentType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return "image/png";
  if (b.length >= 12 && ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 4) === "WEBP") return "image/webp";
  return null;
}

function ascii(b: Uint8Array, at: number, len: number): string {
  return String.fromCharCode(...b.subarray(at, at + len));
}

/**
 * Removes embedded metadata (EXIF with its GPS position, XMP) without decoding the image:
 * JPEG APP1 segments, PNG eXIf/tEXt/iTXt/zTXt chunks, WebP EXIF/XMP chunks. No image library is
 * installed, so pixels are left untouched. Throws on a file whose structure is broken.
 */
export function stripImageMetadata(bytes: Uint8Array, type: PhotoContentType): Uint8Array {
  if (type === "image/jpeg") return stripJpeg(bytes);
  if (type === "image/png") return stripPng(bytes);
  return stripWebp(bytes);
}

function stripJpeg(b: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) throw new Error("broken JPEG");
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    // Start of scan: the entropy-coded image follows; keep the rest as it is.
    if (marker === 0xda) {
      parts.push(b.subarray(i));
      return concat(parts);
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      parts.push(b.subarray(i, i + 2));
      i += 2;
      continue;
    }
    const len = (b[i + 2] << 8) | b[i + 3];
    if (len < 2 || i + 2 + len > b.length) throw new Error("broken JPEG");
    if (marker !== 0xe1) parts.push(b.subarray(i, i + 2 + len));
    i += 2 + len;
  }
  throw new Error("broken JPEG");
}

const PNG_DROP = new Set(["eXIf", "tEXt", "iTXt", "zTXt"]);

function stripPng(b: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 8;
  while (i + 12 <= b.length) {
    const len = view.getUint32(i);
    const type = ascii(b, i + 4, 4);
    const end = i + 12 + len;
    if (end > b.length) throw new Error("broken PNG");
    if (!PNG_DROP.has(type)) parts.push(b.subarray(i, end));
    i = end;
    if (type === "IEND") return concat(parts);
  }
  throw new Error("broken PNG");
}

function stripWebp(b: Uint8Array): Uint8Array {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const chunks: Uint8Array[] = [];
  let i = 12;
  while (i + 8 <= b.length) {
    const type = ascii(b, i, 4);
    const len = view.getUint32(i + 4, true);
    const end = i + 8 + len + (len % 2);
    if (i + 8 + len > b.length) throw new Error("broken WebP");
    if (type !== "EXIF" && type !== "XMP ") chunks.push(b.subarray(i, Math.min(end, b.length)));
    i = end;
  }
  const body = concat(chunks);
  // VP8X carries flags announcing EXIF (bit 3) and XMP (bit 2); clear them with the chunks gone.
  if (ascii(body, 0, 4) === "VP8X") body[8] &= ~0x0c;
  const out = new Uint8Array(12 + body.length);
  out.set(b.subarray(0, 12));
  new DataView(out.buffer).setUint32(4, 4 + body.length, true);
  out.set(body, 12);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const PHOTO_EXTENSIONS: Record<PhotoContentType, string> = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" };

/** A file name safe for Content-Disposition: letters, digits, CJK, dot, dash, underscore. */
export function safeFileName(name: string, type: PhotoContentType): string {
  const base = name
    .replace(/\.[^.]*$/, "")
    .replace(/[^\p{L}\p{N}_-]+/gu, "_")
    .slice(0, 60);
  return `${base || "photo"}.${PHOTO_EXTENSIONS[type]}`;
}
