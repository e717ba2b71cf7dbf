// checkImage on worker threads with piscina. Each worker keeps its own OCR engine (an
// onnxruntime session), so OCR runs in parallel across threads, one intra-op thread each.
//
// Workers must also run from the TypeScript sources (tests, tsx). Like the transport's verifier
// pool, the worker side needs no build: when this file is a .ts, each worker starts with tsx's
// ESM hooks registered by a `--import` data: URL, and then loads pool-worker.ts itself.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { ImageCheckResult } from './checks/check-image.js';
import type { DecodeOptions } from './checks/decode.js';
import type { GreyImage } from './checks/grey.js';
import { ImageSubnetError } from './errors.js';
import type { ImageTaskSpec } from './prompt/spec.js';

export type PoolOcr = 'paddle' | 'tesseract' | 'none';

export interface CheckPoolOptions {
  /** Worker threads (≥ 1). */
  threads: number;
  /** OCR engine in each worker; default 'paddle' (PP-OCRv4 on onnxruntime-node). */
  ocr?: PoolOcr;
}

export interface CheckTask {
  bytes: Uint8Array;
  spec: ImageTaskSpec;
  /** Also score SSIM against the validator's own procedural render from this seed … */
  referenceSeed?: Uint8Array;
  /** … or against this reference, rendered once per task (`renderReference`). */
  reference?: GreyImage;
  decode?: DecodeOptions;
}

export interface CheckPool {
  readonly threads: number;
  check(task: CheckTask): Promise<ImageCheckResult>;
  close(): Promise<void>;
}

/** The `--import` that registers tsx in a worker, when running from sources. */
function tsxImportFlag(): string {
  const require = createRequire(import.meta.url);
  let api: string;
  try {
    const pkgPath = require.resolve('tsx/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
      exports: Record<string, { import?: { default?: string } }>;
    };
    const entry = pkg.exports['./esm/api']?.import?.default;
    if (!entry) throw new Error('tsx has no ./esm/api export');
    api = pathToFileURL(join(dirname(pkgPath), entry)).href;
  } catch (cause) {
    throw new ImageSubnetError(
      'POOL_FAILED',
      `running from TypeScript sources, the check pool needs tsx: ${String(cause)}`,
      { cause },
    );
  }
  const code = `import { register } from ${JSON.stringify(api)}; register();`;
  return `--import=data:text/javascript,${encodeURIComponent(code)}`;
}

export function createCheckPool(options: CheckPoolOptions): CheckPool {
  const { threads } = options;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new ImageSubnetError(
      'INVALID_ARGUMENT',
      `threads: must be an integer ≥ 1, got ${threads}`,
      {
        field: 'threads',
      },
    );
  }
  const ocr = options.ocr ?? 'paddle';
  if (!['paddle', 'tesseract', 'none'].includes(ocr)) {
    throw new ImageSubnetError('INVALID_ARGUMENT', `ocr: must be paddle, tesseract or none`, {
      field: 'ocr',
    });
  }
  const fromSource = import.meta.url.endsWith('.ts');
  const filename = new URL(fromSource ? './pool-worker.ts' : './pool-worker.js', import.meta.url)
    .href;
  const pool = new Piscina<CheckTask, ImageCheckResult>({
    filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData: { ocr },
    execArgv: fromSource ? [...process.execArgv, tsxImportFlag()] : process.execArgv,
  });
  let closed = false;
  return {
    threads,
    async check(task) {
      if (closed) throw new ImageSubnetError('POOL_FAILED', 'the check pool is closed');
      try {
        return await pool.run(task);
      } catch (cause) {
        throw new ImageSubnetError('POOL_FAILED', `check worker failed: ${String(cause)}`, {
          cause,
        });
      }
    },
    async close() {
      closed = true;
      await pool.destroy();
    },
  };
}
