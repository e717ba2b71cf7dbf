// sr25519 sign and verify rates: our wasm fast path (Keypair / verifySignature, which call
// @polkadot/wasm-crypto directly) against @polkadot/util-crypto's sr25519Sign /
// signatureVerify (and its sr25519Verify), measured in the same run on the same keys.
//
//   pnpm --filter @subnetkit/wallet bench      (or: pnpm bench, from packages/wallet)
import {
  cryptoWaitReady,
  signatureVerify,
  sr25519PairFromSeed,
  sr25519Sign,
  sr25519Verify,
} from '@polkadot/util-crypto';
import { Keypair, verifySignature } from '../src/index.js';

const DURATION_MS = Number(process.env.BENCH_MS ?? 2000);
const ROUNDS = 7;

await cryptoWaitReady();

const seed = new Uint8Array(32).map((_, i) => i * 7 + 1);
const ours = Keypair.fromSeed(seed);
const theirs = sr25519PairFromSeed(seed);
if (ours.publicKeyHex !== `0x${Buffer.from(theirs.publicKey).toString('hex')}`) {
  throw new Error('the two implementations derived different keys from one seed');
}

// A message the size of a transport signing string: "<nonce>.<hotkey>.<hotkey>.<uuid>.<hash>".
const message = new TextEncoder().encode(
  `1718000000000000000.${ours.ss58Address}.${ours.ss58Address}.` +
    '9f1c7c8e-2a77-11ef-9c3b-0242ac120002.' +
    'a3f5c2d1e4b6978812345678abcdef0123456789abcdef0123456789abcdef01',
);
const ourSig = ours.sign(message);
const theirSig = sr25519Sign(message, theirs);
// Sanity: each side verifies the other's signature.
if (!verifySignature(message, theirSig, ours.publicKey)) throw new Error('cross-verify failed');
if (!signatureVerify(message, ourSig, theirs.publicKey).isValid) {
  throw new Error('cross-verify failed');
}

function rate(fn: () => unknown, ms: number): number {
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 10; i++) fn();
    ops += 10;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Alternates short slices of the two functions (ROUNDS times) so that both see the same
 * machine load; reports the median rate of each and the median of the per-round ratios.
 */
function compare(ours: () => unknown, baseline: () => unknown) {
  for (let i = 0; i < 30; i++) {
    ours();
    baseline();
  }
  const slice = DURATION_MS / ROUNDS / 2;
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    a.push(rate(ours, slice));
    b.push(rate(baseline, slice));
  }
  return { ours: median(a), baseline: median(b), ratio: median(a.map((x, i) => x / b[i]!)) };
}

const ss58 = ours.ss58Address;
const sign = compare(
  () => ours.sign(message),
  () => sr25519Sign(message, theirs),
);
const verify = compare(
  () => verifySignature(message, ourSig, ours.publicKey),
  () => signatureVerify(message, ourSig, theirs.publicKey).isValid,
);
const verifySs58 = compare(
  () => verifySignature(message, ourSig, ss58),
  () => signatureVerify(message, ourSig, ss58).isValid,
);
const verifyRaw = compare(
  () => verifySignature(message, ourSig, ours.publicKey),
  () => sr25519Verify(message, ourSig, theirs.publicKey),
);

const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')} ops/s`.padStart(14);
const line = (label: string, r: { ours: number; baseline: number; ratio: number }) =>
  `${label.padEnd(30)}${fmt(r.ours)}${fmt(r.baseline)}${`${r.ratio.toFixed(2)}×`.padStart(9)}`;

console.log(
  `sr25519, ${message.length}-byte message, ${ROUNDS} alternating rounds, ` +
    `${DURATION_MS} ms per case, node ${process.version}`,
);
console.log(
  `${'case'.padEnd(30)}${'subnetkit'.padStart(14)}${'util-crypto'.padStart(14)}${'ratio'.padStart(9)}`,
);
console.log(line('sign          (sr25519Sign)', sign));
console.log(line('verify pubkey (signatureVerify)', verify));
console.log(line('verify SS58   (signatureVerify)', verifySs58));
console.log(line('verify pubkey (sr25519Verify)', verifyRaw));
console.log(
  `ratio vs util-crypto, same run: sign ${sign.ratio.toFixed(2)}×, verify ${verify.ratio.toFixed(2)}×`,
);
