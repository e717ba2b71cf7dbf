// Palette analysis in CIELAB: the background is the dominant colour of the border strip, scored
// by its CIEDE2000 distance to the expected named colour; shape colours must be present with
// roughly the area share the spec implies.
import { COLOUR_NAMES, type ColourName, hex, PALETTE, type Rgb } from '../prompt/palette.js';
import type { ImageTaskSpec, ShapeKind } from '../prompt/spec.js';
import type { DecodedImage } from './decode.js';
import { deltaE2000, rgbToLab } from './lab.js';
import { type LabelMap, labelOf, NONE } from './quantise.js';

export interface ColourThresholds {
  /** ΔE2000 at or below which the background scores 1 (default 10). */
  backgroundGood: number;
  /** ΔE2000 at or above which the background scores 0 (default 25). */
  backgroundBad: number;
  /** Minimum share of the image each expected shape should cover (default 0.002). */
  minShareEach: number;
}

export const DEFAULT_COLOUR_THRESHOLDS: ColourThresholds = {
  backgroundGood: 10,
  backgroundBad: 25,
  minShareEach: 0.002,
};

export interface ColourResult {
  /**
   * Background colour match, in [0, 1]: 0 unless the expected name is the nearest palette
   * colour, then 1 up to `backgroundGood` ΔE2000 falling linearly to 0 at `backgroundBad`.
   */
  background: number;
  /** Every expected shape colour present (mean over groups), in [0, 1]. */
  shapeColours: number;
  /** 1 − total variation distance between expected and measured shares of the shape colours. */
  colourShare: number;
  evidence: {
    background: {
      expected: ColourName;
      measured: string;
      nearest: ColourName;
      deltaE2000: number;
      /** Share of the border strip in the dominant colour bin. */
      dominance: number;
    };
    /** Share of the (downscaled) image each expected shape colour covers. */
    shares: Partial<Record<ColourName, number>>;
    /** Share covered by palette colours the spec does not mention. */
    foreignShare: number;
  };
}

const KIND_AREA: Record<ShapeKind, number> = { circle: Math.PI / 4, square: 1, triangle: 0.5 };

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** The dominant colour of the border strip: 4-bit-per-channel histogram, mean of the top bin. */
export function borderColour(image: DecodedImage): { rgb: Rgb; dominance: number } {
  const { width, height, data } = image;
  const strip = Math.max(2, Math.round(0.03 * Math.min(width, height)));
  const counts = new Uint32Array(4096);
  const sums = new Float64Array(4096 * 3);
  let total = 0;
  const add = (x: number, y: number) => {
    const i = (y * width + x) * 3;
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    const bin = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
    counts[bin]!++;
    const k = bin * 3;
    sums[k] = sums[k]! + r;
    sums[k + 1] = sums[k + 1]! + g;
    sums[k + 2] = sums[k + 2]! + b;
    total++;
  };
  for (let y = 0; y < height; y++) {
    const inBand = y < strip || y >= height - strip;
    if (inBand) {
      for (let x = 0; x < width; x++) add(x, y);
    } else {
      for (let x = 0; x < strip; x++) add(x, y);
      for (let x = width - strip; x < width; x++) add(x, y);
    }
  }
  let best = 0;
  for (let bin = 1; bin < 4096; bin++) if (counts[bin]! > counts[best]!) best = bin;
  const n = counts[best]!;
  return {
    rgb: [sums[best * 3]! / n, sums[best * 3 + 1]! / n, sums[best * 3 + 2]! / n],
    dominance: n / total,
  };
}

function nearestName(rgb: Rgb): { name: ColourName; deltaE: number } {
  const lab = rgbToLab(rgb);
  let name: ColourName = COLOUR_NAMES[0];
  let deltaE = Number.POSITIVE_INFINITY;
  for (const c of COLOUR_NAMES) {
    const d = deltaE2000(lab, rgbToLab(PALETTE[c]));
    if (d < deltaE) {
      deltaE = d;
      name = c;
    }
  }
  return { name, deltaE };
}

export function analyseColour(
  image: DecodedImage,
  map: LabelMap,
  spec: ImageTaskSpec,
  thresholds: ColourThresholds = DEFAULT_COLOUR_THRESHOLDS,
): ColourResult {
  const border = borderColour(image);
  const deltaE = deltaE2000(rgbToLab(border.rgb), rgbToLab(PALETTE[spec.background]));
  const nearest = nearestName(border.rgb).name;
  const background =
    nearest === spec.background
      ? clamp01(
          (thresholds.backgroundBad - deltaE) /
            (thresholds.backgroundBad - thresholds.backgroundGood),
        )
      : 0;

  const counts = new Uint32Array(COLOUR_NAMES.length);
  for (const l of map.labels) if (l !== NONE) counts[l]!++;
  const pixels = map.labels.length;
  const share = (c: ColourName) => counts[labelOf(c)]! / pixels;

  const shares: Partial<Record<ColourName, number>> = {};
  let presence = 0;
  let expectedTotal = 0;
  let measuredTotal = 0;
  for (const g of spec.shapes) {
    const s = share(g.colour);
    shares[g.colour] = s;
    presence += clamp01(s / (thresholds.minShareEach * g.count));
    expectedTotal += g.count * KIND_AREA[g.kind];
    measuredTotal += s;
  }
  let tvd = 0;
  for (const g of spec.shapes) {
    const expected = (g.count * KIND_AREA[g.kind]) / expectedTotal;
    const measured = measuredTotal > 0 ? share(g.colour) / measuredTotal : 0;
    tvd += Math.abs(expected - measured);
  }
  const mentioned = new Set<ColourName>([spec.background, ...spec.shapes.map((g) => g.colour)]);
  if (spec.text) mentioned.add(spec.text.colour);
  let foreignShare = 0;
  for (const c of COLOUR_NAMES) if (!mentioned.has(c)) foreignShare += share(c);

  const hasShapes = spec.shapes.length > 0;
  return {
    background,
    shapeColours: hasShapes ? presence / spec.shapes.length : 1,
    colourShare: hasShapes ? (measuredTotal > 0 ? 1 - tvd / 2 : 0) : 1,
    evidence: {
      background: {
        expected: spec.background,
        measured: hex([
          Math.round(border.rgb[0]),
          Math.round(border.rgb[1]),
          Math.round(border.rgb[2]),
        ]),
        nearest,
        deltaE2000: Math.round(deltaE * 100) / 100,
        dominance: Math.round(border.dominance * 1000) / 1000,
      },
      shares,
      foreignShare,
    },
  };
}
