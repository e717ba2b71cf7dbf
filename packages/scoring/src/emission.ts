import { ScoringError } from './errors.js';

const FRAC = 32n;
const ONE = 1n << FRAC;

/** Options of {@link splitBlockEmission}; defaults are subtensor's. */
export interface BlockEmissionOptions {
  /** `SubnetOwnerCut` as u16 (default 11796 ≈ 18 %). */
  ownerCut?: number;
  /** Whether the subnet pays the owner cut (default true). */
  ownerCutEnabled?: boolean;
  /**
   * `root_proportion` of the subnet in [0, 1] (`tao_weight / (tao_weight + alpha_issuance)`,
   * default 0). Converted to U96F32 by rounding to the nearest 2⁻³².
   */
  rootProportion?: number;
}

/** One block's alpha emission split, in RAO (floored like subtensor's `tou64!`). */
export interface BlockEmissionSplit {
  ownerCut: bigint;
  /** Miners' share (`PendingServerEmission` increment). */
  server: bigint;
  /** Alpha validators' share (`PendingValidatorEmission` increment). */
  validator: bigint;
  /** Share sold for root stakers (`root_proportion · 50 %` of the rest). */
  root: bigint;
}

function toU96F32(x: number | bigint, field: string): bigint {
  if (typeof x === 'bigint') {
    if (x < 0n) {
      throw new ScoringError('NEGATIVE_VALUE', `${field}: must be >= 0`, { details: { field } });
    }
    return x << FRAC;
  }
  if (!Number.isFinite(x) || x < 0) {
    throw new ScoringError('OUT_OF_RANGE', `${field}: must be a finite number >= 0, got ${x}`, {
      details: { field },
    });
  }
  if (Number.isInteger(x)) return BigInt(x) << FRAC;
  return BigInt(Math.round(x * 2 ** 32));
}

/**
 * subtensor's per-block split (`emit_to_subnets`), in U96F32 fixed point: the owner cut comes
 * off first, the rest is split 50 % miners / 50 % validators, and `root_proportion · 50 %` of
 * the rest is taken out of the validator half for root stakers.
 */
export function splitBlockEmission(
  alphaOut: number | bigint,
  options: BlockEmissionOptions = {},
): BlockEmissionSplit {
  const cut = options.ownerCut ?? 11796;
  if (!Number.isInteger(cut) || cut < 0 || cut > 65535) {
    throw new ScoringError('OUT_OF_RANGE', `ownerCut: must be a u16, got ${cut}`, {
      details: { field: 'ownerCut' },
    });
  }
  const rootProp = options.rootProportion ?? 0;
  if (!(rootProp >= 0 && rootProp <= 1)) {
    throw new ScoringError('OUT_OF_RANGE', `rootProportion: must be in [0, 1], got ${rootProp}`, {
      details: { field: 'rootProportion' },
    });
  }
  let alpha = toU96F32(alphaOut, 'alphaOut');
  let ownerCut = 0n;
  if (options.ownerCutEnabled ?? true) {
    const cutPercent = ((BigInt(cut) << FRAC) << FRAC) / (65535n << FRAC); // U96F32 safe_div
    ownerCut = (alpha * cutPercent) >> FRAC;
    alpha -= ownerCut;
  }
  const half = ONE / 2n;
  const root = (((toU96F32(rootProp, 'rootProportion') * alpha) >> FRAC) * half) >> FRAC;
  const server = (alpha * half) >> FRAC;
  const totalValidator = alpha - server;
  const validator = totalValidator > root ? totalValidator - root : 0n;
  return {
    ownerCut: ownerCut >> FRAC,
    server: server >> FRAC,
    validator: validator >> FRAC,
    root: root >> FRAC,
  };
}

/**
 * What `distribute_emission` hands to miners and validators once an epoch ran on
 * `server + validator + root`: if the epoch paid no incentive at all, the miners' share goes
 * to validators too.
 */
export function settleEpochEmission(
  pending: { server: bigint; validator: bigint; root: bigint },
  incentiveSum: bigint,
): { miners: bigint; validators: bigint; root: bigint } {
  if (incentiveSum > 0n)
    return { miners: pending.server, validators: pending.validator, root: pending.root };
  return { miners: 0n, validators: pending.validator + pending.server, root: pending.root };
}
