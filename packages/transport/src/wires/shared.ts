// What the signed wires share: reading request headers from any HTTP stack, the SHA-256 of a
// raw body, hotkey and sr25519 checks, the replay-store lookup, and the shape of a refusal.
import { createHash } from 'node:crypto';
import { BITTENSOR_SS58_PREFIX, decodeAddress, verifySignature } from '@subnetkit/wallet';
import { TransportError } from '../errors.js';
import { verifyWrapped } from '../signing.js';
import type { ReplayStore } from './replay.js';

/**
 * Request headers as any server hands them over: a fetch `Headers`, or a record such as Node's
 * `IncomingHttpHeaders` (lowercase keys; other casings are found too).
 */
export type HeaderSource =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Marks a header sent more than once (its value is then ambiguous). */
export const REPEATED = Symbol('repeated header');

/** The value of header `name` (give it in lowercase), `undefined` if absent, {@link REPEATED}. */
export function readHeader(
  headers: HeaderSource,
  name: string,
): string | undefined | typeof REPEATED {
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  let value = record[name];
  if (value === undefined) {
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === name) {
        value = record[key];
        break;
      }
    }
  }
  if (value === undefined || typeof value === 'string') return value;
  if (value.length === 1) return value[0];
  return value.length === 0 ? undefined : REPEATED;
}

const EMPTY = new Uint8Array(0);

/** SHA-256 of the raw body bytes, lowercase hex (an absent body hashes the empty string). */
export function sha256Hex(body: Uint8Array | undefined): string {
  return createHash('sha256')
    .update(body ?? EMPTY)
    .digest('hex');
}

const utf8 = new TextEncoder();

/** Body bytes to sign: a string is signed as its UTF-8 bytes (send exactly those bytes). */
export function bodyBytes(body: Uint8Array | string | undefined, field = 'body'): Uint8Array {
  if (body === undefined) return EMPTY;
  if (typeof body === 'string') return utf8.encode(body);
  if (body instanceof Uint8Array) return body;
  throw new TransportError('INVALID_OPTIONS', `${field}: must be a Uint8Array or a string`, {
    details: { field },
  });
}

/**
 * Why a signed request was refused. `code` is stable (branch on it); `status` is the HTTP status
 * the wire's reference implementations answer with; `message` is safe to send back (it never
 * echoes a signature); `header` names the offending header when there is one.
 */
export interface WireRefusal<Wire extends string, Code extends string> {
  readonly wire: Wire;
  readonly code: Code;
  readonly status: number;
  readonly message: string;
  readonly header?: string;
  /** The underlying failure (a replay store or stake lookup that threw). */
  readonly cause?: unknown;
}

/** `0x` + lowercase hex. */
export function hex0x(bytes: Uint8Array): string {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}

/** A non-negative safe integer option, or `fallback` when absent; otherwise INVALID_OPTIONS. */
export function msOption(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TransportError('INVALID_OPTIONS', `${field}: must be a non-negative integer (ms)`, {
      details: { field },
    });
  }
  return value;
}

/** Throws `INVALID_OPTIONS` naming `field` unless `value` is an ss58 address with prefix 42. */
export function assertSs58(value: unknown, field: string): asserts value is string {
  try {
    if (typeof value !== 'string') throw new TypeError('not a string');
    decodeAddress(value, BITTENSOR_SS58_PREFIX);
  } catch (cause) {
    throw new TransportError('INVALID_OPTIONS', `${field}: not an ss58 address with prefix 42`, {
      details: { field },
      cause,
    });
  }
}

/**
 * sr25519 over the raw message bytes; with `acceptWrapped` the `<Bytes>…</Bytes>` form that
 * substrate-interface's `verify` also takes is accepted too.
 */
export function verifySr25519(
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
  acceptWrapped: boolean,
): boolean {
  return acceptWrapped
    ? verifyWrapped(message, signature, publicKey)
    : verifySignature(message, signature, publicKey);
}

/** What the replay store said: seen before, first use, or it failed (refuse unchecked). */
export type ReplayCheck = { replayed: boolean } | { unavailable: unknown };

/** Records `key` in the store (until `expiresAtMs`); a failing store is reported, not thrown. */
export async function checkReplay(
  store: ReplayStore,
  key: string,
  expiresAtMs: number,
): Promise<ReplayCheck> {
  try {
    return { replayed: (await store.seen(key, expiresAtMs)) !== false };
  } catch (cause) {
    return { unavailable: cause };
  }
}
