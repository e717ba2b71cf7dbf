import { blake2b } from '@noble/hashes/blake2.js';
import { WalletError } from './errors.js';

/** The well-known Substrate development phrase behind `//Alice`, `//Bob`, ... */
export const DEV_PHRASE = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';

export interface Junction {
  hard: boolean;
  /** 32-byte chain code. */
  chainCode: Uint8Array;
  /** The junction as written, for messages. */
  label: string;
}

export interface ParsedUri {
  /** Mnemonic or `0x` hex seed; the dev phrase when the URI starts with a path. */
  phrase: string;
  junctions: Junction[];
  /** BIP39 password from `///password`. */
  password: string;
}

const U64_MAX = 2n ** 64n - 1n;

function compactLength(n: number): Uint8Array {
  if (n < 1 << 6) return Uint8Array.of(n << 2);
  if (n < 1 << 14) return Uint8Array.of(((n << 2) | 1) & 0xff, n >> 6);
  return Uint8Array.of(((n << 2) | 2) & 0xff, (n >> 6) & 0xff, (n >> 14) & 0xff, (n >> 22) & 0xff);
}

/**
 * Chain code of one junction as Substrate computes it: a decimal that fits in u64 is its
 * 8-byte little-endian encoding, anything else the SCALE encoding of the string; more than 32
 * bytes are hashed with blake2b-256, fewer are zero-padded.
 */
export function junctionChainCode(code: string): Uint8Array {
  let encoded: Uint8Array;
  if (/^\d+$/.test(code) && BigInt(code) <= U64_MAX) {
    encoded = new Uint8Array(8);
    new DataView(encoded.buffer).setBigUint64(0, BigInt(code), true);
  } else {
    const utf8 = new TextEncoder().encode(code);
    const prefix = compactLength(utf8.length);
    encoded = new Uint8Array(prefix.length + utf8.length);
    encoded.set(prefix);
    encoded.set(utf8, prefix.length);
  }
  if (encoded.length > 32) return blake2b(encoded, { dkLen: 32 });
  const chainCode = new Uint8Array(32);
  chainCode.set(encoded);
  return chainCode;
}

/** Parses a derivation path such as `//Alice//stash/0`. */
export function parseDerivationPath(path: string): Junction[] {
  const junctions: Junction[] = [];
  const re = /(\/\/?)([^/]+)/g;
  let consumed = 0;
  for (const match of path.matchAll(re)) {
    if (match.index !== consumed) break;
    consumed += match[0].length;
    const [, slashes, code] = match;
    junctions.push({
      hard: slashes === '//',
      chainCode: junctionChainCode(code!),
      label: match[0],
    });
  }
  if (consumed !== path.length) {
    throw new WalletError(
      'INVALID_DERIVATION_PATH',
      `derivation path "${path}" is malformed near "${path.slice(consumed)}" (expected /soft or //hard junctions)`,
    );
  }
  return junctions;
}

/**
 * Splits a secret URI `<phrase or 0x seed><path>[///password]`. A URI that starts with `/`
 * uses the dev phrase, so `//Alice` is the well-known development account.
 */
export function parseSecretUri(uri: string): ParsedUri {
  if (typeof uri !== 'string' || uri.trim() === '') {
    throw new WalletError('INVALID_DERIVATION_PATH', 'secret URI must be a non-empty string');
  }
  const passwordAt = uri.indexOf('///');
  const password = passwordAt === -1 ? '' : uri.slice(passwordAt + 3);
  const rest = passwordAt === -1 ? uri : uri.slice(0, passwordAt);
  const pathAt = rest.indexOf('/');
  const phrase = (pathAt === -1 ? rest : rest.slice(0, pathAt)).trim();
  const path = pathAt === -1 ? '' : rest.slice(pathAt);
  return {
    phrase: phrase === '' ? DEV_PHRASE : phrase,
    junctions: parseDerivationPath(path),
    password,
  };
}
