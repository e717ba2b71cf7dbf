// Fiber (rayonlabs/fiber ≥ 2.0) plain mode: request signing and verification. Spec notes:
// shared/reference/wires.md §3.
//
// A validator signs the UTF-8 string `<nonce>:<miner_hotkey>:<sha256_hex(body)>` with sr25519
// (substrate context, raw message bytes, no `<Bytes>` wrapping), where the nonce is
// `<time_ns>_<10 random [A-Za-z0-9]>`, and sends it in the `validator-hotkey`, `miner-hotkey`,
// `nonce` and `signature` headers. The miner rebuilds that string from the raw body.
//
// The encrypted mode (`fiber.encrypted`: RSA-OAEP key exchange, Fernet bodies, §3.4) is not
// implemented: such requests are refused with `UNSUPPORTED`.
import { randomInt } from 'node:crypto';
import type { Keypair } from '@subnetkit/wallet';
import { TransportError } from '../errors.js';
import { nowNs } from '../nonce.js';
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

/** Header names (Fiber's FastAPI reads them hyphenated and lowercase). */
export const FIBER_HEADERS = {
  validatorHotkey: 'validator-hotkey',
  minerHotkey: 'miner-hotkey',
  nonce: 'nonce',
  signature: 'signature',
  /** Present only on encrypted-mode requests, which this module refuses. */
  symmetricKeyUuid: 'symmetric-key-uuid',
} as const;

/** Fiber's `NONCE_WINDOW_NS`: a nonce may be 120 s old or 120 s ahead of the miner's clock. */
export const DEFAULT_FIBER_WINDOW_MS = 120_000;

/** Why encrypted-mode requests are refused. */
export const FIBER_ENCRYPTED_UNSUPPORTED =
  'Fiber encrypted mode (symmetric-key-uuid, Fernet body) is not supported: use the plain mode, the default since Fiber 2.0';

/** The signed message of Fiber's plain mode (§3.2). */
export function fiberMessage(nonce: string, minerHotkey: string, bodyHash: string): string {
  return `${nonce}:${minerHotkey}:${bodyHash}`;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A Fiber nonce: `<Unix time in ns>_<10 random [A-Za-z0-9]>` (random from node:crypto). */
export function fiberNonce(timeNs: bigint = nowNs()): string {
  let suffix = '';
  for (let i = 0; i < 10; i++) suffix += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return `${timeNs}_${suffix}`;
}

/** `<1–20 digits>_<10 alphanumerics>`: what `generate_nonce` produces. */
const NONCE_RE = /^([0-9]{1,20})_[A-Za-z0-9]{10}$/;
const NONCE_LIMIT = 10n ** 20n;

export interface SignFiberOptions {
  /** The miner's ss58 hotkey (the `miner-hotkey` header, part of the signed message). */
  minerHotkey: string;
  /** Default: a fresh {@link fiberNonce}. Never reuse one: miners refuse replays. */
  nonce?: string;
}

/**
 * Fiber plain-mode request headers for `body` (the exact bytes that will be sent; a string is
 * sent as UTF-8): `validator-hotkey`, `miner-hotkey`, `nonce`, `signature`. The caller sets
 * `Content-Type` (Fiber sends `application/json`). For a GET, sign the empty body; Fiber 2.1
 * sends GETs unsigned and 2.4's signed GET format is unknown here (§3.1–3.2).
 */
export function signFiber(
  keypair: Keypair,
  body: Uint8Array | string | undefined,
  options: SignFiberOptions,
): Record<string, string> {
  assertSs58(options?.minerHotkey, 'minerHotkey');
  const nonce = options.nonce ?? fiberNonce();
  if (!NONCE_RE.test(nonce)) {
    throw new TransportError('INVALID_OPTIONS', 'nonce: must be <time_ns>_<10 alphanumerics>', {
      details: { field: 'nonce' },
    });
  }
  const message = fiberMessage(nonce, options.minerHotkey, sha256Hex(bodyBytes(body)));
  return {
    [FIBER_HEADERS.validatorHotkey]: keypair.ss58Address,
    [FIBER_HEADERS.minerHotkey]: options.minerHotkey,
    [FIBER_HEADERS.nonce]: nonce,
    [FIBER_HEADERS.signature]: hex0x(keypair.sign(message)),
  };
}

/** Stable refusal codes of {@link FiberVerifier.verify}. */
export type FiberRefusalCode =
  /** A required header is absent (or empty). */
  | 'MISSING_HEADER'
  /** A header does not parse: nonce, ss58, signature, or a header sent twice. */
  | 'MALFORMED_HEADER'
  /** `miner-hotkey` is not our hotkey. */
  | 'WRONG_RECEIVER'
  /** The nonce is more than the window older than our clock. */
  | 'STALE'
  /** The nonce is more than the window ahead of our clock. */
  | 'FUTURE'
  /** The validator is unknown to the stake lookup (not in the metagraph). */
  | 'NOT_REGISTERED'
  /** The validator's stake is below `minStake`. */
  | 'STAKE_TOO_LOW'
  /** The stake lookup threw: refused rather than accepted unchecked. */
  | 'STAKE_LOOKUP_FAILED'
  /** The signature does not verify over the rebuilt message (body or headers changed). */
  | 'BAD_SIGNATURE'
  /** This (validator, nonce) was already accepted within the window. */
  | 'REPLAYED'
  /** The replay store threw or is full: refused rather than accepted unchecked. */
  | 'REPLAY_STORE_UNAVAILABLE'
  /** An encrypted-mode request (`symmetric-key-uuid`): not implemented. */
  | 'UNSUPPORTED';

/**
 * HTTP status per refusal, as Fiber's miner answers: 401 for a bad nonce or signature
 * (`verify_request`), 403 from the stake blacklist (`blacklist_low_stake`), 422 for a missing
 * header (FastAPI's `Header(...)` validation). A wrong `miner-hotkey` (Fiber does not check
 * it) answers 401 like the other signature checks. Our own failures answer 503; encrypted
 * mode, which we do not implement, 501.
 */
export const FIBER_REFUSAL_STATUS: Readonly<Record<FiberRefusalCode, number>> = {
  MISSING_HEADER: 422,
  MALFORMED_HEADER: 401,
  WRONG_RECEIVER: 401,
  STALE: 401,
  FUTURE: 401,
  NOT_REGISTERED: 403,
  STAKE_TOO_LOW: 403,
  STAKE_LOOKUP_FAILED: 503,
  BAD_SIGNATURE: 401,
  REPLAYED: 401,
  REPLAY_STORE_UNAVAILABLE: 503,
  UNSUPPORTED: 501,
};

export type FiberRefusal = WireRefusal<'fiber', FiberRefusalCode>;

/** A request as received: headers and the raw body bytes (absent = empty). */
export interface FiberRequest {
  headers: HeaderSource;
  body?: Uint8Array;
}

/** The validator behind an accepted request. */
export interface FiberCaller {
  /** `validator-hotkey`, verified. */
  hotkey: string;
  publicKey: Uint8Array;
  nonce: string;
  /** The nonce's time, Unix ns. */
  timeNs: bigint;
  /** What the stake lookup returned, when `minStake` is set. */
  stake?: number | bigint;
}

export type FiberVerdict = { ok: true; caller: FiberCaller } | { ok: false; refusal: FiberRefusal };

/**
 * A validator's stake as the subnet counts it (same unit as `minStake`), or `undefined`/`null`
 * when the hotkey is not in the metagraph.
 */
export type StakeLookup = (
  hotkey: string,
) => number | bigint | undefined | null | Promise<number | bigint | undefined | null>;

export interface FiberVerifierOptions {
  /** Our (the miner's) ss58 hotkey: `miner-hotkey` must equal it. */
  hotkey: string;
  /** How far the nonce time may be from our clock, either way (default 120 s, Fiber's). */
  windowMs?: number;
  /**
   * Refuse validators whose stake (from the `stakeLookup` component) is below this (Fiber's
   * `MIN_STAKE_THRESHOLD`, default 1,000 there; unset here = no stake check).
   */
  minStake?: number | bigint;
  /** Also accept signatures over the `<Bytes>`-wrapped message (default `false`, see Epistula). */
  acceptBytesWrapped?: boolean;
}

export interface FiberVerifierComponents {
  /** Default: a {@link MemoryReplayStore} of its own, on `clock`. Share one across wires. */
  replayStore?: ReplayStore;
  /** Unix ns (default {@link nowNs}). */
  clock?: () => bigint;
  /** Required with `minStake`. */
  stakeLookup?: StakeLookup;
}

export interface FiberVerifier {
  /**
   * Checks shape, receiver, nonce freshness, stake, signature, then replay, in that order.
   * Never throws.
   */
  verify(request: FiberRequest): Promise<FiberVerdict>;
}

const FIELDS = ['validatorHotkey', 'minerHotkey', 'nonce', 'signature'] as const;

function refuse(code: FiberRefusalCode, message: string, header?: string, cause?: unknown) {
  const refusal: FiberRefusal = {
    wire: 'fiber',
    code,
    status: FIBER_REFUSAL_STATUS[code],
    message,
    ...(header === undefined ? {} : { header }),
    ...(cause === undefined ? {} : { cause }),
  };
  return { ok: false as const, refusal };
}

const NS_PER_MS = 1_000_000n;

/**
 * A Fiber plain-mode verifier for a miner (`options.hotkey`). Stricter than Fiber's own
 * (§3.2–3.3): `miner-hotkey` must be ours, the nonce syntax is exact, the used-nonce set is per
 * validator and written only after the signature holds, and it is bounded.
 */
export function createFiberVerifier(
  options: FiberVerifierOptions,
  components: FiberVerifierComponents = {},
): FiberVerifier {
  assertSs58(options?.hotkey, 'hotkey');
  const hotkey = options.hotkey;
  const windowNs =
    BigInt(msOption(options.windowMs, DEFAULT_FIBER_WINDOW_MS, 'windowMs')) * NS_PER_MS;
  const { minStake } = options;
  const stakeLookup = components.stakeLookup;
  if (minStake !== undefined) {
    const valid =
      typeof minStake === 'bigint' ? minStake >= 0n : Number.isFinite(minStake) && minStake >= 0;
    if (!valid) {
      throw new TransportError('INVALID_OPTIONS', 'minStake: must be a finite number ≥ 0', {
        details: { field: 'minStake' },
      });
    }
    if (typeof stakeLookup !== 'function') {
      throw new TransportError('INVALID_OPTIONS', 'stakeLookup: required when minStake is set', {
        details: { field: 'stakeLookup' },
      });
    }
  } else if (stakeLookup !== undefined) {
    throw new TransportError('INVALID_OPTIONS', 'minStake: set it to use stakeLookup', {
      details: { field: 'minStake' },
    });
  }
  const wrapped = options.acceptBytesWrapped ?? false;
  const clock = components.clock ?? nowNs;
  const store =
    components.replayStore ??
    new MemoryReplayStore({}, { clock: () => Number(clock() / NS_PER_MS) });
  const hotkeys = new HotkeyCache();
  const utf8 = new TextEncoder();

  async function verify(request: FiberRequest): Promise<FiberVerdict> {
    const { headers } = request;
    const encrypted = readHeader(headers, FIBER_HEADERS.symmetricKeyUuid);
    if (encrypted !== undefined) {
      return refuse('UNSUPPORTED', FIBER_ENCRYPTED_UNSUPPORTED, FIBER_HEADERS.symmetricKeyUuid);
    }
    const values: Partial<Record<(typeof FIELDS)[number], string>> = {};
    for (const field of FIELDS) {
      const name = FIBER_HEADERS[field];
      const value = readHeader(headers, name);
      if (value === REPEATED)
        return refuse('MALFORMED_HEADER', `${name} sent more than once`, name);
      if (value === undefined || value === '')
        return refuse('MISSING_HEADER', `${name} is missing`, name);
      values[field] = value;
    }
    const { validatorHotkey, minerHotkey, nonce, signature } = values as Required<typeof values>;
    const publicKey = hotkeys.publicKey(validatorHotkey);
    if (!publicKey) {
      return refuse(
        'MALFORMED_HEADER',
        'validator-hotkey must be an ss58 address with prefix 42',
        FIBER_HEADERS.validatorHotkey,
      );
    }
    const sig = parseSignature(signature);
    if (!sig) {
      return refuse(
        'MALFORMED_HEADER',
        'signature must be 0x + 128 hex digits',
        FIBER_HEADERS.signature,
      );
    }
    const match = NONCE_RE.exec(nonce);
    const timeNs = match ? BigInt(match[1]!) : NONCE_LIMIT;
    if (timeNs >= NONCE_LIMIT) {
      return refuse(
        'MALFORMED_HEADER',
        'nonce must be <time_ns>_<10 alphanumerics>',
        FIBER_HEADERS.nonce,
      );
    }
    if (minerHotkey !== hotkey) {
      return refuse(
        'WRONG_RECEIVER',
        `request is signed for another miner, not ${hotkey}`,
        FIBER_HEADERS.minerHotkey,
      );
    }
    const now = clock();
    if (now - timeNs > windowNs) {
      return refuse(
        'STALE',
        `nonce is ${(now - timeNs) / NS_PER_MS} ms old (limit ${windowNs / NS_PER_MS} ms)`,
        FIBER_HEADERS.nonce,
      );
    }
    if (timeNs - now > windowNs) {
      return refuse(
        'FUTURE',
        `nonce is dated ${(timeNs - now) / NS_PER_MS} ms ahead (limit ${windowNs / NS_PER_MS} ms)`,
        FIBER_HEADERS.nonce,
      );
    }
    let stake: number | bigint | undefined;
    if (minStake !== undefined && stakeLookup) {
      try {
        stake = (await stakeLookup(validatorHotkey)) ?? undefined;
      } catch (cause) {
        return refuse(
          'STAKE_LOOKUP_FAILED',
          'stake lookup failed: request refused unchecked',
          undefined,
          cause,
        );
      }
      if (stake === undefined) {
        return refuse(
          'NOT_REGISTERED',
          'validator-hotkey is not in the metagraph',
          FIBER_HEADERS.validatorHotkey,
        );
      }
      if (!(stake >= minStake)) {
        return refuse(
          'STAKE_TOO_LOW',
          `stake ${stake} is below the minimum ${minStake}`,
          FIBER_HEADERS.validatorHotkey,
        );
      }
    }
    const message = utf8.encode(fiberMessage(nonce, minerHotkey, sha256Hex(request.body)));
    if (!verifySr25519(message, sig, publicKey, wrapped)) {
      return refuse(
        'BAD_SIGNATURE',
        'signature does not match the body, nonce and miner-hotkey',
        FIBER_HEADERS.signature,
      );
    }
    // Kept until the nonce can no longer pass the age check: past the last ms it is fresh in.
    const expiresAtMs = Number((timeNs + windowNs) / NS_PER_MS) + 1;
    const key = `fiber:${Buffer.from(publicKey).toString('hex')}:${nonce}`;
    const replay = await checkReplay(store, key, expiresAtMs);
    if ('unavailable' in replay) {
      return refuse(
        'REPLAY_STORE_UNAVAILABLE',
        'replay store unavailable: request refused unchecked',
        undefined,
        replay.unavailable,
      );
    }
    if (replay.replayed)
      return refuse('REPLAYED', 'this nonce was already used', FIBER_HEADERS.nonce);
    const caller: FiberCaller = {
      hotkey: validatorHotkey,
      publicKey: publicKey.slice(),
      nonce,
      timeNs,
    };
    if (stake !== undefined) caller.stake = stake;
    return { ok: true, caller };
  }

  return { verify };
}
