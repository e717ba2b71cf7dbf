// OCR with Debian's tesseract (package tesseract-ocr) through its CLI: one process per crop,
// single-line mode, LSTM engine, uppercase letters and digits only.
import { spawn } from 'node:child_process';
import sharp from 'sharp';
import { type OcrEngine, type OcrReading, OcrUnavailableError } from './ocr-engine.js';
import type { TextCrop } from './text-crop.js';

export interface TesseractOptions {
  /** Default 'tesseract' on PATH. */
  binary?: string;
  /** Per-crop timeout, default 10 s. */
  timeoutMs?: number;
}

const WHITELIST = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ';

export function createTesseractOcr(options: TesseractOptions = {}): OcrEngine {
  const binary = options.binary ?? 'tesseract';
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    name: 'tesseract',
    async read(crop: TextCrop): Promise<OcrReading> {
      const png = await sharp(crop.data, {
        raw: { width: crop.width, height: crop.height, channels: 1 },
      })
        .resize({ height: 64 })
        .png()
        .toBuffer();
      const args = ['stdin', 'stdout', '--psm', '7', '--oem', '1'];
      args.push('-c', `tessedit_char_whitelist=${WHITELIST}`);
      const text = await new Promise<string>((resolve, reject) => {
        const child = spawn(binary, args, {
          env: { ...process.env, OMP_THREAD_LIMIT: '1' },
          stdio: ['pipe', 'pipe', 'pipe'],
          timeout: timeoutMs,
        });
        let out = '';
        let err = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d;
        });
        child.stderr.setEncoding('utf8').on('data', (d: string) => {
          err += d;
        });
        child.on('error', (cause: NodeJS.ErrnoException) => {
          reject(
            cause.code === 'ENOENT'
              ? new OcrUnavailableError(
                  `${binary} is not installed (apt-get install tesseract-ocr)`,
                )
              : cause,
          );
        });
        child.on('close', (code, signal) => {
          if (code === 0) resolve(out.trim());
          else reject(new Error(`${binary} exited with ${code ?? signal}: ${err.trim()}`));
        });
        child.stdin.on('error', () => {});
        child.stdin.end(png);
      });
      return { text };
    },
    async close() {},
  };
}
