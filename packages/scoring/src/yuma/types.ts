import type { YumaWorkspace } from './workspace.js';

/**
 * One row of a sparse u16 matrix as the chain stores it (`Vec<(u16, u16)>`): `[column, value]`
 * pairs. Rows of the dense form are plain `ArrayLike<number>` of length `n`.
 */
export type SparseRowU16 = ReadonlyArray<readonly [number, number]>;

/** Compressed sparse rows: row `i` is `indices/values[indptr[i] .. indptr[i+1])`. */
export interface CsrU16 {
  indptr: ArrayLike<number>;
  indices: ArrayLike<number>;
  values: ArrayLike<number>;
}

/**
 * A u16 matrix (weights or bonds) in any of three shapes: chain-style sparse rows, dense rows
 * (`Uint16Array`/`number[]` of length n), or CSR. Missing rows are empty.
 */
export type MatrixU16 = ReadonlyArray<SparseRowU16 | ArrayLike<number>> | CsrU16;

/** Subnet hyperparameters read by the epoch; every field defaults to subtensor's default. */
export interface YumaHyperparams {
  /** Subnet tempo in blocks (default 360); used for `last_tempo` when no step block is given. */
  tempo?: number;
  /** Blocks after which a uid's weights count as inactive (default 5000). */
  activityCutoff?: number;
  /** `Kappa` as u16 (default 32767 ≈ 0.5): stake fraction the consensus median needs. */
  kappa?: number;
  /** `BondsPenalty` as u16 (default 65535 = bonds use clipped weights). */
  bondsPenalty?: number;
  /** `BondsMovingAverage` in millionths (default 900_000 → EMA α = 0.1). */
  bondsMovingAverage?: number;
  /** `MaxAllowedValidators` (default 128): top-k stake gets a validator permit. */
  maxAllowedValidators?: number;
  /** `StakeThreshold` in the same unit as `stake` (default 0). */
  stakeThreshold?: number | bigint;
  /** `Yuma3On` (default false): bonds kept as u16 proportions with the Yuma 3 EMA. */
  yuma3?: boolean;
  /** `LiquidAlphaOn` (default false; only used with `yuma3`): per-bond EMA α from a sigmoid. */
  liquidAlpha?: boolean;
  /** `AlphaValues.0` as u16 (default 45875 ≈ 0.7). */
  alphaLow?: number;
  /** `AlphaValues.1` as u16 (default 58982 ≈ 0.9). */
  alphaHigh?: number;
  /** `AlphaSigmoidSteepness` (i16, default 1000). */
  alphaSigmoidSteepness?: number;
}

/** Everything the epoch reads from chain state, as plain typed values. */
export interface YumaInput {
  /** Number of uids in the subnet (`SubnetworkN`). Every per-uid array has this length. */
  n: number;
  /**
   * Stake weight per uid (`alpha + TaoWeight·tao`, already including inheritance). `bigint`s
   * (RAO) are exact; numbers are converted to I64F64 exactly (non-integers rounded at 2⁻⁶⁴).
   */
  stake: ArrayLike<number> | readonly bigint[];
  /** Stored weights, row i = what uid i set (u16, as stored after chain max-upscaling). */
  weights: MatrixU16;
  /** Stored bonds (u16; column max-upscaled for original Yuma, proportions for Yuma 3). */
  bonds?: MatrixU16;
  /** Block of each uid's last weight update (`LastUpdate`). */
  lastUpdate: ArrayLike<number>;
  /** Block at which each uid was (re-)registered. */
  blockAtRegistration: ArrayLike<number>;
  /** Current `ValidatorPermit` (the owner uid is always permitted). */
  validatorPermit: ArrayLike<boolean>;
  /** Block the epoch runs in. */
  currentBlock: number;
  /** Subnet owner's uid, if registered: keeps its self-weight, stake and permit. */
  ownerUid?: number;
  /**
   * Commit-reveal only: earliest block of each uid's still-active weight commit (omit or use
   * `Infinity`/`undefined` entries for none). Weights from i to j are dropped if that block is
   * before j's registration.
   */
  commitBlocks?: ArrayLike<number | undefined>;
  /** `LastMechansimStepBlock` (0/absent → `currentBlock − tempo`). */
  lastStepBlock?: number;
  /** Emission to distribute this epoch (RAO/alpha units). Default 0. */
  emission?: number | bigint;
  hyperparams?: YumaHyperparams;
}

/** Options of {@link yumaEpoch} that change how it runs, never what it returns. */
export interface YumaEpochOptions {
  /**
   * Scratch memory reused across epochs (`createYumaWorkspace()`), for callers that run an epoch
   * every tempo. Without it each epoch allocates its intermediates afresh and holds nothing
   * afterwards. Results are identical either way and never alias the workspace.
   */
  workspace?: YumaWorkspace;
}

/** Per-uid vector in both the float form and the u16 form the chain stores. */
export interface YumaVector {
  /** Exact float value of the I32F32 result. */
  float: Float64Array;
  /** `fixed_proportion_to_u16` (floor(x·65535)), as stored on chain. */
  u16: Uint16Array;
}

/** Result of {@link yumaEpoch}; every array has length `n`. */
export interface YumaOutput {
  /** Normalised stake after the threshold filter (`StakeWeight`). */
  stake: YumaVector;
  /** Stake of permitted, active validators, normalised. */
  activeStake: Float64Array;
  /** `!inactive` per uid (`Active`). */
  active: boolean[];
  /** Stake-weighted median weight per uid (`Consensus`). */
  consensus: YumaVector;
  /** Sum of clipped weights each validator set (`ValidatorTrust`). */
  validatorTrust: YumaVector;
  /** Ranks before normalisation: Σᵢ clipped Wᵢⱼ·Sᵢ (not stored by current subtensor). */
  ranks: Float64Array;
  /** Legacy trust = ranks / pre-clip ranks (not stored by current subtensor). */
  trust: Float64Array;
  /** Normalised ranks (`Incentive`). */
  incentive: YumaVector;
  /** Validator dividends (`Dividends`). */
  dividends: YumaVector;
  /** Miner share of `emission` per uid (floor, like subtensor). */
  serverEmission: bigint[];
  /** Validator share of `emission` per uid (floor). */
  validatorEmission: bigint[];
  /** Combined emission per uid (`Emission`). */
  emission: bigint[];
  /** Normalised combined emission (what pruning compares). */
  pruningScores: YumaVector;
  /** Top-k non-zero stake (`ValidatorPermit` after the epoch). */
  validatorPermit: boolean[];
  /**
   * Bonds to store, as CSR (row i = `indices/values[indptr[i]..indptr[i+1])`): recomputed rows
   * for uids holding a new permit, empty rows for uids that lost their permit, and the input row
   * unchanged otherwise (subtensor leaves it untouched). `csrToRows` gives chain-style rows.
   */
  bonds: BondsCsr;
  /** EMA bonds as exact floats before the u16 conversion (every row, CSR). */
  bondsFloat: { indptr: Int32Array; indices: Uint16Array; values: Float64Array };
}

/** A u16 matrix in CSR form, as returned for bonds. */
export interface BondsCsr {
  indptr: Int32Array;
  indices: Uint16Array;
  values: Uint16Array;
}
