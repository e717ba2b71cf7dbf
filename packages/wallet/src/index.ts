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
export {
  inspectKeyfile,
  KEYFILE_MODE,
  type KeyfileCryptoComponents,
  type KeyfileInfo,
  keyfileExists,
  keyfileModeIsLoose,
  loadKeypair,
  type PasswordPrompt,
  type PasswordRequest,
  type PasswordSources,
  readKeyfileBytes,
  resolvePassword,
  type SaveKeypairOptions,
  saveKeypair,
  savePublicKeypair,
  WALLET_DIR_MODE,
  writeKeyfileBytes,
} from './keyfile.js';
export {
  ARGON2I_SENSITIVE,
  type Argon2iParams,
  argon2iKdf,
  assertSupportedEncoding,
  type CryptoOptions,
  decodeEnvPassword,
  decryptKeyfileData,
  encodeEnvPassword,
  encryptKeyfileData,
  isEncrypted,
  type KeyDerivation,
  type KeyfileEncoding,
  keyfileEncoding,
  NACL_PREFIX,
  NACL_SALT,
  naclKdf,
  passwordEnvVarName,
} from './keyfile-crypto.js';
export {
  KEYFILE_FIELDS,
  type KeyfileData,
  keypairFromKeyfileData,
  keypairToKeyfileData,
  parseKeyfileData,
  publicKeyfileData,
  serializeKeyfileData,
} from './keyfile-json.js';
export { Keypair, type KeypairOrigin, type Message, verifySignature } from './keypair.js';
export {
  generateMnemonic,
  isValidMnemonic,
  type MnemonicWordCount,
  mnemonicToMiniSecret,
  normalizeMnemonic,
} from './mnemonic.js';
/**
 * Low level sr25519 for hot paths (transport, localnet): schnorrkel canonical secret ⇄ the
 * cofactor-multiplied form the wasm builds take; verify/sign on the wallet's fast library; the
 * parse check and module path a worker thread needs to call that library itself.
 */
export {
  canonicalToEd25519Secret,
  ed25519ToCanonicalSecret,
  SR25519_WASM_MODULE_PATH,
  sign as sr25519Sign,
  sr25519Parses,
  verify as sr25519Verify,
} from './sr25519.js';
export {
  isSchnorrkelSecret,
  isSchnorrkelSignature,
  isSr25519PublicKey,
} from './sr25519-guard.js';
export {
  BITTENSOR_SS58_PREFIX,
  type DecodedAddress,
  decodeAddress,
  encodeAddress,
  isValidAddress,
} from './ss58.js';
export {
  type CreateKeyOptions,
  createWallet,
  DEFAULT_HOTKEY_NAME,
  DEFAULT_WALLET_NAME,
  DEFAULT_WALLET_PATH,
  expandHome,
  type KeySource,
  listWallets,
  type UnlockOptions,
  validateWalletName,
  Wallet,
  type WalletComponents,
  type WalletOptions,
  type WalletSummary,
} from './wallet.js';
