// Signature messages of the wire protocol, and the verifiers that check them: inline on the
// event loop, or in a pool of worker threads running @polkadot/wasm-crypto directly.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  BITTENSOR_SS58_PREFIX,
  canonicalToEd25519Secret,
  decodeAddress,
  type Keypair,
  verifySignature,
} from '@subnetkit/wallet';
import { TransportError } from './errors.js';

const utf8 = new TextEncoder();

/** `{nonce}.{dendrite_hotkey}.{axon_hotkey}.{dendrite_uuid}.{body_hash}`: what a dendrite signs. */
export function requestMessage(
  nonce: bigint,
  dendriteHotkey: string,
  axonHotkey: string,
  uuid: string,
  bodyHash: string,
): string {
  return `${nonce}.${dendriteHotkey}.${axonHotkey}.${uuid}.${bodyHash}`;
}

/** `{axon_nonce}.{dendrite_hotkey}.{axon_hotkey}.{axon_uuid}`: what an axon signs. */
export function axonMessage(
  nonce: bigint,
  dendriteHotkey: string,
  axonHotkey: string,
  uuid: string,
): string {
  return `${nonce}.${dendriteHotkey}.${axonHotkey}.${uuid}`;
}

const BYTES_OPEN = utf8.encode('<Bytes>');
const BYTES_CLOSE = utf8.encode('</Bytes>');

/** polkadot.js `signRaw` signs `<Bytes>` + message + `</Bytes>`; verifiers accept both. */
export function wrapBytes(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(BYTES_OPEN.length + message.length + BYTES_CLOSE.length);
  out.set(BYTES_OPEN, 0);
  out.set(message, BYTES_OPEN.length);
  out.set(BYTES_CLOSE, BYTES_OPEN.length + message.length);
  return out;
}

const SIG_RE = /^0x[0-9a-fA-F]{128}$/;

/** `0x` + 128 hex digits → 64 bytes, or `undefined` if malformed. */
export function parseSignature(text: string | undefined): Uint8Array | undefined {
  if (text === undefined || !SIG_RE.test(text)) return undefined;
  return new Uint8Array(Buffer.from(text.slice(2), 'hex'));
}

/**
 * SS58 hotkey → public key, with a bounded cache (decoding costs a blake2b checksum). Only
 * Bittensor's prefix 42 is accepted, so one key has one spelling in nonce keys and blacklists.
 */
export class HotkeyCache {
  readonly #cache = new Map<string, Uint8Array>();
  constructor(private readonly max = 10_000) {}
  publicKey(hotkey: string): Uint8Array | undefined {
    const hit = this.#cache.get(hotkey);
    if (hit) return hit;
    let key: Uint8Array;
    try {
      key = decodeAddress(hotkey, BITTENSOR_SS58_PREFIX).publicKey;
    } catch {
      return undefined;
    }
    if (this.#cache.size >= this.max) this.#cache.clear();
    this.#cache.set(hotkey, key);
    return key;
  }
}

/** Verifies `signature` over `message`, then over its `<Bytes>` wrapping. */
export function verifyWrapped(
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  return (
    verifySignature(message, signature, publicKey) ||
    verifySignature(wrapBytes(message), signature, publicKey)
  );
}

export interface VerifyJob {
  message: Uint8Array;
  signature: Uint8Array;
  publicKey: Uint8Array;
  /** When the signature holds, also sign this with the verifier's keypair (the axon's reply). */
  countersign?: Uint8Array;
}

export interface VerifyOutcome {
  ok: boolean;
  countersignature?: Uint8Array;
}

/** Where signature checks run. `shardKey` keeps one caller's jobs in order (same worker). */
export interface SignatureVerifier {
  readonly kind: 'inline' | 'pool';
  readonly size: number;
  run(job: VerifyJob, shardKey: string): VerifyOutcome | Promise<VerifyOutcome>;
  close(): Promise<void>;
}

/** Checks signatures on the calling thread. */
export function createInlineVerifier(signer?: Keypair): SignatureVerifier {
  return {
    kind: 'inline',
    size: 0,
    run(job) {
      const ok = verifyWrapped(job.message, job.signature, job.publicKey);
      if (!ok || !job.countersign || !signer) return { ok };
      return { ok, countersignature: signer.sign(job.countersign) };
    },
    async close() {},
  };
}

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
