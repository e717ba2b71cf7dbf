// The body of a check-pool worker thread: one OCR engine per thread, created on first use.
import { workerData } from 'node:worker_threads';
import { type CheckOptions, checkImage, type ImageCheckResult } from './checks/check-image.js';
import type { OcrEngine } from './checks/ocr-engine.js';
import { createPaddleOcr } from './checks/ocr-paddle.js';
import { createTesseractOcr } from './checks/ocr-tesseract.js';
import type { CheckTask, PoolOcr } from './pool.js';

const ocrKind = ((workerData as { ocr?: PoolOcr } | undefined)?.ocr ?? 'paddle') satisfies PoolOcr;
let engine: OcrEngine | null | undefined;

function ocr(): OcrEngine | null {
  if (engine === undefined) {
    engine =
      ocrKind === 'paddle'
        ? createPaddleOcr()
        : ocrKind === 'tesseract'
          ? createTesseractOcr()
          : null;
  }
  return engine;
}

export default async function run(task: CheckTask): Promise<ImageCheckResult> {
  const options: CheckOptions = { ocr: ocr() };
  if (task.decode) options.decode = task.decode;
  if (task.reference) options.reference = task.reference;
  else if (task.referenceSeed) options.reference = { seed: task.referenceSeed };
  return checkImage(task.bytes, task.spec, options);
}
