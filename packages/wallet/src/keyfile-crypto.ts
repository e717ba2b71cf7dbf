// Keyfile encryption as btcli / btwallet does it (btwallet src/keyfile.rs):
//   file = "$NACL" ‖ nonce(24) ‖ XSalsa20-Poly1305 secretbox(tag(16) ‖ ciphertext)
//   key  = Argon2i v1.3 (libsodium crypto_pwhash_argon2i, OPSLIMIT/MEMLIMIT_SENSITIVE),
//          32 bytes, over the UTF-8 password with a fixed 16-byte salt.
import { randomBytes } from 'node:crypto';
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js';
import type { Algorithm, Version } from '@node-rs/argon2';
import { concatBytes } from './bytes.js';
import { WalletError } from './errors.js';

/** The fixed salt btwallet (and bittensor ≤ 7) uses: `b"\x13q\x83\xdf\xf1Z\t\xbc\x9c\x90\xb5Q\x879\xe9\xb1"`. */
export const NACL_SALT: Uint8Array = Uint8Array.from([
  0x13, 0x71, 0x83, 0xdf, 0xf1, 0x5a, 0x09, 0xbc, 0x9c, 0x90, 0xb5, 0x51, 0x87, 0x39, 0xe9, 0xb1,
]);

export const NACL_PREFIX = '$NACL';
const PREFIX_BYTES = new TextEncoder().encode(NACL_PREFIX);
const NONCE_LENGTH = 24;
const TAG_LENGTH = 16;
const KEY_LENGTH = 32;

/** Argon2i cost, in libsodium's units (`opslimit` passes, `memlimit` bytes). */
export interface Argon2iParams {
  opsLimit: number;
  memLimitBytes: number;
}

/**
 * libsodium `crypto_pwhash_argon2i_OPSLIMIT_SENSITIVE` / `MEMLIMIT_SENSITIVE`: 8 passes over
 * 512 MiB (checked against PyNaCl 1.5: `nacl.pwhash.argon2i.OPSLIMIT_SENSITIVE == 8`,
 * `MEMLIMIT_SENSITIVE == 536870912`). About 2-3 s of CPU and 512 MiB of RAM per derivation.
 */
export const ARGON2I_SENSITIVE: Readonly<Argon2iParams> = Object.freeze({
  opsLimit: 8,
  memLimitBytes: 512 * 1024 * 1024,
});

/** Turns a password into the 32-byte secretbox key. Injectable so tests can use cheap costs. */
export type KeyDerivation = (password: Uint8Array, salt: Uint8Array) => Promise<Uint8Array>;

// The values of @node-rs/argon2's `const enum`s (which isolatedModules cannot read).
const ARGON2I = 1 as Algorithm;
const V0X13 = 1 as Version;

// Loaded on first use: importing the wallet (to sign or verify) does not load the addon.
let binding: Promise<typeof import('@node-rs/argon2')> | undefined;

/**
 * Argon2i v1.3 as libsodium's `crypto_pwhash(..., ALG_ARGON2I13)`: one lane, memory in KiB
 * (memlimit / 1024, rounded down, as libsodium does), raw 32-byte output. Runs on
 * @node-rs/argon2 (RustCrypto's argon2 crate, native) in the libuv thread pool, so it does not
 * block; bench/argon2.ts compares it with libsodium and the other candidates.
 */
export function argon2iKdf(params: Argon2iParams = ARGON2I_SENSITIVE): KeyDerivation {
  if (!Number.isInteger(params.opsLimit) || params.opsLimit < 3) {
    // libsodium refuses argon2i with fewer than 3 passes; refuse the same here.
    throw new WalletError('INVALID_LENGTH', `argon2i opsLimit must be an integer ≥ 3`);
  }
  if (!Number.isInteger(params.memLimitBytes) || params.memLimitBytes < 8192) {
    throw new WalletError('INVALID_LENGTH', `argon2i memLimitBytes must be an integer ≥ 8192`);
  }
  const options = {
    algorithm: ARGON2I,
    version: V0X13,
    outputLen: KEY_LENGTH,
    timeCost: params.opsLimit,
    memoryCost: Math.floor(params.memLimitBytes / 1024),
    parallelism: 1,
  };
  return async (password, salt) => {
    binding ??= import('@node-rs/argon2');
    const out = await (await binding).hashRaw(password, { ...options, salt });
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  };
}

/** The KDF btwallet uses; what every keyfile on disk is encrypted with. */
export const naclKdf: KeyDerivation = argon2iKdf(ARGON2I_SENSITIVE);

/** How a keyfile's bytes are protected, judged by prefix as btwallet does. */
export type KeyfileEncoding = 'plaintext' | 'nacl' | 'ansible-vault' | 'legacy-fernet';

const startsWith = (data: Uint8Array, prefix: string): boolean =>
  data.length >= prefix.length &&
  Buffer.from(data.subarray(0, prefix.length)).toString('latin1') === prefix;

export function keyfileEncoding(data: Uint8Array): KeyfileEncoding {
  if (startsWith(data, NACL_PREFIX)) return 'nacl';
  if (startsWith(data, '$ANSIBLE_VAULT')) return 'ansible-vault';
  if (startsWith(data, 'gAAAAA')) return 'legacy-fernet';
  return 'plaintext';
}

export function isEncrypted(data: Uint8Array): boolean {
  return keyfileEncoding(data) !== 'plaintext';
}

export interface CryptoOptions {
  /** Password → key function; defaults to {@link naclKdf} (the real btwallet parameters). */
  kdf?: KeyDerivation;
}

const utf8 = new TextEncoder();

async function deriveKey(password: string, kdf: KeyDerivation): Promise<Uint8Array> {
  if (typeof password !== 'string') {
    throw new WalletError('PASSWORD_REQUIRED', 'password must be a string');
  }
  const key = await kdf(utf8.encode(password), NACL_SALT);
  if (key.length !== KEY_LENGTH) {
    throw new WalletError('INVALID_LENGTH', `key derivation returned ${key.length} bytes, not 32`);
  }
  return key;
}

/** Encrypts keyfile bytes into the `$NACL` format (random nonce). */
export async function encryptKeyfileData(
  plaintext: Uint8Array,
  password: string,
  options: CryptoOptions & { nonce?: Uint8Array } = {},
): Promise<Uint8Array> {
  const key = await deriveKey(password, options.kdf ?? naclKdf);
  const nonce = options.nonce ?? new Uint8Array(randomBytes(NONCE_LENGTH));
  if (nonce.length !== NONCE_LENGTH) {
    throw new WalletError('INVALID_LENGTH', `nonce must be ${NONCE_LENGTH} bytes`);
  }
  const sealed = xsalsa20poly1305(key, nonce).encrypt(plaintext);
  return concatBytes(PREFIX_BYTES, nonce, sealed);
}

function unsupported(encoding: 'ansible-vault' | 'legacy-fernet'): WalletError {
  const what =
    encoding === 'ansible-vault'
      ? 'Ansible Vault ($ANSIBLE_VAULT, bittensor < 5)'
      : 'legacy Fernet (gAAAAA…, the oldest bittensor format)';
  return new WalletError(
    'KEYFILE_UNSUPPORTED_FORMAT',
    `keyfile is encrypted with ${what}, which subnetkit does not decrypt; ` +
      're-encrypt it with btcli (e.g. `btcli wallet update`, or regenerate the key from its ' +
      'mnemonic) to get the current $NACL format',
  );
}

/** Throws `KEYFILE_UNSUPPORTED_FORMAT` for legacy formats (no password needed to know). */
export function assertSupportedEncoding(data: Uint8Array): void {
  const encoding = keyfileEncoding(data);
  if (encoding === 'ansible-vault' || encoding === 'legacy-fernet') throw unsupported(encoding);
}

/**
 * Decrypts `$NACL` keyfile bytes. A wrong password (or tampered file) is `WRONG_PASSWORD`:
 * the Poly1305 tag cannot tell them apart. Legacy formats are `KEYFILE_UNSUPPORTED_FORMAT`.
 */
export async function decryptKeyfileData(
  data: Uint8Array,
  password: string,
  options: CryptoOptions = {},
): Promise<Uint8Array> {
  assertSupportedEncoding(data);
  if (keyfileEncoding(data) !== 'nacl') {
    throw new WalletError('KEYFILE_MALFORMED', 'keyfile data is not encrypted (no $NACL prefix)');
  }
  const body = data.subarray(PREFIX_BYTES.length);
  if (body.length < NONCE_LENGTH + TAG_LENGTH) {
    throw new WalletError(
      'KEYFILE_MALFORMED',
      `$NACL keyfile is truncated: ${body.length} bytes after the prefix, need at least ` +
        `${NONCE_LENGTH + TAG_LENGTH} (nonce + tag)`,
    );
  }
  const key = await deriveKey(password, options.kdf ?? naclKdf);
  try {
    return xsalsa20poly1305(key, body.subarray(0, NONCE_LENGTH)).decrypt(
      body.subarray(NONCE_LENGTH),
    );
  } catch (cause) {
    throw new WalletError(
      'WRONG_PASSWORD',
      'wrong password: the $NACL keyfile did not decrypt (or it was modified)',
      { cause },
    );
  }
}

// ---- BT_PW_* environment variable (btwallet keyfile.rs `env_var_name`, `save_password_to_env`)

/**
 * The env var btwallet reads a keyfile's password from: `BT_PW_` + the keyfile path with `/`
 * and `.` replaced by `_`, upper-cased. `/root/.bittensor/wallets/default/coldkey` →
 * `BT_PW__ROOT__BITTENSOR_WALLETS_DEFAULT_COLDKEY`.
 */
export function passwordEnvVarName(keyfilePath: string): string {
  return `BT_PW_${keyfilePath.replaceAll('/', '_').replaceAll('.', '_').toUpperCase()}`;
}

function xorWithName(data: Uint8Array, name: string): Uint8Array {
  const key = utf8.encode(name);
  return data.map((byte, i) => byte ^ key[i % key.length]!);
}

/**
 * The value btwallet stores: base64(password XOR name, name repeated). This is obfuscation,
 * not encryption: anyone who can read the environment can recover the password.
 */
export function encodeEnvPassword(envVarName: string, password: string): string {
  return Buffer.from(xorWithName(utf8.encode(password), envVarName)).toString('base64');
}

export function decodeEnvPassword(envVarName: string, value: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new WalletError('KEYFILE_MALFORMED', `${envVarName} is not valid base64`);
  }
  const bytes = xorWithName(new Uint8Array(Buffer.from(value, 'base64')), envVarName);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new WalletError(
      'KEYFILE_MALFORMED',
      `${envVarName} does not decode to UTF-8: it was not made for this keyfile path`,
    );
  }
}
