import { WalletError } from './errors.js';

const HEX_RE = /^(0x)?[0-9a-fA-F]*$/;

/** Parses `0x`-prefixed (or bare) hex; `what` names the value in the error. */
export function hexToBytes(hex: string, what = 'hex value', expectedLength?: number): Uint8Array {
  if (typeof hex !== 'string' || !HEX_RE.test(hex)) {
    throw new WalletError('INVALID_HEX', `${what} is not valid hex: ${JSON.stringify(hex)}`);
  }
  const body = hex.startsWith('0x') ? hex.slice(2) : hex;
  if (body.length % 2 !== 0) {
    throw new WalletError(
      'INVALID_HEX',
      `${what} has an odd number of hex digits (${body.length})`,
    );
  }
  const bytes = Buffer.from(body, 'hex');
  if (expectedLength !== undefined && bytes.length !== expectedLength) {
    throw new WalletError(
      'INVALID_LENGTH',
      `${what} must be ${expectedLength} bytes, got ${bytes.length}`,
    );
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** `0x`-prefixed lowercase hex. */
export function bytesToHex(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}

export function assertLength(bytes: Uint8Array, length: number, what: string): void {
  if (!(bytes instanceof Uint8Array)) {
    throw new WalletError('INVALID_LENGTH', `${what} must be a Uint8Array`);
  }
  if (bytes.length !== length) {
    throw new WalletError('INVALID_LENGTH', `${what} must be ${length} bytes, got ${bytes.length}`);
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
