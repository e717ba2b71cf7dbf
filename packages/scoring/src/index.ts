export { assertFinite, ScoringError, type ScoringErrorCode } from './errors.js';
export type { NpDtype } from './npy.js';
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
export { csrToRows, YUMA_DEFAULTS, yumaEpoch } from './yuma/epoch.js';
export type {
  BondsCsr,
  CsrU16,
  MatrixU16,
  SparseRowU16,
  YumaHyperparams,
  YumaInput,
  YumaOutput,
  YumaVector,
} from './yuma/types.js';
