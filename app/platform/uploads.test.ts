import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { GPS_POINTER, phonePhoto } from "../../tests/support/images";
import { localDiskStore, MAX_INPUT_PIXELS, PHOTO_MAX_SIDE, preparePhoto, safeFileName, sniffImageType, THUMB_MAX_SIDE } from "./uploads.server";

const bytes = (...parts: Array<number[] | string>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? [...Buffer.from(p, "latin1")] : p)));

/** A PNG whose header claims width × height pixels, with 100 bytes of pixel data behind it. */
function pngClaiming(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.alloc(100))), chunk("IEND", Buffer.alloc(0))]);
}

describe("uploads", () => {
  it("recognises JPEG, PNG and WebP by their first bytes, whatever the name says", () => {
    expect(sniffImageType(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(sniffImageType(bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe("image/png");
    expect(sniffImageType(bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 "))).toBe("image/webp");
    expect(sniffImageType(bytes("<svg xmlns='http://www.w3.org/2000/svg'>"))).toBeNull();
    expect(sniffImageType(bytes("GIF89a"))).toBeNull();
  });

  it("re-encodes a phone JPEG with no EXIF (GPS included), upright, and makes a WebP thumbnail of at most 480 px", async () => {
    const src = await phonePhoto("jpeg", 3000, 2000);
    const before = await sharp(src).metadata();
    // The fixture really carries what must go: a GPS directory, the camera make, an orientation.
    expect(before.exif?.includes(GPS_POINTER)).toBe(true);
    expect(src.includes("LinliCam")).toBe(true);
    expect(before.orientation).toBe(6);

    const out = await preparePhoto(src);
    if (!out.ok) throw new Error(out.reason);
    expect(out.type).toBe("image/jpeg");
    const photo = await sharp(out.photo.bytes).metadata();
    expect(photo.format).toBe("jpeg");
    expect([photo.exif, photo.xmp, photo.icc, photo.iptc, photo.orientation]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(out.photo.bytes.includes("LinliCam")).toBe(false);
    // Turned upright before the orientation tag was dropped, and the long side capped.
    expect([photo.width, photo.height]).toEqual([2000 * (PHOTO_MAX_SIDE / 3000), PHOTO_MAX_SIDE].map(Math.round));
    expect([out.photo.width, out.photo.height]).toEqual([photo.width, photo.height]);

    const thumb = await sharp(out.thumb.bytes).metadata();
    expect(thumb.format).toBe("webp");
    expect([thumb.exif, thumb.xmp, thumb.icc]).toEqual([undefined, undefined, undefined]);
    expect(Math.max(thumb.width, thumb.height)).toBe(THUMB_MAX_SIDE);
    expect(thumb.height).toBeGreaterThan(thumb.width);
    expect([out.thumb.width, out.thumb.height]).toEqual([thumb.width, thumb.height]);
    expect(out.thumb.bytes.length).toBeLessThan(out.photo.bytes.length);
  });

  it("keeps PNG and WebP in their format, without their EXIF, and never enlarges a small photo", async () => {
    for (const format of ["png", "webp"] as const) {
      const src = await phonePhoto(format, 200, 100);
      expect((await sharp(src).metadata()).exif?.includes(GPS_POINTER)).toBe(true);
      const out = await preparePhoto(src);
      if (!out.ok) throw new Error(out.reason);
      expect(out.type).toBe(`image/${format}`);
      const photo = await sharp(out.photo.bytes).metadata();
      expect(photo).toMatchObject({ format, width: 100, height: 200 });
      expect([photo.exif, photo.xmp]).toEqual([undefined, undefined]);
      expect(out.thumb).toMatchObject({ width: 100, height: 200 });
      expect(out.photo.bytes.includes("LinliCam")).toBe(false);
    }
  });

  it("refuses a file that is not an image whatever its name, one that only starts like a JPEG, and a cut-off JPEG", async () => {
    expect(await preparePhoto(Buffer.from("这不是照片，只是改了扩展名的文本 photo.jpg"))).toEqual({ ok: false, reason: "not_image" });
    expect(await preparePhoto(bytes([0xff, 0xd8, 0xff, 0xe1, 0x40, 0x00], "garbage"))).toEqual({ ok: false, reason: "undecodable" });
    const whole = await sharp({ create: { width: 400, height: 300, channels: 3, background: "#3a7" } }).jpeg().toBuffer();
    expect(await preparePhoto(whole.subarray(0, Math.floor(whole.length * 0.6)))).toEqual({ ok: false, reason: "undecodable" });
  });

  it("refuses, without decoding, a small file whose header claims more pixels than allowed", async () => {
    const side = Math.ceil(Math.sqrt(MAX_INPUT_PIXELS)) + 1;
    expect(await preparePhoto(pngClaiming(side, side))).toEqual({ ok: false, reason: "too_many_pixels" });
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
