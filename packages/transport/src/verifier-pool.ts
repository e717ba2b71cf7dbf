// Signature checks on worker threads running @polkadot/wasm-crypto directly, in batches.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { canonicalToEd25519Secret, type Keypair } from '@subnetkit/wallet';
import { TransportError } from './errors.js';
import type { SignatureVerifier, VerifyJob, VerifyOutcome } from './signing.js';

// The worker is plain CommonJS evaluated from a string, so it runs the same from TypeScript
// sources (tests, tsx) and from the built package.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const wasm = require(workerData.wasmPath);
const open = Buffer.from('<Bytes>'), close = Buffer.from('</Bytes>');
wasm.waitReady().then((ready) => {
  if (!ready) throw new Error('wasm-crypto failed to initialise');
  const pub = workerData.publicKey, secret = workerData.secretKey;
  parentPort.on('message', (batch) => {
    const n = batch.length;
    const ok = new Uint8Array(n);
    const sigs = new Array(n);
    for (let i = 0; i < n; i++) {
      const job = batch[i];
      const m = job.message;
      let good = wasm.sr25519Verify(job.signature, m, job.publicKey);
      if (!good) good = wasm.sr25519Verify(job.signature, Buffer.concat([open, m, close]), job.publicKey);
      ok[i] = good ? 1 : 0;
      if (good && job.countersign && secret) sigs[i] = wasm.sr25519Sign(pub, secret, job.countersign);
    }
    parentPort.postMessage({ ok, sigs });
  });
  parentPort.postMessage('ready');
});
`;

interface Pending {
  jobs: VerifyJob[];
  resolvers: ((o: VerifyOutcome) => void)[];
  rejecters: ((e: unknown) => void)[];
}

interface PoolWorker {
  worker: Worker;
  ready: Promise<void>;
  queue: Pending | null;
  inflight: Pending[];
  load: number;
}

export interface VerifierPoolOptions {
  /** Worker threads (≥ 1). */
  size: number;
  /** The axon's keypair, for countersigning replies inside the workers. */
  signer?: Keypair;
}

/**
 * A pool of worker threads verifying (and countersigning) in batches: jobs queued in one event
 * loop turn go to a worker as one message. A caller's jobs always go to the same worker, so
 * they complete in the order they arrived (nonces stay increasing).
 */
export async function createVerifierPool(options: VerifierPoolOptions): Promise<SignatureVerifier> {
  const size = options.size;
  if (!Number.isInteger(size) || size < 1) {
    throw new TransportError(
      'INVALID_OPTIONS',
      `verifier pool size must be an integer ≥ 1, got ${size}`,
    );
  }
  const wasmPath = createRequire(import.meta.url).resolve('@polkadot/wasm-crypto');
  const workerData = {
    wasmPath,
    publicKey: options.signer?.publicKey,
    secretKey: options.signer
      ? canonicalToEd25519Secret(options.signer.exportSecretKey())
      : undefined,
  };
  let closed = false;
  let failure: unknown;
  const workers: PoolWorker[] = [];
  for (let i = 0; i < size; i++) {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    worker.unref();
    const pw: PoolWorker = {
      worker,
      queue: null,
      inflight: [],
      load: 0,
      ready: new Promise<void>((resolve, reject) => {
        const onMessage = (m: unknown) => {
          if (m === 'ready') {
            worker.off('message', onMessage);
            resolve();
          }
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`verifier worker exited with ${code}`)));
      }),
    };
    worker.on('message', (m: { ok: Uint8Array; sigs: (Uint8Array | undefined)[] } | 'ready') => {
      if (m === 'ready') return;
      const batch = pw.inflight.shift();
      if (!batch) return;
      pw.load -= batch.jobs.length;
      batch.resolvers.forEach((resolve, i) => {
        const sig = m.sigs[i];
        resolve(sig ? { ok: m.ok[i] === 1, countersignature: sig } : { ok: m.ok[i] === 1 });
      });
    });
    const fail = (err: unknown) => {
      if (closed) return;
      failure = err;
      const error = new TransportError(
        'VERIFY_POOL_FAILED',
        `signature worker failed: ${String(err)}`,
        {
          cause: err,
        },
      );
      for (const batch of pw.inflight.splice(0)) for (const r of batch.rejecters) r(error);
      if (pw.queue) for (const r of pw.queue.rejecters) r(error);
      pw.queue = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit ${code}`)));
    workers.push(pw);
  }
  await Promise.all(workers.map((w) => w.ready));

  const flush = (pw: PoolWorker) => {
    const batch = pw.queue;
    pw.queue = null;
    if (!batch) return;
    pw.inflight.push(batch);
    pw.worker.postMessage(batch.jobs);
  };

  const shardOf = (key: string): PoolWorker => {
    let h = 2166136261;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
    return workers[(h >>> 0) % workers.length]!;
  };

  return {
    kind: 'pool',
    size,
    run(job, shardKey) {
      if (closed || failure) {
        return Promise.reject(
          new TransportError(
            'VERIFY_POOL_FAILED',
            closed ? 'verifier pool is closed' : String(failure),
          ),
        );
      }
      const pw = shardOf(shardKey);
      return new Promise<VerifyOutcome>((resolve, reject) => {
        if (!pw.queue) {
          pw.queue = { jobs: [], resolvers: [], rejecters: [] };
          setImmediate(() => flush(pw));
        }
        pw.queue.jobs.push(job);
        pw.queue.resolvers.push(resolve);
        pw.queue.rejecters.push(reject);
        pw.load++;
      });
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
