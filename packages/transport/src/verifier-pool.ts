// Signature checks (and the reply's countersignature) on worker threads running
// @polkadot-labs/schnorrkel-wasm, in batches packed into one transferred buffer each way.
import { Worker } from 'node:worker_threads';
import {
  canonicalToEd25519Secret,
  isSchnorrkelSecret,
  type Keypair,
  SR25519_WASM_MODULE_PATH,
} from '@subnetkit/wallet';
import { TransportError } from './errors.js';
import type { SignatureVerifier, VerifyJob, VerifyOutcome } from './signing.js';

// The worker is plain CommonJS evaluated from a string, so it runs the same from TypeScript
// sources (tests, tsx) and from the built package.
//
// A batch is one ArrayBuffer: u32 count, then per job u8 flags (1: countersign), public key
// (32), signature (64), u16 length + message, u16 length + countersign message. The answer is
// one ArrayBuffer of 65 bytes per job: u8 ok, then the countersignature (zeros when none).
//
// schnorrkel-wasm aborts (a wasm trap) on a public key or signature it cannot parse, and its
// instance is corrupt afterwards. Signatures are checked for form here (the wallet's
// isSchnorrkelSignature, restated in this CommonJS), keys by the caller (HotkeyCache, with the
// wallet's isSr25519PublicKey); should a trap still happen, the job fails and the module is
// loaded anew.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const libPath = workerData.libPath;
console.error = () => {}; // the library's panic hook prints a stack trace per abort
let sk = require(libPath);
const reload = () => { delete require.cache[libPath]; sk = require(libPath); };
const L = [0xed,0xd3,0xf5,0x5c,0x1a,0x63,0x12,0x58,0xd6,0x9c,0xf7,0xa2,0xde,0xf9,0xde,0x14,
  0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0x10];
const wellFormed = (b, at) => {
  const last = b[at + 63];
  if ((last & 0x80) === 0) return false;
  if ((last & 0x70) === 0) return true;
  for (let i = 31; i >= 0; i--) {
    const x = i === 31 ? last & 0x7f : b[at + 32 + i];
    if (x !== L[i]) return x < L[i];
  }
  return false;
};
const verify = (pub, msg, sig) => {
  try { return sk.sr25519_verify(pub, msg, sig); } catch { reload(); return false; }
};
const open = Buffer.from('<Bytes>'), close = Buffer.from('</Bytes>');
const pub = workerData.publicKey, secret = workerData.secretKey;
parentPort.on('message', (buf) => {
  const b = new Uint8Array(buf);
  const dv = new DataView(buf);
  const n = dv.getUint32(0, true);
  const out = new Uint8Array(n * 65);
  let at = 4;
  for (let i = 0; i < n; i++) {
    const flags = b[at];
    const key = b.subarray(at + 1, at + 33);
    const sigAt = at + 33;
    const sig = b.subarray(sigAt, sigAt + 64);
    const mlen = dv.getUint16(at + 97, true);
    const msg = b.subarray(at + 99, at + 99 + mlen);
    at += 99 + mlen;
    const clen = dv.getUint16(at, true);
    const cs = b.subarray(at + 2, at + 2 + clen);
    at += 2 + clen;
    let ok = wellFormed(b, sigAt) && (verify(key, msg, sig) ||
      verify(key, Buffer.concat([open, msg, close]), sig));
    if (ok && (flags & 1) && secret) {
      try { out.set(sk.sr25519_sign(pub, secret, cs), i * 65 + 1); }
      catch { reload(); ok = false; }
    }
    out[i * 65] = ok ? 1 : 0;
  }
  parentPort.postMessage(out.buffer, [out.buffer]);
});
parentPort.postMessage('ready');
`;

const JOB_FIXED = 1 + 32 + 64 + 2 + 2;
const ANSWER = 65;
/** Batches sent to one worker and not yet answered; more jobs wait and go as one batch. */
const MAX_BATCHES_IN_FLIGHT = 2;

interface Batch {
  jobs: VerifyJob[];
  resolvers: ((o: VerifyOutcome) => void)[];
  rejecters: ((e: unknown) => void)[];
}

interface PoolWorker {
  worker: Worker;
  ready: Promise<void>;
  /** Jobs not yet sent. */
  queue: Batch | null;
  inflight: Batch[];
  failed: boolean;
}

export interface VerifierPoolOptions {
  /** Worker threads (≥ 1). */
  size: number;
  /** The axon's keypair, for countersigning replies inside the workers. */
  signer?: Keypair;
}

/** A verifier pool; `threads` is exposed for tests and diagnostics. */
export interface VerifierPool extends SignatureVerifier {
  readonly kind: 'pool';
  readonly threads: readonly Worker[];
}

/** Packs a batch into one buffer (see WORKER_SOURCE for the layout). */
export function packBatch(jobs: readonly VerifyJob[]): ArrayBuffer {
  let size = 4;
  for (const j of jobs) size += JOB_FIXED + j.message.length + (j.countersign?.length ?? 0);
  const buf = new ArrayBuffer(size);
  const b = new Uint8Array(buf);
  const dv = new DataView(buf);
  dv.setUint32(0, jobs.length, true);
  let at = 4;
  for (const j of jobs) {
    if (j.publicKey.length !== 32 || j.signature.length !== 64) {
      throw new TransportError('INVALID_OPTIONS', 'verify job: key or signature of wrong size');
    }
    if (j.message.length > 0xffff || (j.countersign?.length ?? 0) > 0xffff) {
      throw new TransportError('INVALID_OPTIONS', 'verify job: message over 65535 bytes');
    }
    b[at] = j.countersign ? 1 : 0;
    b.set(j.publicKey, at + 1);
    b.set(j.signature, at + 33);
    dv.setUint16(at + 97, j.message.length, true);
    b.set(j.message, at + 99);
    at += 99 + j.message.length;
    const cs = j.countersign ?? new Uint8Array(0);
    dv.setUint16(at, cs.length, true);
    b.set(cs, at + 2);
    at += 2 + cs.length;
  }
  return buf;
}

/**
 * A pool of worker threads verifying (and countersigning) in batches. A worker has at most
 * two batches in flight: jobs arriving while it is busy wait on this thread and go as one
 * batch, so under load there are few messages per job. A caller's jobs always go to the same
 * worker, so they complete in the order they arrived (nonces stay increasing). A worker that
 * dies fails its jobs with `VERIFY_POOL_FAILED`, and so does every later job: the caller
 * decides what to do (the axon verifies inline from then on).
 */
export async function createVerifierPool(options: VerifierPoolOptions): Promise<VerifierPool> {
  const size = options.size;
  if (!Number.isInteger(size) || size < 1) {
    throw new TransportError(
      'INVALID_OPTIONS',
      `verifier pool size must be an integer ≥ 1, got ${size}`,
    );
  }
  // schnorrkel-wasm takes the secret in the ed25519 (cofactor-multiplied) form, as
  // @polkadot/wasm-crypto did; the canonical form signs, but nothing verifies its signatures.
  const secretKey = options.signer
    ? canonicalToEd25519Secret(options.signer.exportSecretKey())
    : undefined;
  if (secretKey && !isSchnorrkelSecret(secretKey)) {
    throw new TransportError(
      'INVALID_OPTIONS',
      'verifier pool: the signer secret is not one schnorrkel can sign with',
    );
  }
  const workerData = {
    libPath: SR25519_WASM_MODULE_PATH,
    publicKey: options.signer?.publicKey,
    secretKey,
  };
  let closed = false;
  let failure: TransportError | undefined;
  const workers: PoolWorker[] = [];

  const failAll = (err: unknown) => {
    if (closed || failure) return;
    failure = new TransportError('VERIFY_POOL_FAILED', `signature worker failed: ${String(err)}`, {
      cause: err,
    });
    for (const pw of workers) {
      pw.failed = true;
      for (const batch of pw.inflight.splice(0)) for (const r of batch.rejecters) r(failure);
      if (pw.queue) for (const r of pw.queue.rejecters) r(failure);
      pw.queue = null;
    }
    for (const pw of workers) void pw.worker.terminate();
  };

  const send = (pw: PoolWorker) => {
    const batch = pw.queue;
    if (!batch || pw.failed) return;
    pw.queue = null;
    pw.inflight.push(batch);
    let buf: ArrayBuffer;
    try {
      buf = packBatch(batch.jobs);
    } catch (err) {
      pw.inflight.pop();
      for (const r of batch.rejecters) r(err);
      return;
    }
    pw.worker.postMessage(buf, [buf]);
  };

  for (let i = 0; i < size; i++) {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
    worker.unref();
    const pw: PoolWorker = {
      worker,
      queue: null,
      inflight: [],
      failed: false,
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
    worker.on('message', (m: ArrayBuffer | 'ready') => {
      if (m === 'ready') return;
      const batch = pw.inflight.shift();
      if (!batch) return;
      const a = new Uint8Array(m);
      batch.resolvers.forEach((resolve, k) => {
        const ok = a[k * ANSWER] === 1;
        resolve(
          ok && batch.jobs[k]!.countersign
            ? { ok, countersignature: a.subarray(k * ANSWER + 1, (k + 1) * ANSWER) }
            : { ok },
        );
      });
      // Jobs that waited while this worker was busy go now, as one batch.
      if (pw.queue && pw.inflight.length < MAX_BATCHES_IN_FLIGHT) send(pw);
    });
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`verifier worker exited with code ${code}`)));
    workers.push(pw);
  }
  try {
    await Promise.all(workers.map((w) => w.ready));
  } catch (err) {
    closed = true;
    await Promise.all(workers.map((w) => w.worker.terminate()));
    throw new TransportError('VERIFY_POOL_FAILED', `signature worker failed to start: ${err}`, {
      cause: err,
    });
  }

  const shardOf = (key: string): PoolWorker => {
    let h = 2166136261;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
    return workers[(h >>> 0) % workers.length]!;
  };

  return {
    kind: 'pool',
    size,
    threads: workers.map((w) => w.worker),
    run(job, shardKey) {
      if (closed || failure) {
        return Promise.reject(
          failure ?? new TransportError('VERIFY_POOL_FAILED', 'verifier pool is closed'),
        );
      }
      const pw = shardOf(shardKey);
      return new Promise<VerifyOutcome>((resolve, reject) => {
        if (!pw.queue) {
          pw.queue = { jobs: [], resolvers: [], rejecters: [] };
          // Jobs of this event-loop turn go together; a busy worker gets them when it answers.
          setImmediate(() => {
            if (pw.inflight.length < MAX_BATCHES_IN_FLIGHT) send(pw);
          });
        }
        pw.queue.jobs.push(job);
        pw.queue.resolvers.push(resolve);
        pw.queue.rejecters.push(reject);
      });
    },
    async close() {
      closed = true;
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
