// The text check: crop the text band, read it with an OCR engine, compare with the expected text
// by normalised edit distance. Without a working engine the component is partial (excluded from
// the score), never a made-up number.
import type { ImageTaskSpec } from '../prompt/spec.js';
import type { DecodedImage } from './decode.js';
import { textSimilarity } from './levenshtein.js';
import { type OcrEngine, OcrUnavailableError } from './ocr-engine.js';
import { cropTextBand } from './text-crop.js';

export type TextCheck =
  | {
      status: 'scored';
      score: number;
      expected: string;
      read: string;
      confidence?: number;
      engine: string;
      box: { x: number; y: number; width: number; height: number } | null;
    }
  | { status: 'partial'; reason: string; engine: string | null }
  | { status: 'not-requested' };

export async function checkText(
  image: DecodedImage,
  spec: Pick<ImageTaskSpec, 'text'>,
  engine: OcrEngine | null | undefined,
): Promise<TextCheck> {
  if (!spec.text) return { status: 'not-requested' };
  const expected = spec.text.value;
  if (!engine) return { status: 'partial', reason: 'no OCR engine configured', engine: null };
  const crop = cropTextBand(image);
  if (!crop) {
    // Nothing stands out in the band: there is no text to read, which scores 0 without OCR.
    return { status: 'scored', score: 0, expected, read: '', engine: engine.name, box: null };
  }
  try {
    const reading = await engine.read(crop);
    return {
      status: 'scored',
      score: textSimilarity(expected, reading.text),
      expected,
      read: reading.text,
      ...(reading.confidence === undefined ? {} : { confidence: reading.confidence }),
      engine: engine.name,
      box: crop.box,
    };
  } catch (error) {
    const reason =
      error instanceof OcrUnavailableError
        ? error.message
        : `OCR failed: ${error instanceof Error ? error.message : String(error)}`;
    return { status: 'partial', reason, engine: engine.name };
  }
}
