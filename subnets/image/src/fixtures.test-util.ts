// Crafted images for tests: solid fills, hand-built PNGs (a decompression bomb), and rendered
// specs.
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { Rgb } from './prompt/palette.js';
import type { ImageTaskSpec } from './prompt/spec.js';

export async function solidImage(
  width: number,
  height: number,
  rgb: Rgb,
  format: 'png' | 'jpeg' | 'webp' = 'png',
): Promise<Uint8Array> {
  const image = sharp({
    create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } },
  });
  return new Uint8Array(await image.toFormat(format).toBuffer());
}

export async function reencode(
  bytes: Uint8Array,
  format: 'png' | 'jpeg' | 'webp',
  options: { quality?: number; width?: number; height?: number } = {},
): Promise<Uint8Array> {
  let image = sharp(bytes);
  if (options.width || options.height) {
    image = image.resize(options.width, options.height, { fit: 'fill' });
  }
  return new Uint8Array(
    await image.toFormat(format, { quality: options.quality ?? 80 }).toBuffer(),
  );
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A valid 1-bit greyscale PNG of width × height zeros: for 30000 × 30000 about 110 kB that
 * inflate to 112 MB (a decompression bomb).
 */
export function bombPng(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((1 + Math.ceil(width / 8)) * height);
  const idat = deflateSync(raw, { level: 9 });
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', idat),
      chunk('IEND', new Uint8Array(0)),
    ]),
  );
}

/** A hand-made spec (tests pin exact facets rather than drawing them from a seed). */
export function specOf(partial: Partial<ImageTaskSpec> = {}): ImageTaskSpec {
  return {
    version: 1,
    width: 512,
    height: 512,
    background: 'navy',
    shapes: [
      { kind: 'circle', colour: 'red', count: 3 },
      { kind: 'square', colour: 'yellow', count: 1 },
    ],
    text: { value: 'HELLO 42', colour: 'white' },
    style: ['flat vector style'],
    ...partial,
  };
}

export const SEED = new Uint8Array(32).fill(42);
export const seedOf = (n: number): Uint8Array => {
  const s = new Uint8Array(32);
  new DataView(s.buffer).setUint32(0, n);
  return s;
};

let fonts: Promise<boolean> | undefined;

async function ink(text: string): Promise<number> {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="32"><rect width="96" height="32" fill="#fff"/>' +
    `<text x="2" y="26" font-family="DejaVu Sans, sans-serif" font-size="24">${text}</text></svg>`;
  const { data } = await sharp(Buffer.from(svg))
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return data.reduce((sum, v) => sum + (255 - v), 0);
}

/**
 * Whether librsvg finds a real font here (Debian: fonts-dejavu-core). Without one it draws no
 * glyphs or the same box for every character ("WWW" then inks no more than "III"), so tests
 * that read text back skip with a visible note.
 */
export function fontsAvailable(): Promise<boolean> {
  fonts ??= (async () => {
    const ok = (await ink('WWW')) > 2 * (await ink('III'));
    if (!ok) {
      console.warn(
        '[image] no font found for SVG text (apt-get install fonts-dejavu-core): text tests are skipped',
      );
    }
    return ok;
  })();
  return fonts;
}
