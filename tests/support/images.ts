import sharp from "sharp";

/** Where the phone was: Nanchang, in EXIF's GPS directory (IFD3 in libvips' naming). */
const GPS = { GPSLatitudeRef: "N", GPSLatitude: "28/1 41/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "115/1 53/1 0/1" };

/** The GPS IFD pointer tag (0x8825), little-endian as libvips writes it: present iff EXIF has a GPS directory. */
export const GPS_POINTER = Buffer.from([0x25, 0x88]);

/** A photo as a phone takes it: landscape pixels, EXIF orientation 6 (turn 90° to view), camera make and GPS position. */
export async function phonePhoto(format: "jpeg" | "png" | "webp", width = 640, height = 320): Promise<Buffer> {
  const img = sharp({ create: { width, height, channels: 3, background: { r: 180, g: 60, b: 40 } } });
  return img[format]()
    .withExif({ IFD0: { Make: "LinliCam", Copyright: "王阿姨" }, IFD3: GPS })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}
