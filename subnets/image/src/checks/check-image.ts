// One answer, every check: decode → dimensions → colour → shapes → OCR → hashes (→ SSIM against
// the validator's own render, when asked). Each component in [0, 1] with its evidence, the time
// each stage took, and the components that could not be checked here (`partial`).
import { assertTaskSpec, type ImageTaskSpec } from '../prompt/spec.js';
import { analyseColour, type ColourResult, type ColourThresholds } from './colour.js';
import { type DecodeFailure, type DecodeOptions, decodeImage, type ImageFormat } from './decode.js';
import { checkDimensions, type DimensionsResult } from './dimensions.js';
import { type GreyImage, toGrey } from './grey.js';
import { checkText, type TextCheck } from './ocr.js';
import type { OcrEngine } from './ocr-engine.js';
import { dHash, type Hash64, pHash } from './phash.js';
import { labelMap } from './quantise.js';
import { renderReference } from './reference.js';
import { analyseShapes, type ShapesResult } from './shapes.js';
import { ssim } from './ssim.js';

export const COMPONENTS = [
  'dimensions',
  'background',
  'shapeColours',
  'colourShare',
  'shapeCounts',
  'shapeKinds',
  'text',
  'ssim',
] as const;
export type ComponentName = (typeof COMPONENTS)[number];

export type Stage = 'decode' | 'colour' | 'shapes' | 'ocr' | 'hash' | 'reference' | 'ssim';

export interface CheckOptions {
  /** OCR engine for the text component; without one, `text` is partial. */
  ocr?: OcrEngine | null;
  decode?: DecodeOptions;
  colour?: ColourThresholds;
  /**
   * Adds an `ssim` component: the answer against the validator's own procedural render of the
   * same spec (from `seed`), or against a greyscale reference it already has.
   */
  reference?: { seed: Uint8Array } | GreyImage;
}

export interface ImageCheckResult {
  /** False when the bytes did not decode: then `failure` says why and no component is scored. */
  decoded: boolean;
  failure?: DecodeFailure;
  components: Partial<Record<ComponentName, number>>;
  /** Components this validator could not check (e.g. no OCR engine): excluded, never faked. */
  partial: { component: ComponentName; reason: string }[];
  evidence: {
    decode?: { format: ImageFormat; width: number; height: number; bytes: number };
    dimensions?: DimensionsResult;
    colour?: ColourResult['evidence'];
    shapes?: ShapesResult['evidence'];
    text?: TextCheck;
    hashes?: { pHash: Hash64; dHash: Hash64 };
    ssim?: { value: number } | { error: string };
  };
  /** Milliseconds per stage, and in total. */
  timings: Partial<Record<Stage, number>> & { total: number };
}

export async function checkImage(
  bytes: Uint8Array,
  spec: ImageTaskSpec,
  options: CheckOptions = {},
): Promise<ImageCheckResult> {
  assertTaskSpec(spec);
  const started = performance.now();
  const timings: ImageCheckResult['timings'] = { total: 0 };
  let mark = started;
  const lap = (stage: Stage) => {
    const now = performance.now();
    timings[stage] = now - mark;
    mark = now;
  };
  const result: ImageCheckResult = {
    decoded: false,
    components: {},
    partial: [],
    evidence: {},
    timings,
  };
  const finish = () => {
    timings.total = performance.now() - started;
    return result;
  };

  const decoded = await decodeImage(bytes, options.decode);
  lap('decode');
  if (!decoded.ok) {
    result.failure = decoded.failure;
    return finish();
  }
  const image = decoded.image;
  result.decoded = true;
  result.evidence.decode = {
    format: image.format,
    width: image.width,
    height: image.height,
    bytes: bytes.length,
  };

  const dimensions = checkDimensions(image, spec);
  result.components.dimensions = dimensions.score;
  result.evidence.dimensions = dimensions;

  const map = labelMap(image);
  const colour = analyseColour(image, map, spec, options.colour);
  result.components.background = colour.background;
  result.components.shapeColours = colour.shapeColours;
  result.components.colourShare = colour.colourShare;
  result.evidence.colour = colour.evidence;
  lap('colour');

  const shapes = analyseShapes(map, spec);
  result.components.shapeCounts = shapes.shapeCounts;
  result.components.shapeKinds = shapes.shapeKinds;
  result.evidence.shapes = shapes.evidence;
  lap('shapes');

  const text = await checkText(image, spec, options.ocr);
  result.evidence.text = text;
  if (text.status === 'scored') result.components.text = text.score;
  else if (text.status === 'partial')
    result.partial.push({ component: 'text', reason: text.reason });
  lap('ocr');

  const grey = toGrey(image);
  result.evidence.hashes = { pHash: pHash(grey), dHash: dHash(grey) };
  lap('hash');

  if (options.reference) {
    let reference: GreyImage | undefined;
    if ('seed' in options.reference) {
      try {
        reference = await renderReference(spec, options.reference.seed);
      } catch (error) {
        result.partial.push({ component: 'ssim', reason: String(error) });
      }
      lap('reference');
    } else {
      reference = options.reference;
    }
    if (reference) {
      if (reference.width !== grey.width || reference.height !== grey.height) {
        result.components.ssim = 0;
        result.evidence.ssim = {
          error: `size ${grey.width}×${grey.height} differs from the reference ${reference.width}×${reference.height}`,
        };
      } else {
        const value = ssim(grey, reference);
        result.components.ssim = Math.max(0, value);
        result.evidence.ssim = { value };
      }
      lap('ssim');
    }
  }
  return finish();
}
