import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { hashRoundToG1, verifyBeacon } from './bls.js';
import { type BytesLike, toBytes, toHex } from './bytes.js';
import { TimelockError } from './errors.js';
import { type DrandChainInfo, roundAt, roundTime } from './quicknet.js';

/** One beacon output, shaped like drand's `/public/{round}` and subtensor's `pallet_drand::Pulse`. */
export interface Pulse {
  readonly round: number;
  /** Compressed G1 BLS signature on `sha256(round_be)` (48 bytes). */
  readonly signature: Uint8Array;
  /** `sha256(signature)`, as drand defines randomness. */
  readonly randomness: Uint8Array;
}

/** Options of {@link createDrandSimulator}. */
export interface DrandSimulatorOptions {
  /** 32-byte big-endian BLS secret scalar (nonzero, below the group order). */
  readonly secretKey?: BytesLike;
  /** Derive the secret key deterministically from these bytes/string (tests, demos). */
  readonly seed?: BytesLike;
  /** Unix seconds of round 1. Default: the current time, rounded down. */
  readonly genesisTime?: number;
  /** Seconds between rounds. Default 3 (quicknet). */
  readonly period?: number;
}

/** Injected dependencies of {@link DrandSimulator} (defaults: system clock and CSPRNG). */
export interface DrandSimulatorComponents {
  /** Current Unix time in milliseconds; used only for the default `genesisTime`. */
  readonly now?: () => number;
  /** Random bytes; used only when neither `secretKey` nor `seed` is given. */
  readonly randomBytes?: (length: number) => Uint8Array;
}

const SEED_DST = 'SUBNETKIT_DRAND_SIMULATOR_SECRET_KEY_V1';
const { Fr } = bls12_381.fields;

function scalarToBytes(s: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let v = s;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function scalarFromBytes(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/**
 * A local drand beacon with its own BLS key pair, signing exactly like quicknet
 * (`bls-unchained-g1-rfc9380`: signature on G1 over `sha256(round_be)`, public key on G2).
 * Ciphertexts made with {@link encrypt} for its public key open with its pulses, and its pulses
 * pass {@link verifyBeacon} with its public key. For localnet and tests; it is not drand.
 */
export class DrandSimulator {
  readonly #secretKey: Uint8Array;
  /** Compressed G2 public key (96 bytes). */
  readonly publicKey: Uint8Array;
  /** Chain parameters (no `chainHash`: this is not a drand network). */
  readonly info: DrandChainInfo;

  constructor(options: DrandSimulatorOptions = {}, components: DrandSimulatorComponents = {}) {
    if (options.secretKey !== undefined && options.seed !== undefined) {
      throw new TimelockError(
        'INVALID_INPUT',
        'secretKey: give either secretKey or seed, not both',
        { details: { field: 'secretKey' } },
      );
    }
    let sk: bigint;
    if (options.secretKey !== undefined) {
      sk = scalarFromBytes(toBytes(options.secretKey, 'secretKey', 32));
      if (sk === 0n || sk >= Fr.ORDER) {
        throw new TimelockError(
          'INVALID_INPUT',
          'secretKey: must be a nonzero scalar below the group order',
          { details: { field: 'secretKey' } },
        );
      }
    } else {
      const seed =
        options.seed === undefined
          ? (components.randomBytes ?? randomBytes)(32)
          : typeof options.seed === 'string' && !options.seed.startsWith('0x')
            ? new TextEncoder().encode(options.seed)
            : toBytes(options.seed, 'seed');
      sk = bls12_381.G1.hashToScalar(seed, { DST: SEED_DST });
      if (sk === 0n) sk = 1n; // probability 2^-255
    }
    const period = options.period ?? 3;
    if (!Number.isSafeInteger(period) || period < 1) {
      throw new TimelockError('INVALID_INPUT', `period: must be an integer >= 1, got ${period}`, {
        details: { field: 'period' },
      });
    }
    const genesisTime = options.genesisTime ?? Math.floor((components.now ?? Date.now)() / 1000);
    if (!Number.isSafeInteger(genesisTime) || genesisTime < 0) {
      throw new TimelockError('INVALID_INPUT', 'genesisTime: must be a non-negative integer', {
        details: { field: 'genesisTime' },
      });
    }
    this.#secretKey = scalarToBytes(sk);
    this.publicKey = bls12_381.shortSignatures.getPublicKey(this.#secretKey).toBytes(true);
    this.info = Object.freeze({
      publicKey: toHex(this.publicKey),
      genesisTime,
      period,
      schemeId: 'bls-unchained-g1-rfc9380',
    });
  }

  /** The pulse of `round` (≥ 1). Deterministic: BLS signatures have no randomness. */
  pulse(round: number): Pulse {
    if (!Number.isSafeInteger(round) || round < 1) {
      throw new TimelockError('INVALID_INPUT', `round: must be an integer >= 1, got ${round}`, {
        details: { field: 'round' },
      });
    }
    const sig = bls12_381.shortSignatures.sign(hashRoundToG1(round), this.#secretKey);
    const signature = sig.toBytes(true);
    return { round, signature, randomness: sha256(signature) };
  }

  /** Latest round published at `unixTime` by this beacon's clock (0 before genesis). */
  roundAt(unixTime: number): number {
    return roundAt(unixTime, this.info);
  }

  /** Unix time at which `round` is published by this beacon's clock. */
  roundTime(round: number): number {
    return roundTime(round, this.info);
  }

  /** Checks a pulse against this beacon's public key. */
  verify(pulse: Pick<Pulse, 'round' | 'signature'>): boolean {
    return verifyBeacon(pulse.round, pulse.signature, this.publicKey);
  }
}

/** Factory for {@link DrandSimulator}. */
export function createDrandSimulator(
  options: DrandSimulatorOptions = {},
  components: DrandSimulatorComponents = {},
): DrandSimulator {
  return new DrandSimulator(options, components);
}
