/**
 * Benchmarks for @subnetkit/scoring. Run: `pnpm bench` (= `tsx --conditions=@subnetkit/source
 * bench/yuma.ts`).
 *
 * Every timing is reported with a ratio to a baseline measured in the same run: one plain
 * Float64Array pass over the same matrix (stake-weighted column sums), so numbers are
 * comparable across machines. Each case prints the wall-clock median and minimum and the CPU
 * time per run (process CPU over the timed runs / runs), which is steadier when other jobs share
 * the cores; the TARGET lines (issue 18) use the CPU time per epoch.
 *
 * Each epoch is timed two ways, alternating in rounds on the same input so that both see the
 * same machine load: the default call (allocates its intermediates afresh) and with a reused
 * `createYumaWorkspace()` — what a long-running caller (a validator, the localnet) would pass,
 * and what the TARGET lines measure.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { cpuUsage } from 'node:process';
import {
  convertWeightsAndUidsForEmit,
  createYumaWorkspace,
  processWeights,
  yumaEpoch,
} from '../src/index.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

interface Timing {
  median: number;
  min: number;
  /** process CPU time per run (user + system), ms */
  cpu: number;
}

const collect = (globalThis as { gc?: () => void }).gc;

function time(fn: () => unknown, minIters: number, minMs: number): Timing {
  // a full collection first (the bench script runs with --expose-gc), so that garbage left by
  // the previous case is not collected on this one's CPU time; its own garbage still is
  collect?.();
  for (let i = 0; i < 3; i++) fn(); // warm-up (JIT)
  const samples: number[] = [];
  const cpu0 = cpuUsage();
  const start = performance.now();
  while (samples.length < minIters || performance.now() - start < minMs) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  const c = cpuUsage(cpu0);
  return {
    median: median(samples),
    min: Math.min(...samples),
    cpu: (c.user + c.system) / 1000 / samples.length,
  };
}

/** `time` of a and b in alternating rounds; samples and CPU pooled per function. */
function timePair(
  a: () => unknown,
  b: () => unknown,
  minIters: number,
  minMs: number,
  rounds = 3,
): [Timing, Timing] {
  const runs: [Timing[], Timing[]] = [[], []];
  const iters = Math.max(1, Math.ceil(minIters / rounds));
  for (let r = 0; r < rounds; r++) {
    runs[0].push(time(a, iters, minMs / rounds));
    runs[1].push(time(b, iters, minMs / rounds));
  }
  const pool = (ts: Timing[]): Timing => ({
    median: median(ts.map((t) => t.median)),
    min: Math.min(...ts.map((t) => t.min)),
    cpu: ts.reduce((s, t) => s + t.cpu, 0) / ts.length,
  });
  return [pool(runs[0]), pool(runs[1])];
}

interface Case {
  n: number;
  validators: number;
}

function buildEpochInput(c: Case, seed: number) {
  const r = rng(seed);
  const { n, validators } = c;
  const stake: bigint[] = new Array(n).fill(0n);
  for (let v = 0; v < validators; v++) stake[v] = BigInt(1 + Math.floor(r() * 1e12));
  // CSR: every validator weights every miner (dense rows over the miners).
  const miners = n - validators;
  const indptr = new Int32Array(n + 1);
  const indices = new Uint16Array(validators * miners);
  const values = new Uint16Array(validators * miners);
  let p = 0;
  for (let v = 0; v < n; v++) {
    indptr[v] = p;
    if (v < validators) {
      for (let j = validators; j < n; j++) {
        indices[p] = j;
        values[p] = Math.floor(r() * 65535) + 1;
        p++;
      }
    }
  }
  indptr[n] = p;
  // previous bonds: a plausible state from an earlier epoch. The uids registered at block 0 and
  // the epoch runs at block 1001 (tempo 360), so these bonds are kept; an epoch right after
  // registration would reset them all (and liquid alpha would see one input everywhere).
  const bondsIdx = indices;
  const bondsVal = new Uint16Array(values.length);
  for (let k = 0; k < bondsVal.length; k++) bondsVal[k] = Math.floor(r() * 65535);
  const dense = new Float64Array(validators * n);
  for (let v = 0; v < validators; v++) {
    for (let k = indptr[v]!; k < indptr[v + 1]!; k++)
      dense[v * n + indices[k]!] = values[k]! / 65535;
  }
  const stakeF = new Float64Array(validators);
  for (let v = 0; v < validators; v++) stakeF[v] = Number(stake[v]!);
  return {
    input: {
      n,
      stake,
      weights: { indptr, indices, values },
      bonds: { indptr, indices: bondsIdx, values: bondsVal },
      lastUpdate: new Array(n).fill(1000),
      blockAtRegistration: new Array(n).fill(0),
      validatorPermit: Array.from({ length: n }, (_, i) => i < validators),
      currentBlock: 1001,
      emission: 1_000_000_000n,
      hyperparams: { maxAllowedValidators: validators },
    },
    dense,
    stakeF,
  };
}

function toRows(m: { indptr: Int32Array; indices: Uint16Array; values: Uint16Array }) {
  return Array.from({ length: m.indptr.length - 1 }, (_, i) => {
    const row: Array<[number, number]> = [];
    for (let k = m.indptr[i]!; k < m.indptr[i + 1]!; k++) row.push([m.indices[k]!, m.values[k]!]);
    return row;
  });
}

/** Baseline: one stake-weighted column-sum pass over the dense validators × n Float64Array. */
function baselinePass(dense: Float64Array, stake: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  const rows = stake.length;
  for (let i = 0; i < rows; i++) {
    const s = stake[i]!;
    const off = i * n;
    for (let j = 0; j < n; j++) out[j] = out[j]! + s * dense[off + j]!;
  }
  return out;
}

const lines: string[] = [];
function report(label: string, t: Timing, base: Timing) {
  lines.push(
    `${label.padEnd(44)} median ${t.median.toFixed(3).padStart(9)} ms (min ${t.min
      .toFixed(3)
      .padStart(9)})   cpu ${t.cpu.toFixed(3).padStart(9)} ms   baseline ${base.median
      .toFixed(4)
      .padStart(8)} ms   ratio ${(t.median / base.median).toFixed(0).padStart(5)}x (min/min ${(
      t.min / base.min
    ).toFixed(0)}x)`,
  );
}

const loadAtStart = loadavg();
const targets: string[] = [];
for (const c of [
  { n: 256, validators: 64 },
  { n: 4096, validators: 64 },
  { n: 4096, validators: 256 },
] as Case[]) {
  const { input, dense, stakeF } = buildEpochInput(c, 42);
  const big = c.n >= 4096;
  const base = time(() => baselinePass(dense, stakeF, c.n), big ? 20 : 200, 300);
  const ws = createYumaWorkspace();
  const [epoch, epochWs] = timePair(
    () => yumaEpoch(input),
    () => yumaEpoch(input, { workspace: ws }),
    big ? 12 : 30,
    big ? 2400 : 1000,
  );
  report(`yumaEpoch ${c.n} uids x ${c.validators} validators`, epoch, base);
  report(`  same, reused workspace`, epochWs, base);
  const input3 = {
    ...input,
    hyperparams: { ...input.hyperparams, yuma3: true, liquidAlpha: true },
  };
  const [epoch3, epoch3Ws] = timePair(
    () => yumaEpoch(input3),
    () => yumaEpoch(input3, { workspace: ws }),
    big ? 12 : 30,
    big ? 2400 : 1000,
  );
  report(`yumaEpoch ${c.n} x ${c.validators} (yuma3 + liquid alpha)`, epoch3, base);
  report(`  same, reused workspace`, epoch3Ws, base);
  let rowsNote = '';
  if (c.n === 4096 && c.validators === 64) {
    // the same epoch from chain-style rows (`[uid, value]` per row), the form the localnet passes
    const rowsInput = { ...input, weights: toRows(input.weights), bonds: toRows(input.bonds) };
    const [rows, rowsWs] = timePair(
      () => yumaEpoch(rowsInput),
      () => yumaEpoch(rowsInput, { workspace: ws }),
      12,
      2400,
    );
    report(`yumaEpoch ${c.n} x ${c.validators}, chain-style rows input`, rows, base);
    report(`  same, reused workspace`, rowsWs, base);
    rowsNote = `; from chain-style rows as the localnet passes them ${rowsWs.cpu.toFixed(1)} ms`;
  }
  if (c.n === 4096 && c.validators === 64) {
    const y3 = epoch3Ws.cpu;
    const plain = epochWs.cpu;
    const r3 = y3 / 100;
    const rp = plain / 30;
    targets.push(
      `TARGET yuma3-liquid ${r3.toFixed(2)} <=1.00 ${r3 <= 1 ? 'met' : 'missed'} yuma3+liquid alpha ${y3.toFixed(1)} ms at 4096x64 with a reused workspace (default call ${epoch3.cpu.toFixed(1)} ms; plain Yuma ${plain.toFixed(1)} ms in the same run, ratio ${(y3 / plain).toFixed(2)}; CPU ms per epoch)`,
      `TARGET yuma-plain ${rp.toFixed(2)} <=1.00 ${rp <= 1 ? 'met' : 'missed'} plain Yuma ${plain.toFixed(1)} ms at 4096x64 with a reused workspace as a validator/localnet runs it (typed CSR input; default call ${epoch.cpu.toFixed(1)} ms${rowsNote}; baseline pass ${base.median.toFixed(2)} ms; CPU ms per epoch, wall median ${epochWs.median.toFixed(1)} ms)`,
    );
  }
}

{
  const n = 4096;
  const r = rng(7);
  const uids = Array.from({ length: n }, (_, i) => i);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = r() < 0.1 ? 0 : r() ** 3;
  const base = time(
    () => {
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i]!;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = w[i]! / s;
      return out;
    },
    500,
    300,
  );
  const proc = time(
    () => {
      const p = processWeights(uids, w, {
        numNeurons: n,
        minAllowedWeights: 64,
        maxWeightLimit: 0.05,
        excludeQuantile: 6553,
      });
      return convertWeightsAndUidsForEmit(p.uids, p.weights);
    },
    50,
    1000,
  );
  report('processWeights + emit, 4096 uids', proc, base);
}

const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
console.log(
  `@subnetkit/scoring bench — baseline: one stake-weighted column-sum pass over the same dense Float64Array; load average ${la(loadAtStart)} at the start, ${la(loadavg())} at the end`,
);
for (const l of lines) console.log(l);
for (const t of targets) console.log(t);
