// What sr25519 alone costs on this machine, for the crypto floor of the signed axon: every
// accepted request costs one verify and one sign (the reply's countersignature).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sr25519Verify, waitReady } from '@polkadot/wasm-crypto';
import { canonicalToEd25519Secret, SR25519_WASM_MODULE_PATH } from '@subnetkit/wallet';
import { requestMessage } from '../src/index.js';
import { alice, bob } from './signed-requests.js';

await waitReady();
// The same CommonJS build the verifier pool's workers load.
const schnorrkelPath = SR25519_WASM_MODULE_PATH;
const sk = createRequire(import.meta.url)(schnorrkelPath) as {
  sr25519_verify(pub: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean;
  sr25519_sign(pub: Uint8Array, secret: Uint8Array, msg: Uint8Array): Uint8Array;
};

const msg = new TextEncoder().encode(
  requestMessage(1n, alice.ss58Address, bob.ss58Address, 'u', 'h'.repeat(64)),
);
const sig = alice.sign(msg);
const edSecret = canonicalToEd25519Secret(bob.exportSecretKey());

export interface OpCost {
  /** Wall µs per operation (the best of the samples: other work only slows it down). */
  us: number;
  /** CPU µs per operation over the same samples (steadier on a shared machine). */
  cpuUs: number;
}

/** Best-of-`samples` cost of `op` in samples of `ms` each. */
export function opCost(op: () => unknown, samples = 6, ms = 150): OpCost {
  let best = Number.POSITIVE_INFINITY;
  let cpu = Number.POSITIVE_INFINITY;
  for (let s = 0; s < samples; s++) {
    let n = 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      for (let i = 0; i < 5; i++) op();
      n += 5;
    }
    const wall = ((performance.now() - t0) * 1000) / n;
    const c = process.cpuUsage(c0);
    best = Math.min(best, wall);
    cpu = Math.min(cpu, (c.user + c.system) / n);
  }
  return { us: best, cpuUs: cpu };
}

/** The verifier pool's library: schnorrkel-wasm. */
export const schnorrkel = {
  verify: (samples?: number) => opCost(() => sk.sr25519_verify(alice.publicKey, msg, sig), samples),
  sign: (samples?: number) => opCost(() => sk.sr25519_sign(bob.publicKey, edSecret, msg), samples),
};

/** @polkadot/wasm-crypto (the library the pool used before), and the wallet's Keypair.sign. */
export const walletCrypto = {
  verify: (samples?: number) => opCost(() => sr25519Verify(sig, msg, alice.publicKey), samples),
  sign: (samples?: number) => opCost(() => bob.sign(msg), samples),
};

const LOOP_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sk = require(workerData.path);
const { pub, msg, sig, spub, secret, ms } = workerData;
let n = 0;
const t0 = performance.now();
while (performance.now() - t0 < ms) {
  sk.sr25519_verify(pub, msg, sig);
  sk.sr25519_sign(spub, secret, msg);
  n++;
}
parentPort.postMessage(n / ((performance.now() - t0) / 1000));
`;

/**
 * verify + sign pairs per second with `threads` threads at once, each looping for `ms`: the
 * crypto floor as this machine gives it right now (the other jobs on it included).
 */
export async function concurrentPairs(threads: number, ms = 1000): Promise<number> {
  const rates = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(LOOP_SOURCE, {
            eval: true,
            workerData: {
              path: schnorrkelPath,
              pub: alice.publicKey,
              msg,
              sig,
              spub: bob.publicKey,
              secret: edSecret,
              ms,
            },
          });
          w.once('message', (r: number) => {
            resolve(r);
            void w.terminate();
          });
          w.once('error', reject);
        }),
    ),
  );
  return rates.reduce((a, b) => a + b, 0);
}
