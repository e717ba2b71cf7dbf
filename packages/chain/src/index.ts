export {
  type AxonCallArgs,
  type AxonInfo,
  buildServeAxonArgs,
  intToIp,
  ipToInt,
  type ServeAxonParams,
  toAxonInfo,
  versionAsInt,
} from './axon.js';
export { decodeMetagraphStruct, decodeNeuron, metagraphFromNeurons } from './decode.js';
export {
  ChainError,
  type ChainErrorCode,
  type ChainErrorDetails,
  invalidInput,
  isChainError,
} from './errors.js';
export {
  checkTransactionExtensions,
  type ExtensionReport,
  SUBTENSOR_EMPTY_EXTENSIONS,
  SUBTENSOR_SIGNED_EXTENSIONS,
  type VersionedMetadataLike,
} from './extensions.js';
export { NETWORKS, type NetworkName, type ResolvedNetwork, resolveNetwork } from './networks.js';
export { keypairToSigner, SR25519_SIGNATURE_TYPE } from './signer.js';
export {
  type ChainLogger,
  createSubtensorChain,
  type ProviderInterface,
  type ReconnectOptions,
  SubtensorChain,
  type SubtensorChainComponents,
  type SubtensorChainOptions,
} from './subtensor-chain.js';
export { CUSTOM_TX_ERRORS, decodeDispatchError, errorHint, mapSubmitError } from './tx-errors.js';
export type {
  Balance,
  BlockInfo,
  Chain,
  CommitResult,
  CommitWeightsParams,
  Metagraph,
  NeuronInfo,
  ReadSource,
  RegisterResult,
  RevealWeightsParams,
  SetWeightsParams,
  StakeParams,
  SubmitWeightsOptions,
  SubmitWeightsResult,
  SubnetHyperparameters,
  TimelockedCommitOptions,
  TimelockedCommitResult,
  TxEvent,
  TxOptions,
  TxResult,
  WeightsCalls,
  WeightsMethod,
  WeightsStatus,
} from './types.js';
export {
  type CommitHashInput,
  checkWeightsInput,
  commitHash,
  commitHashPreimage,
  netuidIndex,
  randomSalt,
  type WeightsInput,
  weightsBlocksLeft,
} from './weights.js';
export {
  type ChooseWeightsMethodOptions,
  chooseWeightsMethod,
  SDK_COMMIT_REVEAL_VERSION,
  SUPPORTED_COMMIT_REVEAL_VERSIONS,
  type WeightsMethodStatus,
} from './weights-method.js';
