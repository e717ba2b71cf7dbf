/**
 * Benchmarks for @subnetkit/timelock. Run: `pnpm exec tsx bench/tle.ts` (or `pnpm bench`).
 *
 * Baseline, measured in the same run: the reference Rust `tle` (arkworks 0.4.2) compiled to wasm
 * (@ideallabs/timelock_wasm_wrapper, a devDependency) doing the same encryption/decryption.
 * Ratios > 1 mean this package is slower than the reference wasm.
 */
import { performance } from 'node:perf_hooks';
import {
  createDrandSimulator,
  decrypt,
  encodeWeightsPayload,
  encrypt,
  QUICKNET,
  roundMessage,
  verifyBeacon,
} from '../src/index.js';
import { referenceDecrypt, referenceEncrypt } from '../test/reference-wasm.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function time(fn: () => unknown, minIters = 10, minMs = 1500): number {
  for (let i = 0; i < 2; i++) fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minIters || performance.now() - start < minMs) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

const uids = Array.from({ length: 256 }, (_, i) => i);
const payload = encodeWeightsPayload({
  hotkey: new Uint8Array(32).fill(7),
  uids,
  values: uids.map((u) => (u * 257) % 65536),
  versionKey: 1,
});
const sim = createDrandSimulator({ seed: 'bench' });
const round = 123_456;
const pulse = sim.pulse(round);
const esk = new Uint8Array(32).fill(5);
const ours = encrypt(payload, round, sim.publicKey);
const theirs = referenceEncrypt(roundMessage(round), payload, esk, sim.publicKey);

const rows: [string, number, number | undefined][] = [];
const refEnc = time(() => referenceEncrypt(roundMessage(round), payload, esk, sim.publicKey));
const ourEnc = time(() => encrypt(payload, round, sim.publicKey));
rows.push(['encrypt 256-uid payload (reference wasm)', refEnc, undefined]);
rows.push(['encrypt 256-uid payload (this package)', ourEnc, ourEnc / refEnc]);
const refDec = time(() => referenceDecrypt(theirs, pulse.signature));
const ourDec = time(() => decrypt(ours, pulse.signature));
rows.push(['decrypt 256-uid payload (reference wasm)', refDec, undefined]);
rows.push(['decrypt 256-uid payload (this package)', ourDec, ourDec / refDec]);
const ver = time(() => verifyBeacon(round, pulse.signature, sim.publicKey));
rows.push(['verifyBeacon (2 pairings)', ver, ver / refDec]);
const pul = time(() => sim.pulse(round));
rows.push(['DrandSimulator.pulse (hash-to-G1 + sign)', pul, pul / refDec]);
void QUICKNET;

console.log(`payload ${payload.length} B, ciphertext ${ours.length} B`);
console.log('case'.padEnd(46), 'median ms'.padStart(10), '  ratio');
for (const [name, ms, ratio] of rows) {
  const r = ratio === undefined ? 'baseline' : `${ratio.toFixed(2)}x`;
  console.log(name.padEnd(46), ms.toFixed(2).padStart(10), ` ${r}`);
}
console.log('(ratios of verifyBeacon/pulse are against reference decrypt)');
