import { blake2b } from '@noble/hashes/blake2.js';
import { base58 } from '@scure/base';
import { assertLength, concatBytes } from './bytes.js';
import { WalletError } from './errors.js';

/** The SS58 prefix Bittensor uses (the generic Substrate one). */
export const BITTENSOR_SS58_PREFIX = 42;

const SS58_CONTEXT = new TextEncoder().encode('SS58PRE');
const PUBLIC_KEY_LENGTH = 32;
const CHECKSUM_LENGTH = 2;
// SS58 reserves 46 and 47 and stops at 16383 (14 bits).
const MAX_PREFIX = 16383;

function checksum(payload: Uint8Array): Uint8Array {
  return blake2b(concatBytes(SS58_CONTEXT, payload), { dkLen: 64 }).subarray(0, CHECKSUM_LENGTH);
}

function assertPrefix(prefix: number): void {
  if (
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > MAX_PREFIX ||
    prefix === 46 ||
    prefix === 47
  ) {
    throw new WalletError('INVALID_SS58_PREFIX', `SS58 prefix ${prefix} is not a valid network id`);
  }
}

function encodePrefix(prefix: number): Uint8Array {
  if (prefix < 64) return Uint8Array.of(prefix);
  return Uint8Array.of(
    ((prefix & 0b1111_1100) >> 2) | 0b0100_0000,
    (prefix >> 8) | ((prefix & 0b0000_0011) << 6),
  );
}

/** Encodes a 32-byte public key as an SS58 address (prefix 42 by default). */
export function encodeAddress(publicKey: Uint8Array, prefix = BITTENSOR_SS58_PREFIX): string {
  assertLength(publicKey, PUBLIC_KEY_LENGTH, 'public key');
  assertPrefix(prefix);
  const payload = concatBytes(encodePrefix(prefix), publicKey);
  return base58.encode(concatBytes(payload, checksum(payload)));
}

export interface DecodedAddress {
  publicKey: Uint8Array;
  prefix: number;
}

/**
 * Decodes an SS58 address, checking base58, length, checksum and (when given) the network
 * prefix. Pass `expectedPrefix: null` to accept any network.
 */
export function decodeAddress(
  address: string,
  expectedPrefix: number | null = BITTENSOR_SS58_PREFIX,
): DecodedAddress {
  if (typeof address !== 'string' || address.length === 0) {
    throw new WalletError('INVALID_SS58', 'SS58 address must be a non-empty string');
  }
  let raw: Uint8Array;
  try {
    raw = base58.decode(address);
  } catch (cause) {
    throw new WalletError('INVALID_SS58', `"${address}" is not valid base58`, { cause });
  }
  const prefixLength = raw[0] !== undefined && raw[0] & 0b0100_0000 ? 2 : 1;
  if (raw.length !== prefixLength + PUBLIC_KEY_LENGTH + CHECKSUM_LENGTH) {
    throw new WalletError(
      'INVALID_SS58',
      `"${address}" decodes to ${raw.length} bytes; an SS58 account address has ${prefixLength + PUBLIC_KEY_LENGTH + CHECKSUM_LENGTH}`,
    );
  }
  const payload = raw.subarray(0, prefixLength + PUBLIC_KEY_LENGTH);
  const expected = checksum(payload);
  const actual = raw.subarray(payload.length);
  if (expected[0] !== actual[0] || expected[1] !== actual[1]) {
    throw new WalletError('INVALID_SS58_CHECKSUM', `"${address}" has a bad SS58 checksum`);
  }
  const b0 = raw[0]!;
  const prefix =
    prefixLength === 1
      ? b0
      : ((b0 & 0b0011_1111) << 2) | (raw[1]! >> 6) | ((raw[1]! & 0b0011_1111) << 8);
  if (expectedPrefix !== null && prefix !== expectedPrefix) {
    throw new WalletError(
      'INVALID_SS58_PREFIX',
      `"${address}" is for network prefix ${prefix}, expected ${expectedPrefix}`,
    );
  }
  return { publicKey: payload.slice(prefixLength), prefix };
}

/** True when `address` is a valid SS58 address for `prefix` (42 by default). */
export function isValidAddress(
  address: string,
  prefix: number | null = BITTENSOR_SS58_PREFIX,
): boolean {
  try {
    decodeAddress(address, prefix);
    return true;
  } catch {
    return false;
  }
}
