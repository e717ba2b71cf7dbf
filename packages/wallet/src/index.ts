export { bytesToHex, hexToBytes } from './bytes.js';
export {
  DEV_PHRASE,
  type Junction,
  junctionChainCode,
  type ParsedUri,
  parseDerivationPath,
  parseSecretUri,
} from './derivation.js';
export { WalletError, type WalletErrorCode } from './errors.js';
export { Keypair, type KeypairOrigin, type Message, verifySignature } from './keypair.js';
export {
  generateMnemonic,
  isValidMnemonic,
  type MnemonicWordCount,
  mnemonicToMiniSecret,
  normalizeMnemonic,
} from './mnemonic.js';
export {
  BITTENSOR_SS58_PREFIX,
  type DecodedAddress,
  decodeAddress,
  encodeAddress,
  isValidAddress,
} from './ss58.js';
