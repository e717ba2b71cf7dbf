export {
  createScoreEma,
  ema,
  type ScoreEma,
  type ScoreEmaOptions,
  type ScoreEmaState,
  safeNormalize,
} from './ema.js';
export {
  type BlockEmissionOptions,
  type BlockEmissionSplit,
  settleEpochEmission,
  splitBlockEmission,
} from './emission.js';
export {
  assertFinite,
  ScoringError,
  type ScoringErrorCode,
  type ScoringErrorDetails,
} from './errors.js';
export type { NpDtype } from './npy.js';
export { applyMinSampleRamp, minSampleRamp, powerTransform, type RampShape } from './transforms.js';
export {
  type CopyDetectionOptions,
  type CopyPair,
  type CopyReport,
  type CredibilityOptions,
  type CredibilityTracker,
  createCredibilityTracker,
  credibilityMultiplier,
  detectCopies,
  type LatencyCurve,
  type LatencyOptions,
  latencyMultiplier,
  type MinerOutput,
  updateCredibility,
} from './validator-helpers.js';
export {
  type CombineMode,
  type CombineOptions,
  combineVerdicts,
  fail,
  pass,
  unverifiable,
  type Verdict,
  type VerdictStatus,
  verdictSample,
} from './verdict.js';
export {
  chainMaxUpscaleU16,
  convertWeightsAndUidsForEmit,
  type EmitWeights,
  normalizeMaxWeight,
  type ProcessedWeights,
  type ProcessWeightsOptions,
  processWeights,
  processWeightsForNetuid,
  roundHalfEven,
  splitToU16,
  U16_MAX,
  u16ToFloatWeights,
  type WeightHyperparams,
} from './weights.js';
export {
  activityCutoffBlocks,
  csrToRows,
  YUMA_DEFAULTS,
  yumaEpoch,
} from './yuma/epoch.js';
export type {
  BondsCsr,
  CsrU16,
  MatrixU16,
  SparseRowU16,
  YumaEpochOptions,
  YumaHyperparams,
  YumaInput,
  YumaOutput,
  YumaVector,
} from './yuma/types.js';
export { createYumaWorkspace, YumaWorkspace } from './yuma/workspace.js';
