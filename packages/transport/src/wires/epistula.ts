// Epistula v2 (Manifold Labs, SN4 Targon; used by SN1, SN34 …): request signing and
// verification. Spec notes: shared/reference/wires.md §2.
//
// A sender signs the UTF-8 string `<sha256_hex(body)>.<uuid>.<timestamp_ms>.<signed_for or "">`
// with sr25519 (substrate context, raw message bytes, no `<Bytes>` wrapping) and sends it in the
// `Epistula-*` headers. A verifier rebuilds that string from the raw body and the headers.
import { randomUUID } from 'node:crypto';
import type { Keypair } from '@subnetkit/wallet';
import { TransportError } from '../errors.js';
import { HotkeyCache, parseSignature } from '../signing.js';
import { MemoryReplayStore, type ReplayStore } from './replay.js';
import {
  assertSs58,
  bodyBytes,
  checkReplay,
  type HeaderSource,
  hex0x,
  msOption,
  REPEATED,
  readHeader,
  sha256Hex,
  verifySr25519,
  type WireRefusal,
} from './shared.js';

/** The only version this module speaks (v1 put a JSON envelope in the body, §2.2). */
export const EPISTULA_VERSION = '2';

/** Header names as senders write them (HTTP header names are case-insensitive). */
export const EPISTULA_HEADERS = {
  version: 'Epistula-Version',
  timestamp: 'Epistula-Timestamp',
  uuid: 'Epistula-Uuid',
  signedBy: 'Epistula-Signed-By',
  signedFor: 'Epistula-Signed-For',
  signature: 'Epistula-Request-Signature',
} as const;

/**
 * Default oldest accepted request age: 10 s. The spec says 5 s; SN1 uses 8 s, BitMind 15 s
 * (§2.6). The window is spent on clock skew between hosts more than on latency, and the uuid
 * cache makes a wider window cost memory, not replay safety; 10 s also matches btauth/1's
 * `max_age`, so one handler has one freshness policy on every wire.
 */
export const DEFAULT_EPISTULA_MAX_AGE_MS = 10_000;
/**
 * Default furthest accepted timestamp ahead of our clock: 5 s (the spec's delta). The spec,
 * Targon and SN1 have no future bound at all and BitMind allows 15 s; a bound stops requests
 * signed in advance, and 5 s still admits senders whose clock runs a little fast.
 */
export const DEFAULT_EPISTULA_MAX_FUTURE_MS = 5_000;

/** The signed message of Epistula v2 (§2.4). */
export function epistulaMessage(
  bodyHash: string,
  uuid: string,
  timestampMs: string | number,
  signedFor: string | undefined,
): string {
  return `${bodyHash}.${uuid}.${timestampMs}.${signedFor ?? ''}`;
}

export interface SignEpistulaOptions {
  /** The receiver's ss58 hotkey. Omit only for receivers that accept unbound requests. */
  signedFor?: string;
  /** Unix ms (default `Date.now()`). */
  timestampMs?: number;
  /** Default: a fresh `crypto.randomUUID()` (uuid4). Never reuse one: receivers refuse replays. */
  uuid?: string;
}

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Canonical decimal ms: what `str(int)` prints; at most 16 digits (year 318857). */
const TIMESTAMP_RE = /^(0|[1-9][0-9]{0,15})$/;

/**
 * Epistula v2 request headers for `body` (the exact bytes that will be sent; a string is sent
 * as UTF-8). Returns `Epistula-Version`, `-Timestamp`, `-Uuid`, `-Signed-By`, `-Signed-For`
 * (only with `signedFor`, as the Python senders do) and `-Request-Signature`. No
 * `Epistula-Secret-Signature-*` headers: implementations disagree on them (§2.5) and no
 * verifier we know of checks them.
 */
export function signEpistula(
  keypair: Keypair,
  body: Uint8Array | string | undefined,
  options: SignEpistulaOptions = {},
): Record<string, string> {
  const { signedFor } = options;
  if (signedFor !== undefined) assertSs58(signedFor, 'signedFor');
  const timestampMs = options.timestampMs ?? Date.now();
  if (!Number.isSafeInteger(timestampMs) || timestampMs < 0) {
    throw new TransportError('INVALID_OPTIONS', 'timestampMs: must be a non-negative integer', {
      details: { field: 'timestampMs' },
    });
  }
  const uuid = options.uuid ?? randomUUID();
  if (!UUID_RE.test(uuid)) {
    throw new TransportError('INVALID_OPTIONS', 'uuid: must be a uuid (8-4-4-4-12 hex)', {
      details: { field: 'uuid' },
    });
  }
  const message = epistulaMessage(sha256Hex(bodyBytes(body)), uuid, timestampMs, signedFor);
  const headers: Record<string, string> = {
    [EPISTULA_HEADERS.version]: EPISTULA_VERSION,
    [EPISTULA_HEADERS.timestamp]: String(timestampMs),
    [EPISTULA_HEADERS.uuid]: uuid,
    [EPISTULA_HEADERS.signedBy]: keypair.ss58Address,
  };
  if (signedFor !== undefined) headers[EPISTULA_HEADERS.signedFor] = signedFor;
  headers[EPISTULA_HEADERS.signature] = hex0x(keypair.sign(message));
  return headers;
}

/** Stable refusal codes of {@link EpistulaVerifier.verify}. */
export type EpistulaRefusalCode =
  /** A required header is absent (or empty). */
  | 'MISSING_HEADER'
  /** A header does not parse: timestamp, uuid, ss58, signature, or a header sent twice. */
  | 'MALFORMED_HEADER'
  /** `Epistula-Version` is not `2`. */
  | 'UNSUPPORTED_VERSION'
  /** `Epistula-Signed-For` is not our hotkey (or is absent while a receiver is required). */
  | 'WRONG_RECEIVER'
  /** The timestamp is older than `maxAgeMs`. */
  | 'STALE'
  /** The timestamp is further than `maxFutureMs` ahead of our clock. */
  | 'FUTURE'
  /** The signature does not verify over the rebuilt message (body or headers changed). */
  | 'BAD_SIGNATURE'
  /** This (sender, uuid) was already accepted within the window. */
  | 'REPLAYED'
  /** The replay store threw or is full: refused rather than accepted unchecked. */
  | 'REPLAY_STORE_UNAVAILABLE';

/**
 * HTTP status per refusal. SN1 (prompting) and SN34 (BitMind) answer every verification failure
 * with 400, a wrong `Signed-For` included (§2.7); the replay check has no reference, so it
 * answers 400 as well. A store failure is ours, not the caller's: 503.
 */
export const EPISTULA_REFUSAL_STATUS: Readonly<Record<EpistulaRefusalCode, number>> = {
  MISSING_HEADER: 400,
  MALFORMED_HEADER: 400,
  UNSUPPORTED_VERSION: 400,
  WRONG_RECEIVER: 400,
  STALE: 400,
  FUTURE: 400,
  BAD_SIGNATURE: 400,
  REPLAYED: 400,
  REPLAY_STORE_UNAVAILABLE: 503,
};

export type EpistulaRefusal = WireRefusal<'epistula', EpistulaRefusalCode>;

/** A request as received: headers and the raw body bytes (absent = empty, as for a GET). */
export interface EpistulaRequest {
  headers: HeaderSource;
  body?: Uint8Array;
}

/** Who signed an accepted request, and what they bound it to. */
export interface EpistulaCaller {
  /** Sender ss58 (`Epistula-Signed-By`), verified. */
  hotkey: string;
  publicKey: Uint8Array;
  /** Our hotkey, or `undefined` for an unbound request (only with `requireSignedFor: false`). */
  signedFor: string | undefined;
  uuid: string;
  timestampMs: number;
}

export type EpistulaVerdict =
  | { ok: true; caller: EpistulaCaller }
  | { ok: false; refusal: EpistulaRefusal };

export interface EpistulaVerifierOptions {
  /** Our (the receiver's) ss58 hotkey: `Epistula-Signed-For` must equal it. */
  hotkey: string;
  /** Oldest accepted timestamp age (default {@link DEFAULT_EPISTULA_MAX_AGE_MS}). */
  maxAgeMs?: number;
  /** Furthest accepted timestamp ahead of our clock (default {@link DEFAULT_EPISTULA_MAX_FUTURE_MS}). */
  maxFutureMs?: number;
  /**
   * Refuse requests without `Epistula-Signed-For` (default `true`). With `false` they are
   * verified over an empty receiver field, as the spec allows; a receiver other than ours is
   * refused either way.
   */
  requireSignedFor?: boolean;
  /**
   * Also accept a signature over `<Bytes>` + message + `</Bytes>` (polkadot.js `signRaw`), as
   * substrate-interface's `verify` does. Default `false`: no Epistula sender produces it.
   */
  acceptBytesWrapped?: boolean;
}

export interface EpistulaVerifierComponents {
  /** Default: a {@link MemoryReplayStore} of its own, on `clock`. Share one across wires. */
  replayStore?: ReplayStore;
  /** Unix ms (default `Date.now`). */
  clock?: () => number;
}

export interface EpistulaVerifier {
  /** Checks shape, receiver, freshness, signature, then replay, in that order. Never throws. */
  verify(request: EpistulaRequest): Promise<EpistulaVerdict>;
}

const LOWER = {
  version: 'epistula-version',
  timestamp: 'epistula-timestamp',
  uuid: 'epistula-uuid',
  signedBy: 'epistula-signed-by',
  signedFor: 'epistula-signed-for',
  signature: 'epistula-request-signature',
} as const;

function refuse(code: EpistulaRefusalCode, message: string, header?: string, cause?: unknown) {
  const refusal: EpistulaRefusal = {
    wire: 'epistula',
    code,
    status: EPISTULA_REFUSAL_STATUS[code],
    message,
    ...(header === undefined ? {} : { header }),
    ...(cause === undefined ? {} : { cause }),
  };
  return { ok: false as const, refusal };
}

/**
 * An Epistula v2 verifier for a receiver (`options.hotkey`). Stricter than every implementation
 * reviewed (§2.6–2.7): a future bound, a (sender, uuid) replay cache, strict header syntax. The
 * `Epistula-Secret-Signature-*` headers are ignored, not checked (§2.5).
 */
export function createEpistulaVerifier(
  options: EpistulaVerifierOptions,
  components: EpistulaVerifierComponents = {},
): EpistulaVerifier {
  assertSs58(options.hotkey, 'hotkey');
  const hotkey = options.hotkey;
  const maxAgeMs = msOption(options.maxAgeMs, DEFAULT_EPISTULA_MAX_AGE_MS, 'maxAgeMs');
  const maxFutureMs = msOption(options.maxFutureMs, DEFAULT_EPISTULA_MAX_FUTURE_MS, 'maxFutureMs');
  const requireSignedFor = options.requireSignedFor ?? true;
  const wrapped = options.acceptBytesWrapped ?? false;
  const clock = components.clock ?? Date.now;
  const store = components.replayStore ?? new MemoryReplayStore({}, { clock });
  const hotkeys = new HotkeyCache();
  const utf8 = new TextEncoder();

  async function verify(request: EpistulaRequest): Promise<EpistulaVerdict> {
    const { headers } = request;
    const values: Partial<Record<keyof typeof LOWER, string>> = {};
    for (const field of Object.keys(LOWER) as (keyof typeof LOWER)[]) {
      const value = readHeader(headers, LOWER[field]);
      if (value === REPEATED) {
        return refuse(
          'MALFORMED_HEADER',
          `${EPISTULA_HEADERS[field]} sent more than once`,
          EPISTULA_HEADERS[field],
        );
      }
      if (value !== undefined && value !== '') values[field] = value;
    }
    for (const field of ['version', 'timestamp', 'uuid', 'signedBy', 'signature'] as const) {
      if (values[field] === undefined) {
        return refuse(
          'MISSING_HEADER',
          `${EPISTULA_HEADERS[field]} is missing`,
          EPISTULA_HEADERS[field],
        );
      }
    }
    const { version, timestamp, uuid, signedBy, signedFor, signature } = values as Required<
      typeof values
    >;
    if (version !== EPISTULA_VERSION) {
      return refuse(
        'UNSUPPORTED_VERSION',
        `Epistula-Version must be ${EPISTULA_VERSION}`,
        EPISTULA_HEADERS.version,
      );
    }
    if (!TIMESTAMP_RE.test(timestamp)) {
      return refuse(
        'MALFORMED_HEADER',
        'Epistula-Timestamp must be Unix milliseconds in decimal',
        EPISTULA_HEADERS.timestamp,
      );
    }
    if (!UUID_RE.test(uuid)) {
      return refuse(
        'MALFORMED_HEADER',
        'Epistula-Uuid must be a uuid (8-4-4-4-12 hex)',
        EPISTULA_HEADERS.uuid,
      );
    }
    const publicKey = hotkeys.publicKey(signedBy);
    if (!publicKey) {
      return refuse(
        'MALFORMED_HEADER',
        'Epistula-Signed-By must be an ss58 address with prefix 42',
        EPISTULA_HEADERS.signedBy,
      );
    }
    const sig = parseSignature(signature);
    if (!sig) {
      return refuse(
        'MALFORMED_HEADER',
        'Epistula-Request-Signature must be 0x + 128 hex digits',
        EPISTULA_HEADERS.signature,
      );
    }
    if (signedFor === undefined) {
      if (requireSignedFor) {
        return refuse(
          'WRONG_RECEIVER',
          `Epistula-Signed-For is missing: requests must be signed for ${hotkey}`,
          EPISTULA_HEADERS.signedFor,
        );
      }
    } else if (signedFor !== hotkey) {
      return refuse(
        'WRONG_RECEIVER',
        `request is signed for another receiver, not ${hotkey}`,
        EPISTULA_HEADERS.signedFor,
      );
    }
    const timestampMs = Number(timestamp);
    const now = clock();
    if (now - timestampMs > maxAgeMs) {
      return refuse(
        'STALE',
        `request is ${now - timestampMs} ms old (limit ${maxAgeMs} ms)`,
        EPISTULA_HEADERS.timestamp,
      );
    }
    if (timestampMs - now > maxFutureMs) {
      return refuse(
        'FUTURE',
        `request is dated ${timestampMs - now} ms ahead (limit ${maxFutureMs} ms)`,
        EPISTULA_HEADERS.timestamp,
      );
    }
    const message = utf8.encode(
      epistulaMessage(sha256Hex(request.body), uuid, timestamp, signedFor),
    );
    if (!verifySr25519(message, sig, publicKey, wrapped)) {
      return refuse(
        'BAD_SIGNATURE',
        'signature does not match the body and Epistula headers',
        EPISTULA_HEADERS.signature,
      );
    }
    // Keyed by public key (one key has one entry whatever its spelling); kept until the
    // timestamp can no longer pass the age check.
    const key = `epistula:${Buffer.from(publicKey).toString('hex')}:${uuid}`;
    const replay = await checkReplay(store, key, timestampMs + maxAgeMs + 1);
    if ('unavailable' in replay) {
      return refuse(
        'REPLAY_STORE_UNAVAILABLE',
        'replay store unavailable: request refused unchecked',
        undefined,
        replay.unavailable,
      );
    }
    if (replay.replayed) {
      return refuse('REPLAYED', 'this Epistula-Uuid was already used', EPISTULA_HEADERS.uuid);
    }
    return {
      ok: true,
      caller: { hotkey: signedBy, publicKey: publicKey.slice(), signedFor, uuid, timestampMs },
    };
  }

  return { verify };
}
