// The keyfile JSON as btwallet writes and reads it (src/keyfile.rs
// `serialized_keypair_to_keyfile_data` / `deserialize_keypair_from_keyfile_data`).
import { ristretto255 } from '@noble/curves/ed25519.js';
import { bytesToHex, hexToBytes } from './bytes.js';
import { WalletError } from './errors.js';
import { Keypair } from './keypair.js';
import { decodeAddress } from './ss58.js';

/** Every field btwallet knows; all optional strings (`null` in files from bittensor ≤ 7). */
export interface KeyfileData {
  /** `0x` + hex of the 32-byte public key. */
  accountId?: string;
  /** Same value as `accountId`. */
  publicKey?: string;
  /** `0x` + hex of the 64-byte schnorrkel secret key in canonical form (sp_core `to_raw_vec`). */
  privateKey?: string;
  /** The BIP39 mnemonic. */
  secretPhrase?: string;
  /** `0x` + hex of the 32-byte mini-secret. */
  secretSeed?: string;
  /** SS58 address, prefix 42. */
  ss58Address?: string;
}

export const KEYFILE_FIELDS = [
  'accountId',
  'publicKey',
  'privateKey',
  'secretPhrase',
  'secretSeed',
  'ss58Address',
] as const satisfies readonly (keyof KeyfileData)[];

/**
 * The keyfile fields for a keypair. A keypair with a secret gets `privateKey` and, when
 * known, `secretPhrase` / `secretSeed`; a public-only keypair gets only the public fields
 * (what btwallet writes to `coldkeypub.txt` and `<hotkey>pub.txt`).
 */
export function keypairToKeyfileData(keypair: Keypair): KeyfileData {
  const data: KeyfileData = { accountId: keypair.publicKeyHex, publicKey: keypair.publicKeyHex };
  if (keypair.hasSecret) data.privateKey = bytesToHex(keypair.exportSecretKey());
  if (keypair.mnemonic !== undefined) data.secretPhrase = keypair.mnemonic;
  if (keypair.seed !== undefined) data.secretSeed = bytesToHex(keypair.seed);
  data.ss58Address = keypair.ss58Address;
  return data;
}

/** Public-only fields (`accountId`, `publicKey`, `ss58Address`) of any keypair. */
export function publicKeyfileData(keypair: Keypair): KeyfileData {
  return {
    accountId: keypair.publicKeyHex,
    publicKey: keypair.publicKeyHex,
    ss58Address: keypair.ss58Address,
  };
}

/**
 * Compact JSON like serde_json's `to_string` (btwallet). Fields come in a fixed order
 * (btwallet's order is random: it serialises a HashMap).
 */
export function serializeKeyfileData(data: KeyfileData): Uint8Array {
  const ordered: Record<string, string> = {};
  for (const field of KEYFILE_FIELDS) {
    const value = data[field];
    if (value !== undefined) ordered[field] = value;
  }
  return new TextEncoder().encode(JSON.stringify(ordered));
}

const malformed = (message: string, cause?: unknown) =>
  new WalletError('KEYFILE_MALFORMED', message, cause === undefined ? undefined : { cause });

/**
 * Parses decrypted keyfile bytes. Accepts what btwallet accepts: a JSON object whose known
 * fields are strings or `null` (null = absent), plus bittensor ≤ 6's bare `0x<public key>`
 * form. Unknown fields are ignored.
 */
export function parseKeyfileData(bytes: Uint8Array | string): KeyfileData {
  let text: string;
  try {
    text =
      typeof bytes === 'string' ? bytes : new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw malformed('keyfile is not UTF-8 text (is it encrypted with an unknown format?)', cause);
  }
  const trimmed = text.trim();
  if (/^0x[0-9a-fA-F]{64}$/.test(trimmed)) {
    // bittensor ≤ 6 could store a bare public key; it loaded it as an ss58Address.
    return { accountId: trimmed, publicKey: trimmed };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw malformed(`keyfile is not valid JSON: ${(cause as Error).message}`, cause);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw malformed('keyfile JSON must be an object');
  }
  const record = parsed as Record<string, unknown>;
  const data: KeyfileData = {};
  for (const field of KEYFILE_FIELDS) {
    const value = record[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      throw malformed(`keyfile field "${field}" must be a string, got ${typeof value}`);
    }
    data[field] = value;
  }
  return data;
}

// ---- keypair reconstruction

/** Schnorrkel public key of a canonical secret: (scalar mod ℓ) · G on ristretto255. */
function publicKeyFromCanonicalSecret(secret: Uint8Array): Uint8Array {
  let scalar = 0n;
  for (let i = 31; i >= 0; i--) scalar = (scalar << 8n) | BigInt(secret[i]!);
  const order = ristretto255.Point.Fn.ORDER;
  const reduced = scalar % order;
  if (reduced === 0n) throw malformed('keyfile field "privateKey" holds a zero scalar');
  return ristretto255.Point.BASE.multiply(reduced).toBytes();
}

function fieldHex(data: KeyfileData, field: keyof KeyfileData, length: number): Uint8Array {
  try {
    return hexToBytes(data[field]!, `keyfile field "${field}"`, length);
  } catch (cause) {
    throw malformed((cause as Error).message, cause);
  }
}

function secretKeypair(data: KeyfileData): { keypair: Keypair; from: keyof KeyfileData } | null {
  try {
    if (data.secretPhrase !== undefined) {
      return { keypair: Keypair.fromMnemonic(data.secretPhrase), from: 'secretPhrase' };
    }
    if (data.secretSeed !== undefined) {
      return { keypair: Keypair.fromSeed(fieldHex(data, 'secretSeed', 32)), from: 'secretSeed' };
    }
    if (data.privateKey !== undefined) {
      const secret = fieldHex(data, 'privateKey', 64);
      const publicKey = publicKeyFromCanonicalSecret(secret);
      return { keypair: Keypair.fromSecretKey(secret, publicKey), from: 'privateKey' };
    }
  } catch (cause) {
    if (cause instanceof WalletError && cause.code === 'KEYFILE_MALFORMED') throw cause;
    const field =
      data.secretPhrase !== undefined
        ? 'secretPhrase'
        : data.secretSeed !== undefined
          ? 'secretSeed'
          : 'privateKey';
    throw malformed(`keyfile field "${field}" is invalid: ${(cause as Error).message}`, cause);
  }
  return null;
}

function statedPublicKey(data: KeyfileData): { publicKey: Uint8Array; from: string }[] {
  const out: { publicKey: Uint8Array; from: string }[] = [];
  for (const field of ['accountId', 'publicKey'] as const) {
    if (data[field] !== undefined) out.push({ publicKey: fieldHex(data, field, 32), from: field });
  }
  if (data.ss58Address !== undefined) {
    try {
      out.push({ publicKey: decodeAddress(data.ss58Address, null).publicKey, from: 'ss58Address' });
    } catch (cause) {
      throw malformed(`keyfile field "ss58Address" is invalid: ${(cause as Error).message}`, cause);
    }
  }
  return out;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((byte, i) => byte === b[i]);

/**
 * Rebuilds the keypair with btwallet's priority: `secretPhrase` → `secretSeed` →
 * `privateKey` → public only (`ss58Address`, then `publicKey` / `accountId`).
 * Stricter than btwallet: every public field present must match the key the secret gives,
 * and public fields must agree with each other, otherwise the file is `KEYFILE_MALFORMED`
 * (a keyfile whose address is not its key's address would send funds to the wrong place).
 */
export function keypairFromKeyfileData(data: KeyfileData): Keypair {
  const secret = secretKeypair(data);
  const stated = statedPublicKey(data);
  if (secret) {
    for (const { publicKey, from } of stated) {
      if (!sameBytes(publicKey, secret.keypair.publicKey)) {
        throw malformed(
          `keyfile field "${from}" does not match the key derived from "${secret.from}"`,
        );
      }
    }
    return secret.keypair;
  }
  const [first, ...rest] = stated;
  if (!first) {
    throw malformed(
      'keyfile has none of secretPhrase, secretSeed, privateKey, ss58Address, publicKey',
    );
  }
  for (const { publicKey, from } of rest) {
    if (!sameBytes(publicKey, first.publicKey)) {
      throw malformed(`keyfile field "${from}" does not match field "${first.from}"`);
    }
  }
  return Keypair.fromPublicKey(first.publicKey);
}
