export {
  type CheckOptions,
  COMPONENTS,
  type ComponentName,
  checkImage,
  type ImageCheckResult,
  type Stage,
} from './check-image.js';
export {
  analyseColour,
  borderColour,
  type ColourResult,
  type ColourThresholds,
  DEFAULT_COLOUR_THRESHOLDS,
} from './colour.js';
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_PIXELS,
  type DecodedImage,
  type DecodeFailure,
  type DecodeFailureCode,
  type DecodeOptions,
  type DecodeResult,
  decodeImage,
  type ImageFormat,
  sniffFormat,
} from './decode.js';
export { checkDimensions, type DimensionsResult } from './dimensions.js';
export { type GreyImage, resizeArea, toGrey } from './grey.js';
export { deltaE76, deltaE2000, type Lab, rgbToLab } from './lab.js';
export { levenshtein, normaliseText, textSimilarity } from './levenshtein.js';
export { checkText, type TextCheck } from './ocr.js';
export { type OcrEngine, type OcrReading, OcrUnavailableError } from './ocr-engine.js';
export { createPaddleOcr, type PaddleOcrOptions } from './ocr-paddle.js';
export { createTesseractOcr, type TesseractOptions } from './ocr-tesseract.js';
export {
  dHash,
  type Hash64,
  type HashOwner,
  hammingDistance,
  NearDuplicateIndex,
  type NearMatch,
  pHash,
} from './phash.js';
export { type LabelMap, labelMap, NONE, paletteLut } from './quantise.js';
export { renderReference } from './reference.js';
export {
  analyseShapes,
  type Component,
  classifyFill,
  type ShapeGroupEvidence,
  type ShapesResult,
} from './shapes.js';
export { ssim } from './ssim.js';
export { cropTextBand, type TextCrop } from './text-crop.js';
