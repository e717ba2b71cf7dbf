// sr25519 sign and verify, one thread, every candidate in the same run on the same key and
// message: ours (Keypair / sr25519Verify: @polkadot-labs/schnorrkel-wasm behind the guard), the
// raw schnorrkel-wasm calls (what the guard costs), @polkadot/wasm-crypto (the anchor: what the
// wallet used before) and @polkadot/util-crypto 14 (pure-JS @scure/sr25519).
// Slices of every case alternate ROUNDS times so all see the same load; each figure is the
// median over rounds, each ratio the median of the per-round ratios to wasm-crypto.
//
//   pnpm --filter @subnetkit/wallet bench      (BENCH_MS=… sets the time per case)
import { loadavg } from 'node:os';
import {
  cryptoWaitReady,
  sr25519Sign as scureSign,
  sr25519Verify as scureVerify,
} from '@polkadot/util-crypto';
import * as wasmCrypto from '@polkadot/wasm-crypto';
import { sr25519_sign, sr25519_verify } from '@polkadot-labs/schnorrkel-wasm';
import { canonicalToEd25519Secret, Keypair, sr25519Verify, verifySignature } from '../src/index.js';

const DURATION_MS = Number(process.env.BENCH_MS ?? 1500);
const ROUNDS = 7;

await wasmCrypto.waitReady();
await cryptoWaitReady();
const loadBefore = loadavg();

const ours = Keypair.fromSeed(new Uint8Array(32).map((_, i) => i * 7 + 1));
const pub = ours.publicKey;
const secret = canonicalToEd25519Secret(ours.exportSecretKey());
const pair = { publicKey: pub, secretKey: secret };

// A message the size of a transport signing string: "<nonce>.<hotkey>.<hotkey>.<uuid>.<hash>".
const message = new TextEncoder().encode(
  `1718000000000000000.${ours.ss58Address}.${ours.ss58Address}.` +
    '9f1c7c8e-2a77-11ef-9c3b-0242ac120002.' +
    'a3f5c2d1e4b6978812345678abcdef0123456789abcdef0123456789abcdef01',
);
const sig = wasmCrypto.sr25519Sign(pub, secret, message);
const ss58 = ours.ss58Address;

interface Case {
  name: string;
  run: () => unknown;
}

const signCases: Case[] = [
  { name: 'subnetkit Keypair.sign', run: () => ours.sign(message) },
  { name: 'schnorrkel-wasm (raw)', run: () => sr25519_sign(pub, secret, message) },
  { name: '@polkadot/wasm-crypto', run: () => wasmCrypto.sr25519Sign(pub, secret, message) },
  { name: 'util-crypto (@scure)', run: () => scureSign(message, pair) },
];
const verifyCases: Case[] = [
  { name: 'subnetkit sr25519Verify', run: () => sr25519Verify(sig, message, pub) },
  { name: 'subnetkit verifySignature', run: () => verifySignature(message, sig, pub) },
  { name: '  … with an SS58 signer', run: () => verifySignature(message, sig, ss58) },
  { name: 'schnorrkel-wasm (raw)', run: () => sr25519_verify(pub, message, sig) },
  { name: '@polkadot/wasm-crypto', run: () => wasmCrypto.sr25519Verify(sig, message, pub) },
  { name: 'util-crypto (@scure)', run: () => scureVerify(message, sig, pub) },
];
const ANCHOR = '@polkadot/wasm-crypto';

// Every candidate must produce signatures every other accepts, or its rate means nothing.
for (const c of signCases) {
  const s = c.run() as Uint8Array;
  if (!wasmCrypto.sr25519Verify(s, message, pub) || !sr25519Verify(s, message, pub)) {
    throw new Error(`${c.name}: its signature does not cross-verify`);
  }
}
for (const c of verifyCases) {
  if (c.run() !== true) throw new Error(`${c.name}: rejects a valid signature`);
}

interface Slice {
  rate: number;
  cpuUs: number;
}

function slice(fn: () => unknown, ms: number): Slice {
  let ops = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 5; i++) fn();
    ops += 5;
    now = performance.now();
  }
  const used = process.cpuUsage(cpu);
  return { rate: (ops * 1000) / (now - start), cpuUs: (used.user + used.system) / ops };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface Result {
  name: string;
  rate: number;
  cpuUs: number;
  ratio: number;
  cpuRatio: number;
}

function measure(cases: Case[]): Result[] {
  for (const c of cases) for (let i = 0; i < 20; i++) c.run();
  const per = DURATION_MS / ROUNDS;
  const rounds = cases.map(() => [] as Slice[]);
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, c] of cases.entries()) rounds[i]!.push(slice(c.run, per));
  }
  const anchor = rounds[cases.findIndex((c) => c.name === ANCHOR)]!;
  return cases.map((c, i) => ({
    name: c.name,
    rate: median(rounds[i]!.map((s) => s.rate)),
    cpuUs: median(rounds[i]!.map((s) => s.cpuUs)),
    ratio: median(rounds[i]!.map((s, r) => s.rate / anchor[r]!.rate)),
    // Anchor CPU per op / ours: above 1 means cheaper than wasm-crypto.
    cpuRatio: median(rounds[i]!.map((s, r) => anchor[r]!.cpuUs / s.cpuUs)),
  }));
}

const sign = measure(signCases);
const verify = measure(verifyCases);
const loadAfter = loadavg();

const num = (n: number) => Math.round(n).toLocaleString('en-US');
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
console.log(
  `sr25519, ${message.length}-byte message, one thread, ${ROUNDS} alternating rounds, ` +
    `${DURATION_MS} ms per case, node ${process.version}`,
);
console.log(`load average before ${load(loadBefore)}, after ${load(loadAfter)}`);
const header = `${'case'.padEnd(28)}${'ops/s'.padStart(9)}${'µs CPU/op'.padStart(11)}${'× rate'.padStart(8)}${'× CPU'.padStart(7)}`;
for (const [what, results] of [
  ['sign', sign],
  ['verify', verify],
] as const) {
  console.log(`\n${what} (ratios to ${ANCHOR}, same run)\n${header}`);
  for (const r of results) {
    console.log(
      `${r.name.padEnd(28)}${num(r.rate).padStart(9)}${r.cpuUs.toFixed(0).padStart(11)}` +
        `${r.ratio.toFixed(2).padStart(8)}${r.cpuRatio.toFixed(2).padStart(7)}`,
    );
  }
}

const anchorOf = (rs: Result[]) => rs.find((r) => r.name === ANCHOR)!;
// The target is the rate per CPU-second (steadier than wall time on a shared machine); the
// wall-clock ratio of the same run is printed beside it.
const target = (id: string, chosen: Result, anchor: Result, what: string) => {
  const met = chosen.cpuRatio >= 1 ? 'met' : 'missed';
  const perCpuSecond = (r: Result) => num(1e6 / r.cpuUs);
  console.log(
    `TARGET ${id} ${chosen.cpuRatio.toFixed(2)} >=1.00 ${met} ${what} ${perCpuSecond(chosen)}/CPU-s ` +
      `(${chosen.cpuUs.toFixed(0)} µs CPU/op) vs @polkadot/wasm-crypto ${perCpuSecond(anchor)}/CPU-s ` +
      `(${anchor.cpuUs.toFixed(0)} µs); wall ${num(chosen.rate)}/s vs ${num(anchor.rate)}/s ` +
      `(${chosen.ratio.toFixed(2)}×), one thread, load ${load(loadAfter)}`,
  );
};
console.log('');
target('sr25519-verify', verify[0]!, anchorOf(verify), 'subnetkit sr25519Verify');
target('sr25519-sign', sign[0]!, anchorOf(sign), 'subnetkit Keypair.sign');
