/**
 * What checks an answer: the worker pool (`createCheckPool`, every core) or the main thread
 * (`inlineChecker`, for tests and `--image.workers 0`). Both run the same `checkImage`.
 */
import { checkImage, type ImageCheckResult } from '../checks/check-image.js';
import type { OcrEngine } from '../checks/ocr-engine.js';
import { createPaddleOcr } from '../checks/ocr-paddle.js';
import { createTesseractOcr } from '../checks/ocr-tesseract.js';
import { type CheckPool, type CheckTask, createCheckPool, type PoolOcr } from '../pool.js';

export interface ImageChecker {
  check(task: CheckTask): Promise<ImageCheckResult>;
  close(): Promise<void>;
}

function ocrEngine(ocr: PoolOcr): OcrEngine | null {
  if (ocr === 'paddle') return createPaddleOcr();
  if (ocr === 'tesseract') return createTesseractOcr();
  return null;
}

/** Checks on the calling thread, with one OCR engine. */
export function inlineChecker(options: { ocr: PoolOcr }): ImageChecker {
  const engine = ocrEngine(options.ocr);
  return {
    check: (task) =>
      checkImage(task.bytes, task.spec, {
        ocr: engine,
        ...(task.referenceSeed ? { reference: { seed: task.referenceSeed } } : {}),
        ...(task.decode ? { decode: task.decode } : {}),
      }),
    close: async () => {
      await engine?.close();
    },
  };
}

/** `--image.workers` threads (0: the main thread) with `--image.ocr` in each. */
export function createImageChecker(options: { workers: number; ocr: PoolOcr }): ImageChecker {
  if (options.workers === 0) return inlineChecker({ ocr: options.ocr });
  const pool: CheckPool = createCheckPool({ threads: options.workers, ocr: options.ocr });
  return pool;
}
