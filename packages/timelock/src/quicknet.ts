import { TimelockError } from './errors.js';

/** Parameters of a drand chain that a timelock ciphertext is bound to. */
export interface DrandChainInfo {
  /** Compressed G2 public key, lowercase hex without `0x`. */
  readonly publicKey: string;
  /** Unix time (seconds) of round 1. */
  readonly genesisTime: number;
  /** Seconds between rounds. */
  readonly period: number;
  /** drand chain hash (hex), when the chain is a real drand network. */
  readonly chainHash?: string;
  /** drand scheme id. */
  readonly schemeId: string;
}

/**
 * drand quicknet (League of Entropy mainnet), the beacon subtensor's `pallet_drand` stores and
 * bittensor-drand encrypts to. Values from bittensor-drand `src/drand.rs` and subtensor
 * `pallets/drand` tests (`DRAND_INFO_RESPONSE`).
 */
export const QUICKNET: DrandChainInfo = Object.freeze({
  publicKey:
    '83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a',
  genesisTime: 1692803367,
  period: 3,
  chainHash: '52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971',
  schemeId: 'bls-unchained-g1-rfc9380',
});

function checkTime(unixTime: number, field: string): void {
  if (!Number.isFinite(unixTime)) {
    throw new TimelockError('INVALID_INPUT', `${field}: must be a finite number, got ${unixTime}`, {
      details: { field },
    });
  }
}

/**
 * The latest round a drand chain has published at `unixTime` (seconds, fractions allowed):
 * `floor((t - genesis) / period) + 1`, or 0 before genesis. Round `n` is published at
 * {@link roundTime}`(n)`; round 1 at genesis. This is drand's own `CurrentRound`.
 *
 * Note: this is NOT the round bittensor-drand encrypts weights to; see
 * `computeRevealRound`, which deliberately picks an earlier round.
 */
export function roundAt(unixTime: number, chain: DrandChainInfo = QUICKNET): number {
  checkTime(unixTime, 'unixTime');
  if (unixTime < chain.genesisTime) return 0;
  return Math.floor((unixTime - chain.genesisTime) / chain.period) + 1;
}

/** Unix time (seconds) at which `round` (≥ 1) is published: `genesis + (round - 1)·period`. */
export function roundTime(round: number, chain: DrandChainInfo = QUICKNET): number {
  if (!Number.isSafeInteger(round) || round < 1) {
    throw new TimelockError('INVALID_INPUT', `round: must be an integer >= 1, got ${round}`, {
      details: { field: 'round' },
    });
  }
  return chain.genesisTime + (round - 1) * chain.period;
}
