// Colour quantisation to the palette: a 32×32×32 lookup table (5 bits per channel) from sRGB
// to the nearest palette colour by ΔE76 in CIELAB, or NONE when nothing is near, and a
// downscaled label map of an image (nearest sampling, so edges do not blend into new colours).
import { COLOUR_NAMES, type ColourName, PALETTE } from '../prompt/palette.js';
import type { DecodedImage } from './decode.js';
import { deltaE76, type Lab, rgbToLab } from './lab.js';

export const NONE = 255;
/** A pixel farther than this (ΔE76) from every palette colour is labelled NONE. */
export const MAX_QUANTISE_DELTA_E = 28;

let lut: Uint8Array | undefined;

export function paletteLut(): Uint8Array {
  if (lut) return lut;
  const labs: Lab[] = COLOUR_NAMES.map((name) => rgbToLab(PALETTE[name]));
  const table = new Uint8Array(32 * 32 * 32);
  for (let r = 0; r < 32; r++) {
    for (let g = 0; g < 32; g++) {
      for (let b = 0; b < 32; b++) {
        const lab = rgbToLab([r * 8 + 4, g * 8 + 4, b * 8 + 4]);
        let best = NONE;
        let bestD = MAX_QUANTISE_DELTA_E;
        labs.forEach((p, i) => {
          const d = deltaE76(lab, p);
          if (d < bestD) {
            bestD = d;
            best = i;
          }
        });
        table[(r << 10) | (g << 5) | b] = best;
      }
    }
  }
  lut = table;
  return table;
}

export const labelOf = (name: ColourName): number => COLOUR_NAMES.indexOf(name);

export interface LabelMap {
  width: number;
  height: number;
  /** Source pixels per label-map pixel, along each axis. */
  step: number;
  /** Palette index per pixel (index into COLOUR_NAMES), or NONE. */
  labels: Uint8Array;
}

/** Longest side of the label map. */
export const LABEL_MAP_SIDE = 160;

export function labelMap(image: DecodedImage, maxSide = LABEL_MAP_SIDE): LabelMap {
  const table = paletteLut();
  const step = Math.max(1, Math.ceil(Math.max(image.width, image.height) / maxSide));
  const width = Math.floor(image.width / step);
  const height = Math.floor(image.height / step);
  const labels = new Uint8Array(width * height);
  const half = step >> 1;
  const { data } = image;
  for (let y = 0; y < height; y++) {
    const row = (y * step + half) * image.width;
    for (let x = 0; x < width; x++) {
      const i = (row + x * step + half) * 3;
      labels[y * width + x] =
        table[((data[i]! >> 3) << 10) | ((data[i + 1]! >> 3) << 5) | (data[i + 2]! >> 3)]!;
    }
  }
  return { width, height, step, labels };
}
