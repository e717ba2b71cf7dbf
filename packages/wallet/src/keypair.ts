import { assertLength, bytesToHex, hexToBytes } from './bytes.js';
import { type Junction, parseDerivationPath, parseSecretUri } from './derivation.js';
import { WalletError } from './errors.js';
import {
  generateMnemonic,
  type MnemonicWordCount,
  mnemonicToMiniSecret,
  normalizeMnemonic,
} from './mnemonic.js';
import * as sr from './sr25519.js';
import { BITTENSOR_SS58_PREFIX, decodeAddress, encodeAddress } from './ss58.js';

export type Message = Uint8Array | string;

const utf8 = new TextEncoder();

function messageBytes(message: Message): Uint8Array {
  if (typeof message === 'string') return utf8.encode(message);
  if (message instanceof Uint8Array) return message;
  throw new WalletError('INVALID_LENGTH', 'message must be a string or a Uint8Array');
}

/** What a keypair was made from, kept so it can be written back to a keyfile. */
export interface KeypairOrigin {
  mnemonic?: string;
  /** 32-byte mini-secret seed, when the key is not derived. */
  seed?: Uint8Array;
}

/**
 * An sr25519 keypair (or a public key alone). Signing and verification go straight to
 * `@polkadot-labs/schnorrkel-wasm` (see sr25519.ts).
 */
export class Keypair {
  readonly publicKey: Uint8Array;
  readonly ss58Address: string;
  readonly mnemonic: string | undefined;
  readonly seed: Uint8Array | undefined;
  /** 64 bytes in schnorrkel's half-ed25519 form; absent for a public-only keypair. */
  readonly #secretKey: Uint8Array | undefined;

  private constructor(
    publicKey: Uint8Array,
    secretKey: Uint8Array | undefined,
    origin: KeypairOrigin = {},
  ) {
    this.publicKey = publicKey;
    this.#secretKey = secretKey;
    this.ss58Address = encodeAddress(publicKey, BITTENSOR_SS58_PREFIX);
    this.mnemonic = origin.mnemonic;
    this.seed = origin.seed;
  }

  private static fromRaw(raw: sr.RawKeypair, origin?: KeypairOrigin): Keypair {
    return new Keypair(raw.slice(64, 96), raw.slice(0, 64), origin);
  }

  /** From a 32-byte mini-secret seed (bytes or `0x` hex). */
  static fromSeed(seed: Uint8Array | string): Keypair {
    const bytes = typeof seed === 'string' ? hexToBytes(seed, 'seed', sr.SEED_LENGTH) : seed;
    assertLength(bytes, sr.SEED_LENGTH, 'seed');
    return Keypair.fromRaw(sr.keypairFromSeed(bytes), { seed: bytes.slice() });
  }

  /** From a BIP39 mnemonic, with the substrate-bip39 derivation (optional BIP39 password). */
  static fromMnemonic(phrase: string, options: { password?: string } = {}): Keypair {
    const mnemonic = normalizeMnemonic(phrase);
    const seed = mnemonicToMiniSecret(mnemonic, options.password ?? '');
    return Keypair.fromRaw(sr.keypairFromSeed(seed), { mnemonic, seed });
  }

  /**
   * From a secret URI: `//Alice`, `//Alice//stash`, `<mnemonic>//hard/soft///password`,
   * `0x<seed>//path`.
   */
  static fromUri(uri: string): Keypair {
    const { phrase, junctions, password } = parseSecretUri(uri);
    const base = phrase.startsWith('0x')
      ? Keypair.fromSeed(phrase)
      : Keypair.fromMnemonic(phrase, { password });
    return junctions.length === 0 ? base : base.#deriveJunctions(junctions);
  }

  /** A new random 12-word (by default) mnemonic keypair. */
  static generate(words: MnemonicWordCount = 12): Keypair {
    return Keypair.fromMnemonic(generateMnemonic(words));
  }

  /**
   * From a 64-byte secret key. `form: 'canonical'` is schnorrkel's `SecretKey::to_bytes`
   * (what btwallet writes as `privateKey`); `'ed25519'` is the cofactor-multiplied form
   * polkadot-js uses. `publicKey` is checked against the secret (and must be a ristretto255
   * point); either mismatch is `INVALID_SECRET_KEY`.
   */
  static fromSecretKey(
    secretKey: Uint8Array,
    publicKey: Uint8Array,
    form: 'canonical' | 'ed25519' = 'canonical',
  ): Keypair {
    assertLength(secretKey, sr.SECRET_KEY_LENGTH, 'secret key');
    assertLength(publicKey, sr.PUBLIC_KEY_LENGTH, 'public key');
    const secret =
      form === 'canonical' ? sr.canonicalToEd25519Secret(secretKey) : secretKey.slice();
    const pair = new Keypair(publicKey.slice(), secret);
    // A secret that does not belong to the public key would sign garbage: prove it once.
    const probe = utf8.encode('subnetkit keypair check');
    if (!pair.verify(probe, pair.sign(probe))) {
      throw new WalletError('INVALID_SECRET_KEY', 'secret key does not match the public key');
    }
    return pair;
  }

  /** A public-only keypair (can verify, cannot sign). */
  static fromPublicKey(publicKey: Uint8Array | string): Keypair {
    const bytes =
      typeof publicKey === 'string'
        ? hexToBytes(publicKey, 'public key', sr.PUBLIC_KEY_LENGTH)
        : publicKey;
    assertLength(bytes, sr.PUBLIC_KEY_LENGTH, 'public key');
    return new Keypair(bytes.slice(), undefined);
  }

  /** A public-only keypair from an SS58 address (prefix 42 unless `prefix` says otherwise). */
  static fromAddress(address: string, prefix: number | null = BITTENSOR_SS58_PREFIX): Keypair {
    return new Keypair(decodeAddress(address, prefix).publicKey, undefined);
  }

  get hasSecret(): boolean {
    return this.#secretKey !== undefined;
  }

  /** `0x`-hex of the public key, as the Python SDK's `public_key` / keyfile `accountId`. */
  get publicKeyHex(): string {
    return bytesToHex(this.publicKey);
  }

  /** Derives a child keypair along `//hard/soft` junctions. */
  derive(path: string): Keypair {
    return this.#deriveJunctions(parseDerivationPath(path));
  }

  #deriveJunctions(junctions: Junction[]): Keypair {
    let pair: sr.RawKeypair = new Uint8Array(96);
    pair.set(this.#requireSecret('derive a hard or soft child'));
    pair.set(this.publicKey, 64);
    for (const junction of junctions) {
      pair = junction.hard
        ? sr.deriveHard(pair, junction.chainCode)
        : sr.deriveSoft(pair, junction.chainCode);
    }
    return Keypair.fromRaw(pair);
  }

  #requireSecret(action: string): Uint8Array {
    if (!this.#secretKey) {
      throw new WalletError(
        'PUBLIC_KEY_ONLY',
        `keypair ${this.ss58Address} has no secret key: cannot ${action}`,
      );
    }
    return this.#secretKey;
  }

  /** 64-byte sr25519 signature of a message (strings are signed as UTF-8). */
  sign(message: Message): Uint8Array {
    return sr.sign(this.publicKey, this.#requireSecret('sign'), messageBytes(message));
  }

  verify(message: Message, signature: Uint8Array | string): boolean {
    return verifySignature(message, signature, this.publicKey);
  }

  /** The secret key in schnorrkel's canonical form (btwallet's keyfile `privateKey`). */
  exportSecretKey(): Uint8Array {
    return sr.ed25519ToCanonicalSecret(this.#requireSecret('export the secret key'));
  }
}

/**
 * Verifies an sr25519 signature. `signer` is a 32-byte public key or an SS58 address;
 * `signature` is 64 bytes or `0x` hex. Malformed input is an error, a wrong signature `false`.
 */
export function verifySignature(
  message: Message,
  signature: Uint8Array | string,
  signer: Uint8Array | string,
): boolean {
  const publicKey =
    typeof signer === 'string'
      ? signer.startsWith('0x')
        ? hexToBytes(signer, 'public key', sr.PUBLIC_KEY_LENGTH)
        : decodeAddress(signer, null).publicKey
      : signer;
  assertLength(publicKey, sr.PUBLIC_KEY_LENGTH, 'public key');
  const sig =
    typeof signature === 'string'
      ? hexToBytes(signature, 'signature', sr.SIGNATURE_LENGTH)
      : signature;
  assertLength(sig, sr.SIGNATURE_LENGTH, 'signature');
  return sr.verify(sig, messageBytes(message), publicKey);
}
