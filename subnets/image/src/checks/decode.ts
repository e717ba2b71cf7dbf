// Safe decoding of untrusted image bytes: a byte cap, magic-byte sniffing before sharp sees
// anything, a pixel cap read from the header (decompression bombs never decode), and sharp's
// own limitInputPixels as a second fence. Every failure is a typed reason, never a throw.
import sharp, { type Metadata } from 'sharp';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export type DecodeFailureCode =
  | 'EMPTY'
  | 'TOO_MANY_BYTES'
  | 'UNSUPPORTED_FORMAT'
  | 'FORMAT_MISMATCH'
  | 'TOO_MANY_PIXELS'
  | 'ANIMATED'
  | 'CORRUPT';

export interface DecodeFailure {
  code: DecodeFailureCode;
  reason: string;
}

export interface DecodedImage {
  width: number;
  height: number;
  format: ImageFormat;
  /** Always 3: RGB, 8 bits per channel, row-major. */
  channels: 3;
  data: Uint8Array;
  /** The source had an alpha channel; it was flattened onto white. */
  hadAlpha: boolean;
}

export type DecodeResult =
  | { ok: true; image: DecodedImage }
  | { ok: false; failure: DecodeFailure };

export interface DecodeOptions {
  /** Default 16 MiB. */
  maxBytes?: number;
  /** Default 4096 × 4096. */
  maxPixels?: number;
}

export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 4096 * 4096;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format the first bytes announce, or null. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && PNG_MAGIC.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return 'jpeg';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return null;
}

const fail = (code: DecodeFailureCode, reason: string): DecodeResult => ({
  ok: false,
  failure: { code, reason },
});

export async function decodeImage(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): Promise<DecodeResult> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) return fail('EMPTY', 'no image bytes');
  if (bytes.length > maxBytes) {
    return fail('TOO_MANY_BYTES', `${bytes.length} bytes is over the ${maxBytes}-byte cap`);
  }
  const format = sniffFormat(bytes);
  if (!format) {
    return fail('UNSUPPORTED_FORMAT', 'not a PNG, JPEG or WebP (magic bytes do not match)');
  }
  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const open = (limitInputPixels: number | false) =>
    sharp(input, { limitInputPixels, failOn: 'warning', sequentialRead: true });
  let meta: Metadata;
  try {
    // Header only: no pixels are decoded here, so no pixel limit is needed to read the size.
    meta = await open(false).metadata();
  } catch (error) {
    return fail('CORRUPT', `unreadable ${format} header: ${message(error)}`);
  }
  if (meta.format !== format) {
    return fail('FORMAT_MISMATCH', `magic bytes say ${format}, the decoder says ${meta.format}`);
  }
  const { width, height } = meta;
  if (!width || !height) return fail('CORRUPT', 'the header declares no size');
  if (width * height > maxPixels) {
    return fail(
      'TOO_MANY_PIXELS',
      `${width}×${height} = ${width * height} pixels is over the ${maxPixels}-pixel cap`,
    );
  }
  if ((meta.pages ?? 1) > 1) return fail('ANIMATED', `animated ${format} (${meta.pages} frames)`);
  try {
    let pipeline = open(maxPixels);
    if (meta.hasAlpha) pipeline = pipeline.flatten({ background: '#ffffff' });
    const { data, info } = await pipeline
      .removeAlpha()
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || info.width !== width || info.height !== height) {
      return fail('CORRUPT', `decoded ${info.width}×${info.height}×${info.channels}, expected RGB`);
    }
    return {
      ok: true,
      image: {
        width,
        height,
        format,
        channels: 3,
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        hadAlpha: meta.hasAlpha === true,
      },
    };
  } catch (error) {
    const text = message(error);
    if (/pixel limit/i.test(text)) return fail('TOO_MANY_PIXELS', text);
    return fail('CORRUPT', `${format} does not decode: ${text}`);
  }
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
}
