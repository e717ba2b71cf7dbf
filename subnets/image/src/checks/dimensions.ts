// Exact size: the task asks for width × height pixels, nothing else passes.
import type { ImageTaskSpec } from '../prompt/spec.js';

export interface DimensionsResult {
  /** 1 when the size is exact, else 0. */
  score: number;
  expected: { width: number; height: number };
  actual: { width: number; height: number };
}

export function checkDimensions(
  image: { width: number; height: number },
  spec: Pick<ImageTaskSpec, 'width' | 'height'>,
): DimensionsResult {
  const exact = image.width === spec.width && image.height === spec.height;
  return {
    score: exact ? 1 : 0,
    expected: { width: spec.width, height: spec.height },
    actual: { width: image.width, height: image.height },
  };
}
