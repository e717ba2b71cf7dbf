import { hexToU8a, isHex } from '@polkadot/util';
import { decodeAddress } from '@subnetkit/wallet';
import { invalidParams } from './errors.js';

export const list = (params: unknown): unknown[] => {
  if (params === undefined || params === null) return [];
  if (!Array.isArray(params)) throw invalidParams('params must be an array');
  return params;
};

export function hexParam(v: unknown, name: string): string {
  if (typeof v !== 'string' || !isHex(v))
    throw invalidParams(`${name} must be a 0x-prefixed hex string`);
  return v.toLowerCase();
}

/**
 * `0x`-hex to bytes with Node's native decoder (extrinsics arrive this way, ~2 chars a byte):
 * it stops at the first pair that is not hex, so a short write is the validation.
 */
export function bytesParam(v: unknown, name: string): Uint8Array {
  if (typeof v === 'string' && v.length % 2 === 0 && v.startsWith('0x')) {
    const out = new Uint8Array((v.length - 2) / 2);
    const written = Buffer.from(out.buffer).write(v.slice(2), 'hex');
    if (written === out.length) return out;
  }
  throw invalidParams(`${name} must be a 0x-prefixed hex string`);
}

export function optHash(v: unknown, name = 'at'): string | null {
  if (v === undefined || v === null) return null;
  const h = hexParam(v, name);
  if (h.length !== 66) throw invalidParams(`${name} must be a 32-byte block hash`);
  return h;
}

export function blockNumberParam(v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && isHex(v)) return Number.parseInt(v.slice(2) || '0', 16);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  throw invalidParams('block number must be a non-negative integer or hex');
}

export function accountParam(v: unknown, name: string): Uint8Array {
  if (typeof v !== 'string')
    throw invalidParams(`${name} must be an SS58 address or hex public key`);
  if (isHex(v) && v.length === 66) return hexToU8a(v);
  try {
    return decodeAddress(v, null).publicKey;
  } catch {
    throw invalidParams(`${name} is not a valid SS58 address`);
  }
}

export function keyList(v: unknown, name: string): string[] {
  if (!Array.isArray(v)) throw invalidParams(`${name} must be an array of hex keys`);
  return v.map((k, i) => hexParam(k, `${name}[${i}]`));
}
