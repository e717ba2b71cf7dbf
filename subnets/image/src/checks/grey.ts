// Greyscale conversion and area-average resampling, shared by the hashes and SSIM.
import type { DecodedImage } from './decode.js';

export interface GreyImage {
  width: number;
  height: number;
  /** Luma (BT.601) in [0, 255], one float per pixel. */
  data: Float32Array;
}

export function toGrey(image: Pick<DecodedImage, 'width' | 'height' | 'data'>): GreyImage {
  const n = image.width * image.height;
  const out = new Float32Array(n);
  const { data } = image;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i] = 0.299 * data[j]! + 0.587 * data[j + 1]! + 0.114 * data[j + 2]!;
  }
  return { width: image.width, height: image.height, data: out };
}

/** Area-average resampling (each output pixel is the mean of the source area it covers). */
export function resizeArea(src: GreyImage, width: number, height: number): GreyImage {
  const out = new Float32Array(width * height);
  const sx = src.width / width;
  const sy = src.height / height;
  // Horizontal pass into an intermediate of width × src.height, then vertical.
  const mid = new Float32Array(width * src.height);
  for (let x = 0; x < width; x++) {
    const x0 = x * sx;
    const x1 = x0 + sx;
    for (let y = 0; y < src.height; y++) {
      const row = y * src.width;
      let sum = 0;
      for (let k = Math.floor(x0); k < Math.ceil(x1); k++) {
        const w = Math.min(x1, k + 1) - Math.max(x0, k);
        sum += w * src.data[row + k]!;
      }
      mid[y * width + x] = sum / sx;
    }
  }
  for (let y = 0; y < height; y++) {
    const y0 = y * sy;
    const y1 = y0 + sy;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = Math.floor(y0); k < Math.ceil(y1); k++) {
        const w = Math.min(y1, k + 1) - Math.max(y0, k);
        sum += w * mid[k * width + x]!;
      }
      out[y * width + x] = sum / sy;
    }
  }
  return { width, height, data: out };
}
