export {
  decodeG1,
  decodeG2,
  type G1Point,
  type G2Point,
  hashRoundToG1,
  PUBLIC_KEY_LENGTH,
  QUICKNET_DST,
  roundMessage,
  SIGNATURE_LENGTH,
  verifyBeacon,
} from './bls.js';
export { type BytesLike, toHex } from './bytes.js';
export {
  assertCommitSize,
  createTimelockedCommit,
  MAX_COMMIT_BYTES,
  openTimelockedCommit,
  type TimelockedCommit,
  type TimelockedCommitInput,
} from './commit.js';
export { type CompatibilityStatus, MAINNET_COMPATIBILITY } from './compat.js';
export { TimelockError, type TimelockErrorCode, type TimelockErrorDetails } from './errors.js';
export {
  decodeLegacyWeightsTlockPayload,
  decodeWeightsPayload,
  decodeWeightsTlockPayload,
  encodeCompactLength,
  encodeWeightsPayload,
  type RevealedWeights,
  type WeightsPayload,
  type WeightsPayloadInput,
} from './payload.js';
export { type DrandChainInfo, QUICKNET, roundAt, roundTime } from './quicknet.js';
export {
  computeRevealRound,
  type EpochScheduleState,
  GLOBAL_MAX_SUBNET_COUNT,
  mechanismStorageIndex,
  type RevealRoundInput,
  type RevealRoundResult,
  SECURITY_BLOCK_OFFSET,
} from './reveal-round.js';
export {
  createDrandSimulator,
  DrandSimulator,
  type DrandSimulatorComponents,
  type DrandSimulatorOptions,
  type Pulse,
} from './simulator.js';
export {
  AES_GCM_CIPHER_SUITE,
  type AesOutput,
  decrypt,
  decryptWithEphemeralKey,
  type EncryptOptions,
  encrypt,
  encryptToIdentity,
  gtToArkBytes,
  type IbeHeader,
  type ParsedCiphertext,
  parseAesOutput,
  parseCiphertext,
  serializeAesOutput,
  serializeCiphertext,
  type TleCiphertext,
} from './tle.js';
