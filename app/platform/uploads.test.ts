import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { localDiskStore, safeFileName, sniffImageType, stripImageMetadata } from "./uploads.server";

const bytes = (...parts: Array<number[] | string>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));
const seg = (marker: number, payload: string) => [0xff, marker, ((payload.length + 2) >> 8) & 0xff, (payload.length + 2) & 0xff, ...Buffer.from(payload, "latin1")];

/** A JPEG skeleton: SOI, APP0 (JFIF), APP1 (Exif with a GPS tag), DQT, SOS with scan data, EOI. */
const jpegWithExif = () =>
  bytes([0xff, 0xd8], seg(0xe0, "JFIF\0\x01\x01"), seg(0xe1, "Exif\0\0GPSLatitude 28.68N"), seg(0xdb, "\0qtable"), [0xff, 0xda, 0, 4, 1, 0], "scan-data", [0xff, 0xd9]);

function pngChunk(type: string, data: Uint8Array): number[] {
  const len = [(data.length >>> 24) & 255, (data.length >>> 16) & 255, (data.length >>> 8) & 255, data.length & 255];
  return [...len, ...Buffer.from(type, "latin1"), ...data, 0, 0, 0, 0];
}

describe("uploads", () => {
  it("recognises JPEG, PNG and WebP by their first bytes, whatever the name says", () => {
    expect(sniffImageType(jpegWithExif())).toBe("image/jpeg");
    expect(sniffImageType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe("image/png");
    expect(sniffImageType(bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 "))).toBe("image/webp");
    expect(sniffImageType(bytes("<svg xmlns='http://www.w3.org/2000/svg'>"))).toBeNull();
    expect(sniffImageType(bytes("GIF89a"))).toBeNull();
  });

  it("removes the EXIF segment (with its GPS position) from a JPEG and keeps the rest byte for byte", () => {
    const src = jpegWithExif();
    const out = stripImageMetadata(src, "image/jpeg");
    expect(Buffer.from(out).includes("GPSLatitude")).toBe(false);
    expect(Buffer.from(out).includes("JFIF")).toBe(true);
    expect(Buffer.from(out).includes("scan-data")).toBe(true);
    expect(out.length).toBe(src.length - (2 + 2 + "Exif\0\0GPSLatitude 28.68N".length));
  });

  it("removes eXIf and text chunks from a PNG and EXIF/XMP chunks from a WebP", () => {
    const ihdr = new Uint8Array(13);
    const png = bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], pngChunk("IHDR", ihdr), pngChunk("eXIf", Buffer.from("GPS")), pngChunk("IDAT", deflateSync(Buffer.alloc(4))), pngChunk("IEND", new Uint8Array()));
    const cleanPng = stripImageMetadata(png, "image/png");
    expect(Buffer.from(cleanPng).includes("eXIf")).toBe(false);
    expect(Buffer.from(cleanPng).includes("IDAT")).toBe(true);

    const vp8x = [...Buffer.from("VP8X"), 10, 0, 0, 0, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const exif = [...Buffer.from("EXIF"), 4, 0, 0, 0, ...Buffer.from("GPS!")];
    const vp8 = [...Buffer.from("VP8 "), 2, 0, 0, 0, 1, 2];
    const body = [...Buffer.from("WEBP"), ...vp8x, ...exif, ...vp8];
    const webp = bytes("RIFF", [body.length & 255, (body.length >> 8) & 255, 0, 0], body);
    const cleanWebp = stripImageMetadata(webp, "image/webp");
    expect(Buffer.from(cleanWebp).includes("GPS!")).toBe(false);
    expect(new DataView(cleanWebp.buffer).getUint32(4, true)).toBe(cleanWebp.length - 8);
    expect(cleanWebp[20] & 0x0c).toBe(0);
  });

  it("refuses a file that only starts like a JPEG", () => {
    expect(() => stripImageMetadata(bytes([0xff, 0xd8, 0xff, 0xe1, 0x40, 0x00]), "image/jpeg")).toThrow();
  });

  it("stores files under random keys outside public/ and reads them back", async () => {
    const store = localDiskStore(await mkdtemp(path.join(os.tmpdir(), "linli-uploads-")));
    const key = await store.put(bytes("hello"));
    expect(key).toMatch(/^[a-f0-9]{32}$/);
    expect((await store.get(key))?.toString()).toBe("hello");
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    expect(await store.get("../../etc/passwd")).toBeNull();
    await expect(store.delete("../x")).rejects.toThrow();
  });

  it("makes a safe download name", () => {
    expect(safeFileName('路灯"; x=.jpg.exe', "image/jpeg")).toBe("路灯_x_jpg.jpg");
  });
});
