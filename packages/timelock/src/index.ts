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
export { TimelockError, type TimelockErrorCode } from './errors.js';
export { type DrandChainInfo, QUICKNET, roundAt, roundTime } from './quicknet.js';
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
