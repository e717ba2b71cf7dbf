// btauth/1, the request signing of the bittensor SDK 11 (`bittensor.http_auth`), as a pure
// module: `signBtauth` makes the headers, `verifyBtauth` checks them. No HTTP server or client
// here; the spec, its sources and the golden vectors are in reference/wires.md §1.
import { createPrivateKey, createPublicKey, verify as edVerify, sign } from 'node:crypto';
import {
  BITTENSOR_SS58_PREFIX,
  decodeAddress,
  encodeAddress,
  type Keypair,
  verifySignature,
} from '@subnetkit/wallet';
import { TransportError } from '../errors.js';
import { nowNs } from '../nonce.js';
import { MemoryReplayStore, type ReplayStore, ReplayStoreFullError } from './replay.js';
import {
  assertSs58,
  bodyBytes,
  checkReplay,
  type HeaderSource,
  hex0x,
  sha256Hex,
  type WireRefusal,
} from './shared.js';

/** Line 1 of every signed payload. */
export const BTAUTH_PROTOCOL = 'btauth/1';
/** The only `X-Bittensor-Version` value btauth/1 accepts. */
export const BTAUTH_VERSION = '1';

/** The request headers, in the SDK's spelling (names are matched case-insensitively). */
export const BTAUTH_HEADERS = {
  version: 'X-Bittensor-Version',
  hotkey: 'X-Bittensor-Hotkey',
  receiver: 'X-Bittensor-Receiver',
  nonce: 'X-Bittensor-Nonce',
  crypto: 'X-Bittensor-Crypto',
  signature: 'X-Bittensor-Signature',
} as const;

/** How old a nonce may be, by default (the SDK's `max_age`, 10 s). */
export const BTAUTH_DEFAULT_MAX_AGE_MS = 10_000;
/** How far ahead of our clock a nonce may be, by default (the SDK's `allowed_skew`, 2 s). */
export const BTAUTH_DEFAULT_SKEW_MS = 2_000;

/**
 * The signature schemes this module implements. The later SDK revision also names `hashed` and
 * `mldsa`; they are refused (`UNSUPPORTED_SCHEME`) until they are implemented here.
 */
export type BtauthScheme = 'sr25519' | 'ed25519';

const SCHEMES: readonly BtauthScheme[] = ['sr25519', 'ed25519'];
const SIGNATURE_LENGTH = 64;
const EMPTY = new Uint8Array(0);
const utf8 = new TextEncoder();

// ---------------------------------------------------------------------------------------------
// The signed bytes

export interface BtauthPayloadFields {
  scheme: BtauthScheme;
  /** Upper-cased into the payload. */
  method: string;
  /** Path plus `?query`, exactly as sent (percent-encoded wire form). */
  pathAndQuery: string;
  /** The raw body bytes (hashed here), or give `bodySha256` instead. */
  body?: Uint8Array;
  /** Lowercase hex SHA-256 of the raw body, when it is already known. */
  bodySha256?: string;
  nonce: bigint;
  sender: string;
  /** `null`/absent: not bound to a receiver (line 8 is `-`). */
  receiver?: string | null;
}

/**
 * The exact bytes that are signed: eight lines joined by `\n`, no trailing newline, UTF-8 —
 * `btauth/1`, scheme, METHOD, path?query as sent, sha256(body) hex, nonce, sender, receiver or `-`.
 */
export function btauthPayload(fields: BtauthPayloadFields): Uint8Array {
  const hash = fields.bodySha256 ?? sha256Hex(fields.body);
  return utf8.encode(
    [
      BTAUTH_PROTOCOL,
      fields.scheme,
      asciiUpper(fields.method),
      fields.pathAndQuery,
      hash,
      fields.nonce.toString(10),
      fields.sender,
      fields.receiver ?? '-',
    ].join('\n'),
  );
}

/** Upper-cases ASCII letters only (a method is an ASCII token; Python's `upper()` agrees there). */
function asciiUpper(text: string): string {
  return text.replace(/[a-z]+/g, (s) => s.toUpperCase());
}

// ---------------------------------------------------------------------------------------------
// Signing

/** Anything that signs btauth payloads with one hotkey. `sign` gets the exact payload bytes. */
export interface BtauthSigner {
  readonly scheme: BtauthScheme;
  readonly ss58Address: string;
  sign(message: Uint8Array): Uint8Array;
}

/** A `@subnetkit/wallet` sr25519 keypair as a signer (substrate signing context, exact bytes). */
export function sr25519Signer(keypair: Keypair): BtauthSigner {
  return {
    scheme: 'sr25519',
    ss58Address: keypair.ss58Address,
    sign: (message) => keypair.sign(message),
  };
}

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * An ed25519 signer (plain RFC 8032, deterministic) from its 32-byte secret seed, e.g. the
 * "secret seed" `subkey inspect --scheme ed25519` prints. Node's own crypto does the work.
 */
export function ed25519Signer(seed: Uint8Array): BtauthSigner & { readonly publicKey: Uint8Array } {
  if (!(seed instanceof Uint8Array) || seed.length !== 32) {
    throw new TransportError('INVALID_OPTIONS', 'seed: an ed25519 seed is 32 bytes', {
      details: { field: 'seed' },
    });
  }
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(SPKI_ED25519_PREFIX.length));
  return {
    scheme: 'ed25519',
    publicKey,
    ss58Address: encodeAddress(publicKey, BITTENSOR_SS58_PREFIX),
    sign: (message) => new Uint8Array(sign(null, message, key)),
  };
}

export interface SignBtauthOptions {
  method: string;
  /** The request target exactly as it will be sent: path plus `?query`, percent-encoded. */
  pathAndQuery: string;
  /** The raw body bytes as they will be sent (a string is sent as its UTF-8). Default empty. */
  body?: Uint8Array | string;
  /** An sr25519 wallet keypair … */
  keypair?: Keypair;
  /** … or any signer (e.g. {@link ed25519Signer}). Exactly one of the two. */
  signer?: BtauthSigner;
  /** The receiving hotkey (ss58). Omit only for servers that accept unbound requests. */
  receiver?: string | null;
  /** Must match the key's scheme when given (a keypair is sr25519). */
  scheme?: BtauthScheme;
  /** Nanosecond Unix time; default now. Sign a fresh nonce for every attempt, retries too. */
  nonce?: bigint | string;
}

/** The headers to send, in the SDK's spelling: `X-Bittensor-Crypto` only for non-sr25519. */
export type BtauthHeaders = Record<string, string>;

const TOKEN_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// No control characters, spaces or non-ASCII: what an HTTP request line can carry as is.
const TARGET_RE = /^[\x21-\x7e]+$/;
const CANONICAL_NONCE_RE = /^(?:0|[1-9][0-9]*)$/;

function invalid(field: string, message: string): TransportError {
  return new TransportError('INVALID_OPTIONS', `${field}: ${message}`, { details: { field } });
}

/** Signs a request; returns the btauth/1 headers to send with exactly this method, target and body. */
export function signBtauth(options: SignBtauthOptions): BtauthHeaders {
  const { method, pathAndQuery } = options;
  if (typeof method !== 'string' || !TOKEN_RE.test(method)) {
    throw invalid('method', 'must be an HTTP method token');
  }
  if (typeof pathAndQuery !== 'string' || !TARGET_RE.test(pathAndQuery)) {
    throw invalid(
      'pathAndQuery',
      'must be the request target as sent (percent-encoded, no spaces or control characters)',
    );
  }
  if ((options.keypair === undefined) === (options.signer === undefined)) {
    throw invalid('signer', 'give exactly one of keypair or signer');
  }
  const signer = options.signer ?? sr25519Signer(options.keypair!);
  if (!SCHEMES.includes(signer.scheme)) {
    throw invalid('signer', `unsupported scheme ${JSON.stringify(signer.scheme)}`);
  }
  if (options.scheme !== undefined && options.scheme !== signer.scheme) {
    throw invalid('scheme', `${options.scheme} requested but the key signs ${signer.scheme}`);
  }
  assertSs58(signer.ss58Address, 'signer');
  const receiver = options.receiver ?? null;
  if (receiver !== null) assertSs58(receiver, 'receiver');
  const nonce = signNonce(options.nonce);
  const body = bodyBytes(options.body);
  const payload = btauthPayload({
    scheme: signer.scheme,
    method,
    pathAndQuery,
    body,
    nonce,
    sender: signer.ss58Address,
    receiver,
  });
  const signature: unknown = signer.sign(payload);
  if (!(signature instanceof Uint8Array) || signature.length !== SIGNATURE_LENGTH) {
    throw invalid('signer', `sign() must return ${SIGNATURE_LENGTH} bytes synchronously`);
  }
  const headers: BtauthHeaders = {
    [BTAUTH_HEADERS.version]: BTAUTH_VERSION,
    [BTAUTH_HEADERS.hotkey]: signer.ss58Address,
    [BTAUTH_HEADERS.nonce]: nonce.toString(10),
    [BTAUTH_HEADERS.signature]: hex0x(signature),
  };
  if (signer.scheme !== 'sr25519') headers[BTAUTH_HEADERS.crypto] = signer.scheme;
  if (receiver !== null) headers[BTAUTH_HEADERS.receiver] = receiver;
  return headers;
}

function signNonce(nonce: bigint | string | undefined): bigint {
  if (nonce === undefined) return nowNs();
  if (typeof nonce === 'string') {
    if (!CANONICAL_NONCE_RE.test(nonce)) throw invalid('nonce', 'must be a canonical decimal');
    return BigInt(nonce);
  }
  if (typeof nonce !== 'bigint' || nonce < 0n) {
    throw invalid('nonce', 'must be a non-negative bigint (never a JS number: ns exceed 2^53)');
  }
  return nonce;
}

// ---------------------------------------------------------------------------------------------
// Verification

/** The SDK's error classes; each refusal belongs to one (the last one is ours, not an auth failure). */
export type BtauthRefusalKind =
  | 'MalformedAuth'
  | 'WrongReceiver'
  | 'StaleRequest'
  | 'BadSignature'
  | 'ReplayedRequest'
  | 'ReplayStoreUnavailable';

/** Stable refusal codes of btauth/1 verification, in the order the checks run. */
export type BtauthRefusalCode =
  // 1. shape → MalformedAuth
  /** A btauth header was sent more than once (its value would be ambiguous). */
  | 'DUPLICATE_HEADER'
  /** `X-Bittensor-Version` is absent or not exactly `1`. */
  | 'BAD_VERSION'
  | 'MISSING_HOTKEY'
  | 'MISSING_NONCE'
  /** The nonce is not a canonical decimal (digits only, no sign, no leading zero). */
  | 'BAD_NONCE'
  /** `X-Bittensor-Crypto` names no scheme the SDK knows. */
  | 'UNKNOWN_SCHEME'
  /** `X-Bittensor-Crypto` is `hashed` or `mldsa`: in the spec, not implemented here. */
  | 'UNSUPPORTED_SCHEME'
  /** The declared scheme (absent = sr25519) is not the one the server pins. */
  | 'SCHEME_MISMATCH'
  | 'MISSING_SIGNATURE'
  // 2. receiver → WrongReceiver
  /** No `X-Bittensor-Receiver`, and the server requires one (the default). */
  | 'MISSING_RECEIVER'
  /** `X-Bittensor-Receiver` is not our hotkey. */
  | 'WRONG_RECEIVER'
  // 3. freshness → StaleRequest
  | 'NONCE_TOO_OLD'
  | 'NONCE_IN_FUTURE'
  // 4. signature → MalformedAuth for undecodable input, else BadSignature
  /** `X-Bittensor-Hotkey` is not an ss58 address with prefix 42. */
  | 'BAD_HOTKEY'
  /** The signature is not `0x` + lowercase hex, or not 64 bytes. */
  | 'BAD_SIGNATURE_ENCODING'
  /** The signature does not verify over the rebuilt payload (method, target, body …). */
  | 'BAD_SIGNATURE'
  // 5. replay → ReplayedRequest
  | 'REPLAYED'
  /** The replay store threw or is full (`cause` says which): refused, never accepted unchecked. */
  | 'REPLAY_STORE_UNAVAILABLE';

/** The SDK class of each refusal code. */
export const BTAUTH_REFUSAL_KIND: Readonly<Record<BtauthRefusalCode, BtauthRefusalKind>> = {
  DUPLICATE_HEADER: 'MalformedAuth',
  BAD_VERSION: 'MalformedAuth',
  MISSING_HOTKEY: 'MalformedAuth',
  MISSING_NONCE: 'MalformedAuth',
  BAD_NONCE: 'MalformedAuth',
  UNKNOWN_SCHEME: 'MalformedAuth',
  UNSUPPORTED_SCHEME: 'MalformedAuth',
  SCHEME_MISMATCH: 'MalformedAuth',
  MISSING_SIGNATURE: 'MalformedAuth',
  MISSING_RECEIVER: 'WrongReceiver',
  WRONG_RECEIVER: 'WrongReceiver',
  NONCE_TOO_OLD: 'StaleRequest',
  NONCE_IN_FUTURE: 'StaleRequest',
  BAD_HOTKEY: 'MalformedAuth',
  BAD_SIGNATURE_ENCODING: 'MalformedAuth',
  BAD_SIGNATURE: 'BadSignature',
  REPLAYED: 'ReplayedRequest',
  REPLAY_STORE_UNAVAILABLE: 'ReplayStoreUnavailable',
};

/**
 * HTTP status per refusal: the SDK guide answers every `AuthError` with 401 (403 is for a
 * verified caller the server's policy turns away, which is not decided here). A replay store
 * failure is ours, not the caller's: 503.
 */
export const BTAUTH_REFUSAL_STATUS: Readonly<Record<BtauthRefusalCode, number>> =
  Object.fromEntries(
    Object.entries(BTAUTH_REFUSAL_KIND).map(([code, kind]) => [
      code,
      kind === 'ReplayStoreUnavailable' ? 503 : 401,
    ]),
  ) as Record<BtauthRefusalCode, number>;

export interface BtauthRefusal extends WireRefusal<'btauth', BtauthRefusalCode> {
  /** The SDK error class this refusal corresponds to. */
  readonly kind: BtauthRefusalKind;
}

/** The request as received: take the method, target and body bytes before anything parses them. */
export interface BtauthRequest {
  method: string;
  /** The raw request target as received (Node: `req.url`), never a decoded path. */
  pathAndQuery: string;
  /**
   * Node's `req.headers` or `req.headersDistinct`, a record with names in any case, or a fetch
   * `Headers`. A btauth header given twice (an array of 2+, or two spellings) is refused.
   */
  headers: HeaderSource;
  /** The raw received body bytes (absent = empty). */
  body?: Uint8Array;
}

/** The authenticated sender of an accepted request. */
export interface BtauthCaller {
  /** `X-Bittensor-Hotkey`, verified. */
  hotkey: string;
  publicKey: Uint8Array;
  scheme: BtauthScheme;
  /** The nonce: Unix time in ns. */
  nonce: bigint;
  /** Our hotkey, or `undefined` for an unbound request (only with `requireReceiver: false`). */
  receiver: string | undefined;
}

export type BtauthVerdict =
  | { ok: true; caller: BtauthCaller }
  | { ok: false; refusal: BtauthRefusal };

export interface BtauthWindow {
  /** How old a nonce may be (default 10 000 ms, the SDK's `max_age`). */
  maxAgeMs?: number;
  /** How far ahead of our clock a nonce may be (default 2 000 ms, the SDK's `allowed_skew`). */
  skewMs?: number;
}

export interface BtauthVerifierOptions {
  /** Our own hotkey (ss58): the only `X-Bittensor-Receiver` value accepted. */
  receiverHotkey: string;
  /**
   * The scheme senders sign with, from the server's own configuration. The header is
   * attacker-controlled and never chooses it: a header naming another scheme is refused.
   */
  scheme: BtauthScheme;
  /** Refuse requests without `X-Bittensor-Receiver` (default true). */
  requireReceiver?: boolean;
  window?: BtauthWindow;
}

export interface BtauthVerifierComponents {
  /** Default: a {@link MemoryReplayStore} of its own, on `clock`. Share one across wires. */
  replayStore?: ReplayStore;
  /** Unix time in ns (default: the wall clock). */
  clock?: () => bigint;
}

export interface BtauthVerifier {
  /** Shape, receiver, freshness, signature, then replay, in that order. Never throws. */
  verify(request: BtauthRequest): Promise<BtauthVerdict>;
}

export interface VerifyBtauthOptions extends BtauthVerifierOptions {
  /** Remembers accepted (sender, nonce) pairs across requests: keep one per server. */
  replay: ReplayStore;
  /** Unix time in ns (default: the wall clock). The replay store must run on the same clock. */
  now?: () => bigint;
}

/**
 * Verifies one btauth/1 request; {@link createBtauthVerifier} is the same with the options
 * checked once and a replay store of its own. Checks run in the SDK's order:
 * 1. shape (headers present and exact, canonical nonce, hex signature, a known scheme equal to
 *    the pinned one) → MalformedAuth;
 * 2. receiver equal to ours (missing: refused unless `requireReceiver: false`) → WrongReceiver;
 * 3. freshness: `now − nonce ≤ maxAge` and `nonce − now ≤ skew`, in ns → StaleRequest;
 * 4. signature over the payload rebuilt from the *received* method, target and body, under the
 *    pinned scheme only → BadSignature (an undecodable hotkey, or a signature that is not 64
 *    bytes → MalformedAuth);
 * 5. replay: (sender, nonce) recorded only now, after the signature holds → ReplayedRequest.
 *
 * Never throws for anything the caller sent; bad options throw `TransportError`
 * ('INVALID_OPTIONS'). A replay store that throws or rejects refuses the request with 503.
 */
export function verifyBtauth(
  request: BtauthRequest,
  options: VerifyBtauthOptions,
): Promise<BtauthVerdict> {
  if (options === null || typeof options !== 'object') throw invalid('options', 'required');
  assertReplayStore(options.replay, 'replay');
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw invalid('now', 'must be a function returning Unix time in ns (bigint)');
  }
  return run(resolve(options), options.replay, options.now ?? nowNs, request);
}

/** A btauth/1 verifier for one receiver hotkey and one pinned scheme. */
export function createBtauthVerifier(
  options: BtauthVerifierOptions,
  components: BtauthVerifierComponents = {},
): BtauthVerifier {
  const config = resolve(options);
  const clock = components.clock ?? nowNs;
  if (typeof clock !== 'function') throw invalid('clock', 'must return Unix time in ns (bigint)');
  const store =
    components.replayStore ??
    new MemoryReplayStore({}, { clock: () => Number(clock() / 1_000_000n) });
  assertReplayStore(store, 'replayStore');
  return { verify: (request) => run(config, store, clock, request) };
}

interface Config {
  receiverHotkey: string;
  scheme: BtauthScheme;
  requireReceiver: boolean;
  maxAgeNs: bigint;
  skewNs: bigint;
}

function resolve(options: BtauthVerifierOptions): Config {
  if (options === null || typeof options !== 'object') throw invalid('options', 'required');
  assertSs58(options.receiverHotkey, 'receiverHotkey');
  if (!SCHEMES.includes(options.scheme)) {
    throw invalid('scheme', `must be one of ${SCHEMES.join(', ')} (from the server's config)`);
  }
  if (options.requireReceiver !== undefined && typeof options.requireReceiver !== 'boolean') {
    throw invalid('requireReceiver', 'must be a boolean');
  }
  return {
    receiverHotkey: options.receiverHotkey,
    scheme: options.scheme,
    requireReceiver: options.requireReceiver ?? true,
    maxAgeNs: windowNs(options.window?.maxAgeMs, BTAUTH_DEFAULT_MAX_AGE_MS, 'window.maxAgeMs'),
    skewNs: windowNs(options.window?.skewMs, BTAUTH_DEFAULT_SKEW_MS, 'window.skewMs'),
  };
}

function assertReplayStore(store: unknown, field: string): void {
  if (
    store === null ||
    typeof store !== 'object' ||
    typeof (store as ReplayStore).seen !== 'function'
  ) {
    throw invalid(field, 'a replay store ({ seen(key, expiresAtMs) }) is required');
  }
}

function windowNs(ms: number | undefined, fallback: number, field: string): bigint {
  const value = ms ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(field, 'must be a finite number of milliseconds ≥ 0');
  }
  return BigInt(Math.round(value * 1e6));
}

function assertRequest(request: BtauthRequest): void {
  if (request === null || typeof request !== 'object') throw invalid('request', 'required');
  if (typeof request.method !== 'string') throw invalid('request.method', 'must be a string');
  if (typeof request.pathAndQuery !== 'string') {
    throw invalid('request.pathAndQuery', 'must be the raw request target (a string)');
  }
  if (request.body !== undefined && !(request.body instanceof Uint8Array)) {
    throw invalid('request.body', 'must be the raw received bytes (a Uint8Array)');
  }
  if (request.headers === null || typeof request.headers !== 'object') {
    throw invalid('request.headers', 'must be a headers record or a Headers');
  }
}

function refuse(
  code: BtauthRefusalCode,
  message: string,
  header?: string,
  cause?: unknown,
): { ok: false; refusal: BtauthRefusal } {
  const refusal: BtauthRefusal = {
    wire: 'btauth',
    code,
    kind: BTAUTH_REFUSAL_KIND[code],
    status: BTAUTH_REFUSAL_STATUS[code],
    message,
    ...(header === undefined ? {} : { header }),
    ...(cause === undefined ? {} : { cause }),
  };
  return { ok: false, refusal };
}

const NAMES = Object.values(BTAUTH_HEADERS);
type HeaderName = (typeof NAMES)[number];
const LOWER_TO_NAME = new Map<string, HeaderName>(NAMES.map((n) => [n.toLowerCase(), n]));

/**
 * The btauth headers by canonical name, or the name of one given more than once. Stricter than
 * shared.ts's `readHeader`: a record holding two spellings of one name is refused too.
 */
function readHeaders(
  input: HeaderSource,
): { values: Map<HeaderName, string> } | { duplicate: HeaderName } {
  const values = new Map<HeaderName, string>();
  if (typeof Headers !== 'undefined' && input instanceof Headers) {
    // fetch Headers: one value per name (repeats arrive joined by ", ", which no check accepts).
    for (const name of NAMES) {
      const value = input.get(name);
      if (value !== null) values.set(name, value);
    }
    return { values };
  }
  for (const [key, raw] of Object.entries(input as Record<string, unknown>)) {
    const name = LOWER_TO_NAME.get(key.toLowerCase());
    if (name === undefined || raw === undefined) continue;
    if (values.has(name)) return { duplicate: name };
    if (Array.isArray(raw)) {
      if (raw.length === 0) continue;
      if (raw.length !== 1 || typeof raw[0] !== 'string') return { duplicate: name };
      values.set(name, raw[0]);
    } else if (typeof raw === 'string') {
      values.set(name, raw);
    } else {
      return { duplicate: name };
    }
  }
  return { values };
}

/**
 * `X-Bittensor-Crypto` → scheme. Absent means sr25519. Like the SDK, names are accepted in any
 * case and the SDK's crypto-type numbers `0` (ed25519) and `1` (sr25519) are accepted; the
 * payload always carries the canonical name, never the header text.
 */
function parseScheme(value: string | undefined): BtauthScheme | 'unknown' | 'unsupported' {
  if (value === undefined) return 'sr25519';
  const lowered = value.toLowerCase();
  if (lowered === 'sr25519' || value === '1') return 'sr25519';
  if (lowered === 'ed25519' || value === '0') return 'ed25519';
  if (lowered === 'hashed' || lowered === 'mldsa') return 'unsupported';
  return 'unknown';
}

const SIGNATURE_HEX_RE = /^0x(?:[0-9a-f]{2})*$/;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const H = BTAUTH_HEADERS;

async function run(
  config: Config,
  replay: ReplayStore,
  clock: () => bigint,
  request: BtauthRequest,
): Promise<BtauthVerdict> {
  assertRequest(request);
  const read = readHeaders(request.headers);
  if ('duplicate' in read) {
    return refuse('DUPLICATE_HEADER', `${read.duplicate} sent more than once`, read.duplicate);
  }
  const h = read.values;

  // 1. Shape.
  if (h.get(H.version) !== BTAUTH_VERSION) {
    return refuse('BAD_VERSION', `missing or unsupported ${H.version} (expected "1")`, H.version);
  }
  const sender = h.get(H.hotkey);
  if (!sender) return refuse('MISSING_HOTKEY', `missing ${H.hotkey}`, H.hotkey);
  const rawNonce = h.get(H.nonce);
  if (rawNonce === undefined) return refuse('MISSING_NONCE', `missing ${H.nonce}`, H.nonce);
  if (!CANONICAL_NONCE_RE.test(rawNonce)) {
    return refuse(
      'BAD_NONCE',
      `${H.nonce} must be Unix ns in canonical decimal (digits only, no leading zero)`,
      H.nonce,
    );
  }
  const nonce = BigInt(rawNonce);
  const declared = parseScheme(h.get(H.crypto));
  if (declared === 'unknown') return refuse('UNKNOWN_SCHEME', `unknown ${H.crypto}`, H.crypto);
  if (declared === 'unsupported') {
    return refuse('UNSUPPORTED_SCHEME', `${H.crypto} names a scheme not supported here`, H.crypto);
  }
  if (declared !== config.scheme) {
    return refuse('SCHEME_MISMATCH', `this server expects ${config.scheme} signatures`, H.crypto);
  }
  const rawSignature = h.get(H.signature);
  if (rawSignature === undefined) {
    return refuse('MISSING_SIGNATURE', `missing ${H.signature}`, H.signature);
  }
  if (!SIGNATURE_HEX_RE.test(rawSignature)) {
    return refuse(
      'BAD_SIGNATURE_ENCODING',
      `${H.signature} must be 0x + lowercase hex`,
      H.signature,
    );
  }

  // 2. Receiver.
  const receiver = h.get(H.receiver);
  if (receiver === undefined) {
    if (config.requireReceiver) {
      return refuse(
        'MISSING_RECEIVER',
        `missing ${H.receiver}: this server requires receiver-bound requests`,
        H.receiver,
      );
    }
  } else if (receiver !== config.receiverHotkey) {
    return refuse(
      'WRONG_RECEIVER',
      'request was signed for a different receiving hotkey',
      H.receiver,
    );
  }

  // 3. Freshness, in ns against our clock.
  const now = clock();
  if (now - nonce > config.maxAgeNs) {
    return refuse('NONCE_TOO_OLD', 'nonce is older than the freshness window', H.nonce);
  }
  if (nonce - now > config.skewNs) {
    return refuse('NONCE_IN_FUTURE', 'nonce is too far in the future', H.nonce);
  }

  // 4. Signature, under the pinned scheme only.
  let publicKey: Uint8Array;
  try {
    publicKey = decodeAddress(sender, BITTENSOR_SS58_PREFIX).publicKey;
  } catch {
    return refuse('BAD_HOTKEY', `${H.hotkey} must be an ss58 address with prefix 42`, H.hotkey);
  }
  const signature = Buffer.from(rawSignature.slice(2), 'hex');
  if (signature.length !== SIGNATURE_LENGTH) {
    return refuse('BAD_SIGNATURE_ENCODING', `${H.signature} must be 64 bytes`, H.signature);
  }
  const payload = btauthPayload({
    scheme: config.scheme,
    method: request.method,
    pathAndQuery: request.pathAndQuery,
    body: request.body ?? EMPTY,
    nonce,
    sender,
    receiver: receiver ?? null,
  });
  if (!verifyUnder(config.scheme, payload, signature, publicKey)) {
    return refuse('BAD_SIGNATURE', 'signature does not verify against the claimed hotkey');
  }

  // 5. Replay. The key lives until the nonce is stale anyway (+1 ms covers the ms rounding), so
  // a forgotten key can never be replayed and no store retention can be too short.
  const expiresAtMs = Number((nonce + config.maxAgeNs) / 1_000_000n) + 1;
  const check = await checkReplay(replay, `btauth:${hex(publicKey)}:${rawNonce}`, expiresAtMs);
  if ('unavailable' in check) {
    const cause = check.unavailable;
    return cause instanceof ReplayStoreFullError
      ? refuse(
          'REPLAY_STORE_UNAVAILABLE',
          'replay store full; retry later with a fresh nonce',
          undefined,
          cause,
        )
      : refuse(
          'REPLAY_STORE_UNAVAILABLE',
          'replay protection unavailable; retry later',
          undefined,
          cause,
        );
  }
  if (check.replayed) {
    return refuse('REPLAYED', 'this nonce was already accepted from this hotkey', H.nonce);
  }
  return {
    ok: true,
    caller: { hotkey: sender, publicKey, scheme: config.scheme, nonce, receiver },
  };
}

function verifyUnder(
  scheme: BtauthScheme,
  payload: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): boolean {
  // Exact payload bytes only: the `<Bytes>` wrapping is never accepted (wires.md §1.5).
  if (scheme === 'sr25519') return verifySignature(payload, signature, publicKey);
  try {
    const key = createPublicKey({
      key: Buffer.concat([SPKI_ED25519_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
    });
    return edVerify(null, payload, key, signature);
  } catch {
    // Not a point on the curve: no signature can verify against it.
    return false;
  }
}
