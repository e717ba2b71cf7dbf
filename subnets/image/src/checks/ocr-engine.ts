// What an OCR engine is to the checks: read one line of text from a tight greyscale crop.
import type { TextCrop } from './text-crop.js';

export interface OcrReading {
  text: string;
  /** Mean per-character confidence in [0, 1], when the engine reports one. */
  confidence?: number;
}

export interface OcrEngine {
  readonly name: string;
  /** Throws OcrUnavailableError when the engine cannot run here (missing model or binary). */
  read(crop: TextCrop): Promise<OcrReading>;
  close(): Promise<void>;
}

/** The engine cannot run on this machine: the text component is partial, never faked. */
export class OcrUnavailableError extends Error {
  override readonly name = 'OcrUnavailableError';
  readonly code = 'OCR_UNAVAILABLE';
}
