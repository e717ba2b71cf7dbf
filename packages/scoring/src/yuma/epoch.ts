import { assertInt, ScoringError } from '../errors.js';
import { originalYumaBonds, reciprocals, yuma3Bonds } from './bonds.js';
import { clipAndRank, weightedMedianCols } from './consensus.js';
import {
  div,
  divRecip,
  mul,
  normalizeInPlace,
  ONE,
  sum,
  toFloat,
  toU16Proportion,
  u16Proportion,
} from './fixed.js';
import { liquidAlphaParams } from './liquid-alpha.js';
import { readMaskedWeights } from './mask-weights.js';
import { readBonds } from './read-bonds.js';
import { interpolate, type Sparse } from './sparse.js';
import type {
  BondsCsr,
  YumaEpochOptions,
  YumaHyperparams,
  YumaInput,
  YumaOutput,
  YumaVector,
} from './types.js';
import { FRESH } from './workspace.js';

/** subtensor's defaults for every hyperparameter the epoch reads. */
export const YUMA_DEFAULTS: Required<YumaHyperparams> = Object.freeze({
  tempo: 360,
  activityCutoff: 5000,
  kappa: 32767,
  bondsPenalty: 65535,
  bondsMovingAverage: 900_000,
  maxAllowedValidators: 128,
  stakeThreshold: 0,
  yuma3: false,
  liquidAlpha: false,
  alphaLow: 45875,
  alphaHigh: 58982,
  alphaSigmoidSteepness: 1000,
});

const TWO64 = 1n << 64n;
const TWO53N = 1n << 53n;
const TWO53 = 2 ** 53;

/**
 * Activity cutoff in blocks as current subtensor derives it:
 * `max(1, ActivityCutoffFactorMilli · tempo / 1000)` (default factor 13 889 ≈ 5 000 blocks at
 * tempo 360). Older runtimes used a stored `ActivityCutoff` (default 5 000) directly.
 */
export function activityCutoffBlocks(tempo: number, factorMilli = 13_889): number {
  assertInt(tempo, 'tempo', 0, 65535);
  assertInt(factorMilli, 'factorMilli', 0, 4_294_967_295);
  return Math.max(1, Math.floor((factorMilli * tempo) / 1000));
}

/**
 * One Yuma consensus epoch exactly as subtensor's `epoch_mechanism` computes it (sparse path,
 * I32F32 fixed point reproduced bit for bit — see `fixed.ts`):
 *
 * 1. active = `lastUpdate + activityCutoff ≥ currentBlock`;
 * 2. stake filtered by `stakeThreshold` (owner exempt), normalised in I64F64, cut to I32F32;
 * 3. new permits = top-`maxAllowedValidators` non-zero stake (owner always);
 * 4. active stake = stake of active, permitted uids, normalised;
 * 5. weights: permitted rows only, no self-weight (except owner), drop weights set before the
 *    target registered (and, with commit-reveal, committed before it registered), row-normalise;
 * 6. consensus = stake-weighted median per column with κ; clip weights at consensus;
 * 7. validator trust = row sums of clipped weights; incentive = normalised Σ clipped·stake;
 * 8. bonds: original Yuma (EMA of column-normalised W∘S with α = 1 − bondsMovingAverage/1e6) or
 *    Yuma 3 (EMA of weights on u16-proportion bonds, optional liquid alpha); dividends;
 * 9. emission split server/validator in proportion to incentive/dividends, falling back to
 *    active stake (or stake) when nobody earned anything.
 *
 * Pure: returns everything the chain would store plus the intermediate float values. With
 * `options.workspace` the large intermediates live in that reusable scratch memory instead of
 * fresh allocations; the results are the same and do not alias it.
 */
export function yumaEpoch(input: YumaInput, options: YumaEpochOptions = {}): YumaOutput {
  const scratch = options.workspace ?? FRESH;
  const h = { ...YUMA_DEFAULTS, ...(input.hyperparams ?? {}) };
  const n = input.n;
  assertInt(n, 'n', 0, 65536);
  checkLength(input.stake, n, 'stake');
  checkLength(input.lastUpdate, n, 'lastUpdate');
  checkLength(input.blockAtRegistration, n, 'blockAtRegistration');
  checkLength(input.validatorPermit, n, 'validatorPermit');
  if (input.commitBlocks !== undefined) checkLength(input.commitBlocks, n, 'commitBlocks');
  assertInt(h.kappa, 'hyperparams.kappa', 0, 65535);
  assertInt(h.bondsPenalty, 'hyperparams.bondsPenalty', 0, 65535);
  assertInt(h.bondsMovingAverage, 'hyperparams.bondsMovingAverage', 0, 1_000_000);
  assertInt(h.maxAllowedValidators, 'hyperparams.maxAllowedValidators', 0, 65535);
  assertInt(h.alphaLow, 'hyperparams.alphaLow', 0, 65535);
  assertInt(h.alphaHigh, 'hyperparams.alphaHigh', 0, 65535);
  assertInt(h.alphaSigmoidSteepness, 'hyperparams.alphaSigmoidSteepness', -32768, 32767);
  const ownerUid = input.ownerUid !== undefined && input.ownerUid < n ? input.ownerUid : -1;
  const currentBlock = input.currentBlock;

  // == Active ==
  const active: boolean[] = new Array(n);
  for (let i = 0; i < n; i++) active[i] = !(input.lastUpdate[i]! + h.activityCutoff < currentBlock);

  // == Stake (I64F64 normalisation, then I32F32) ==
  const stake = normaliseStake(input.stake, n, ownerUid, h.stakeThreshold);

  // == Validator permits ==
  const permits: boolean[] = new Array(n);
  for (let i = 0; i < n; i++) permits[i] = Boolean(input.validatorPermit[i]) || i === ownerUid;
  const newPermits = topkNonzero(stake, h.maxAllowedValidators);
  if (ownerUid >= 0) newPermits[ownerUid] = true;

  // == Active stake ==
  const activeStake = new Float64Array(stake);
  for (let i = 0; i < n; i++) if (!active[i] || !permits[i]) activeStake[i] = 0;
  normalizeInPlace(activeStake);

  // == Weights ==
  const reg = input.blockAtRegistration;
  const masks = {
    permits,
    ownerUid,
    lastUpdate: input.lastUpdate,
    reg,
    commit: input.commitBlocks,
  };
  const weights = readMaskedWeights(input.weights, n, masks, scratch);

  // == Consensus, clipping, validator trust, ranks ==
  const kappa = u16Proportion(h.kappa);
  const consensus = weightedMedianCols(activeStake, weights, n, kappa, scratch);
  const bondsPenalty = u16Proportion(h.bondsPenalty);
  // original Yuma's bonds start from clipped∘stake when the bonds use clipped weights
  const keepWeighted = !h.yuma3 && bondsPenalty === ONE;
  const { clipped, validatorTrust, ranks, preranks, weighted } = clipAndRank(
    weights,
    consensus,
    activeStake,
    n,
    keepWeighted,
    scratch,
  );

  // == Incentive (and legacy trust) ==
  const incentive = new Float64Array(ranks);
  normalizeInPlace(incentive);
  const trust = new Float64Array(n);
  for (let j = 0; j < n; j++) trust[j] = toFloat(div(ranks[j]!, preranks[j]!));

  // == Bonds and dividends ==
  const lastTempo =
    input.lastStepBlock !== undefined && input.lastStepBlock !== 0
      ? input.lastStepBlock + 1
      : Math.max(0, currentBlock - h.tempo);
  const read = readBonds(input.bonds, n, lastTempo, reg, h.yuma3, permits, scratch);
  const bondsInput = {
    weightsForBonds: interpolate(weights, clipped, bondsPenalty),
    ...(weighted !== undefined
      ? {
          weighted: { ptr: clipped.ptr, cols: clipped.cols, vals: weighted.vals },
          weightedSum: weighted.colSum,
        }
      : {}),
    bonds: read.bonds,
    bondSum: read.colSum,
    activeStake,
    incentive,
    consensus,
    alpha: emaAlpha(h.bondsMovingAverage),
    n,
  };
  let liquid: ReturnType<typeof liquidAlphaParams> | undefined;
  if (h.yuma3 && h.liquidAlpha && n > 0 && consensus.some((c) => c !== 0)) {
    liquid = liquidAlphaParams(h.alphaLow, h.alphaHigh, h.alphaSigmoidSteepness);
  }
  const {
    dividends,
    stored: storedBonds,
    colMax,
  } = h.yuma3 ? yuma3Bonds(bondsInput, liquid, scratch) : originalYumaBonds(bondsInput, scratch);

  // == Emission ==
  const emissionSum = sum(incentive) + sum(dividends);
  const nServer = new Float64Array(n);
  let nValidator = new Float64Array(n);
  let nCombined = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    nCombined[i] = incentive[i]! + dividends[i]!;
    if (emissionSum !== 0) {
      nServer[i] = div(incentive[i]!, emissionSum);
      nValidator[i] = div(dividends[i]!, emissionSum);
    } else {
      nServer[i] = incentive[i]!;
      nValidator[i] = dividends[i]!;
    }
  }
  normalizeInPlace(nCombined);
  if (emissionSum === 0) {
    const fallback = sum(activeStake) === 0 ? stake : activeStake;
    nValidator = new Float64Array(fallback);
    nCombined = new Float64Array(fallback);
  }
  const rao = toBigIntEmission(input.emission);
  const serverEmission = scaleEmission(nServer, rao);
  const validatorEmission = scaleEmission(nValidator, rao);
  const emission = scaleEmission(nCombined, rao);

  // == Bonds to store ==
  const { bonds: bondsOut, bondsFloat } = bondsForStorage(
    storedBonds,
    colMax,
    read.raw,
    newPermits,
    permits,
  );

  return {
    stake: vector(stake),
    activeStake: floats(activeStake),
    active,
    consensus: vector(consensus),
    validatorTrust: vector(validatorTrust),
    ranks: floats(ranks),
    trust,
    incentive: vector(incentive),
    dividends: vector(dividends),
    serverEmission,
    validatorEmission,
    emission,
    pruningScores: vector(nCombined),
    validatorPermit: newPermits,
    bonds: bondsOut,
    bondsFloat,
  };
}

function checkLength(a: ArrayLike<unknown>, n: number, field: string): void {
  if (a.length !== n) {
    throw new ScoringError(
      'LENGTH_MISMATCH',
      `${field}: has ${a.length} entries, expected n=${n}`,
      { details: { field } },
    );
  }
}

function vector(bits: Float64Array): YumaVector {
  const u16 = new Uint16Array(bits.length);
  for (let i = 0; i < bits.length; i++) u16[i] = toU16Proportion(bits[i]!);
  return { float: floats(bits), u16 };
}

function floats(bits: Float64Array): Float64Array {
  const out = new Float64Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = toFloat(bits[i]!);
  return out;
}

/** I64F64 bits of a stake value (exact for integers and for every finite double). */
function stakeToI64F64(v: number | bigint, field: string): bigint {
  if (typeof v === 'bigint') {
    if (v < 0n) {
      throw new ScoringError('NEGATIVE_VALUE', `${field}: must be >= 0, got ${v}`, {
        details: { field },
      });
    }
    return v << 64n;
  }
  if (!Number.isFinite(v)) {
    throw new ScoringError('INVALID_NUMBER', `${field}: got ${v}`, { details: { field } });
  }
  if (v < 0) {
    throw new ScoringError('NEGATIVE_VALUE', `${field}: must be >= 0, got ${v}`, {
      details: { field },
    });
  }
  if (Number.isInteger(v)) return BigInt(v) << 64n;
  // v·2^64 is exact in double (power-of-two scaling); round the sub-2^-64 remainder half-even.
  const scaled = v * 2 ** 64;
  const f = Math.floor(scaled);
  const d = scaled - f;
  const r = d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
  return BigInt(r);
}

function normaliseStake(
  raw: ArrayLike<number> | readonly bigint[],
  n: number,
  ownerUid: number,
  threshold: number | bigint,
): Float64Array {
  const minStake = typeof threshold === 'bigint' ? threshold : BigInt(Math.floor(threshold));
  const s64: bigint[] = new Array(n);
  let total = 0n;
  for (let i = 0; i < n; i++) {
    let v = stakeToI64F64(raw[i] as number | bigint, `stake[${i}]`);
    if (i !== ownerUid && v >> 64n < minStake) v = 0n;
    s64[i] = v;
    total += v;
  }
  const out = new Float64Array(n);
  if (total === 0n) {
    for (let i = 0; i < n; i++) out[i] = Number(s64[i]! >> 32n);
    return out;
  }
  for (let i = 0; i < n; i++) {
    const q = (s64[i]! << 64n) / total; // I64F64 safe_div
    out[i] = Number(q >> 32n); // I64F64 → I32F32 drops 32 fractional bits (floor)
  }
  return out;
}

/** `is_topk_nonzero`: non-zero entries, minus the n−k smallest (stable ascending sort). */
function topkNonzero(v: Float64Array, k: number): boolean[] {
  const n = v.length;
  const out: boolean[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = v[i] !== 0;
  if (n < k) return out;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => v[a]! - v[b]! || a - b);
  for (let t = 0; t < n - k; t++) out[idx[t]!] = false;
  return out;
}

/** α = 1 − I32F32(I64F64(bma) / 1e6), as `compute_ema_bonds_normal_sparse`. */
function emaAlpha(bondsMovingAverage: number): number {
  const bits64 = (BigInt(bondsMovingAverage) * TWO64) / 1_000_000n; // I64F64 bits of bma/1e6
  return ONE - Number(bits64 >> 32n);
}

function toBigIntEmission(e: number | bigint | undefined): bigint {
  if (e === undefined) return 0n;
  if (typeof e === 'bigint') {
    if (e < 0n) {
      throw new ScoringError('NEGATIVE_VALUE', 'emission: must be >= 0', {
        details: { field: 'emission' },
      });
    }
    return e;
  }
  if (!Number.isFinite(e) || e < 0) {
    throw new ScoringError('OUT_OF_RANGE', `emission: must be a finite number >= 0, got ${e}`, {
      details: { field: 'emission' },
    });
  }
  return BigInt(Math.floor(e));
}

/**
 * I96F32(x)·I96F32(rao) → u64 (floor), exact. For rao < 2⁵³ it splits rao = rh·2³² + rl, so
 * floor(x·rao / 2³²) = x·rh + mul(x, rl) in doubles while that stays below 2⁵³ (then every step
 * is exact); BigInt otherwise.
 */
function scaleEmission(x: Float64Array, rao: bigint): bigint[] {
  const out: bigint[] = new Array(x.length);
  const small = rao < TWO53N;
  const raoN = small ? Number(rao) : 0;
  const rh = Math.floor(raoN / ONE);
  const rl = raoN - rh * ONE;
  for (let i = 0; i < x.length; i++) {
    const bits = x[i]!;
    if (bits <= 0) {
      out[i] = 0n;
      continue;
    }
    if (small) {
      const v = bits * rh + mul(bits, rl);
      if (v < TWO53) {
        out[i] = BigInt(v);
        continue;
      }
    }
    out[i] = (BigInt(bits) * rao) >> 32n;
  }
  return out;
}

/**
 * The bonds to store and their float form, in one pass over the EMA: each entry divided by its
 * column maximum first when `colMax` is given (original Yuma's `inplace_col_max_upscale_sparse`).
 */
function bondsForStorage(
  ema: Sparse,
  colMax: Float64Array | undefined,
  input: Sparse,
  newPermits: boolean[],
  permits: boolean[],
): { bonds: BondsCsr; bondsFloat: YumaOutput['bondsFloat'] } {
  const n = newPermits.length;
  const indptr = new Int32Array(n + 1);
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    if (newPermits[i]) nnz += ema.ptr[i + 1]! - ema.ptr[i]!;
    else if (!permits[i]) nnz += input.ptr[i + 1]! - input.ptr[i]!;
  }
  const indices = new Uint16Array(nnz);
  const values = new Uint16Array(nnz);
  const flCols = new Uint16Array(ema.cols.length);
  const fl = new Float64Array(ema.vals.length);
  const max = colMax ?? new Float64Array(n); // all 0: nothing to divide by
  const inv = reciprocals(max);
  const { cols, vals } = ema;
  let p = 0;
  for (let i = 0; i < n; i++) {
    const keep = newPermits[i];
    for (let k = ema.ptr[i]!; k < ema.ptr[i + 1]!; k++) {
      const j = cols[k]!;
      const d = max[j]!;
      const v = d !== 0 ? divRecip(vals[k]!, d, inv[j]!) : vals[k]!;
      flCols[k] = j;
      fl[k] = toFloat(v);
      if (keep) {
        indices[p] = j;
        values[p++] = toU16Proportion(v);
      }
    }
    if (!keep && !permits[i]) {
      for (let k = input.ptr[i]!; k < input.ptr[i + 1]!; k++) {
        indices[p] = input.cols[k]!;
        values[p++] = input.vals[k]!;
      }
    }
    indptr[i + 1] = p;
  }
  return {
    bonds: { indptr, indices, values },
    bondsFloat: { indptr: ema.ptr, indices: flCols, values: fl },
  };
}

/** Chain-style rows (`Vec<(u16, u16)>` per uid) from a CSR matrix such as `YumaOutput.bonds`. */
export function csrToRows(csr: {
  indptr: ArrayLike<number>;
  indices: ArrayLike<number>;
  values: ArrayLike<number>;
}): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [];
  for (let i = 0; i + 1 < csr.indptr.length; i++) {
    const row: Array<[number, number]> = [];
    for (let k = csr.indptr[i]!; k < csr.indptr[i + 1]!; k++)
      row.push([csr.indices[k]!, csr.values[k]!]);
    out.push(row);
  }
  return out;
}
