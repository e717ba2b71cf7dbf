// The text band of an image (the bottom quarter), cropped tight around whatever stands out from
// the band's dominant colour, as greyscale with dark text on light: what the OCR engines read.
import { textBand } from '../prompt/spec.js';
import type { DecodedImage } from './decode.js';

export interface TextCrop {
  width: number;
  height: number;
  /** Greyscale, 1 byte per pixel, text dark on light. */
  data: Uint8Array;
  /** Where the crop sits in the source image. */
  box: { x: number; y: number; width: number; height: number };
}

/** A pixel differing from the band colour by more than this (sum of |ΔR|+|ΔG|+|ΔB|) is ink. */
const INK_THRESHOLD = 96;

/** The bottom quarter of the image as it is (of a wrong size, the bottom quarter of what came). */
export function cropTextBand(image: DecodedImage): TextCrop | null {
  const { width, data } = image;
  const band = textBand(image);
  const top = band.top;
  const bottom = image.height;
  // Dominant colour of the band: 4-bit histogram.
  const counts = new Uint32Array(4096);
  for (let y = top; y < bottom; y += 2) {
    for (let x = 0; x < width; x += 2) {
      const i = (y * width + x) * 3;
      counts[((data[i]! >> 4) << 8) | ((data[i + 1]! >> 4) << 4) | (data[i + 2]! >> 4)]!++;
    }
  }
  let best = 0;
  for (let b = 1; b < 4096; b++) if (counts[b]! > counts[best]!) best = b;
  const bg = [((best >> 8) << 4) + 8, (((best >> 4) & 15) << 4) + 8, ((best & 15) << 4) + 8];
  const rows = new Uint32Array(bottom - top);
  const cols = new Uint32Array(width);
  // Soft ink: 0 at the band colour, 1 from INK_THRESHOLD × 2 away (keeps anti-aliasing).
  const ink = new Uint8Array(width * (bottom - top));
  for (let y = top; y < bottom; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const d =
        Math.abs(data[i]! - bg[0]!) +
        Math.abs(data[i + 1]! - bg[1]!) +
        Math.abs(data[i + 2]! - bg[2]!);
      ink[(y - top) * width + x] = Math.min(
        255,
        Math.max(0, ((d - 32) * 255) / (2 * INK_THRESHOLD)),
      );
      if (d > INK_THRESHOLD) {
        rows[y - top]!++;
        cols[x]!++;
      }
    }
  }
  // Rows and columns with a couple of stray pixels (JPEG ringing) are not text.
  const span = (profile: Uint32Array, min: number): [number, number] | null => {
    let lo = -1;
    let hi = -1;
    for (let i = 0; i < profile.length; i++) {
      if (profile[i]! >= min) {
        if (lo < 0) lo = i;
        hi = i;
      }
    }
    return lo < 0 ? null : [lo, hi];
  };
  const ys = span(rows, 2);
  const xs = span(cols, 2);
  if (!ys || !xs) return null;
  const textHeight = ys[1] - ys[0] + 1;
  const pad = Math.max(4, Math.round(textHeight * 0.25));
  const x0 = Math.max(0, xs[0] - pad);
  const x1 = Math.min(width - 1, xs[1] + pad);
  const y0 = Math.max(0, ys[0] - pad);
  const y1 = Math.min(bottom - top - 1, ys[1] + pad);
  const cw = x1 - x0 + 1;
  const ch = y1 - y0 + 1;
  const out = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      out[y * cw + x] = 255 - ink[(y + y0) * width + x + x0]!;
    }
  }
  return { width: cw, height: ch, data: out, box: { x: x0, y: top + y0, width: cw, height: ch } };
}
