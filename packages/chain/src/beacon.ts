import type { ApiDecoration } from '@polkadot/api/types';
import { u8aToString } from '@polkadot/util';
import type { Logger } from '@subnetkit/core';
import { type DrandChainInfo, MAINNET_COMPATIBILITY, QUICKNET } from '@subnetkit/timelock';
import { ChainError, invalidInput } from './errors.js';

/** `MAINNET_COMPATIBILITY.notice` is printed once per process, on the first timelocked commit. */
let timelockNoticeShown = false;

export function showTimelockNotice(logger: Logger | undefined): void {
  if (timelockNoticeShown || MAINNET_COMPATIBILITY.verifiedAgainstMainnet) return;
  timelockNoticeShown = true;
  if (logger) logger.warn(MAINNET_COMPATIBILITY.notice);
  else process.emitWarning(MAINNET_COMPATIBILITY.notice, { code: 'SUBNETKIT_TIMELOCK_UNVERIFIED' });
}

export const stripHex = (hex: string) => (hex.startsWith('0x') ? hex.slice(2) : hex).toLowerCase();

export function sameBeacon(a: DrandChainInfo, b: DrandChainInfo): boolean {
  return (
    stripHex(a.publicKey) === stripHex(b.publicKey) &&
    a.genesisTime === b.genesisTime &&
    a.period === b.period
  );
}

export function checkBeacon(beacon: DrandChainInfo): DrandChainInfo {
  if (
    typeof beacon !== 'object' ||
    beacon === null ||
    typeof beacon.publicKey !== 'string' ||
    !/^(0x)?[0-9a-fA-F]{192}$/.test(beacon.publicKey)
  ) {
    throw invalidInput('beacon', 'publicKey must be a 96-byte compressed G2 key in hex');
  }
  if (!Number.isFinite(beacon.genesisTime) || !(beacon.period > 0)) {
    throw invalidInput('beacon', 'needs a finite genesisTime and a period > 0');
  }
  return beacon;
}

/** `Drand.BeaconConfig` of the runtime, or `undefined` when it has no drand pallet. */
export async function chainBeacon(
  at: ApiDecoration<'promise'>,
): Promise<DrandChainInfo | undefined> {
  // biome-ignore lint/suspicious/noExplicitAny: api.query is decorated from metadata
  const item = (at.query as any).drand?.beaconConfig;
  if (!item) return undefined;
  const config = (await item()).toJSON() as Record<string, unknown>;
  const hex = (v: unknown) => stripHex(String(v ?? ''));
  const schemeHex = hex(config.schemeId);
  return {
    publicKey: hex(config.publicKey),
    genesisTime: Number(config.genesisTime),
    period: Number(config.period),
    chainHash: hex(config.hash ?? config.hash_),
    schemeId: u8aToString(Uint8Array.from(Buffer.from(schemeHex, 'hex'))),
  };
}

export async function resolveBeacon(
  at: ApiDecoration<'promise'>,
  requested: DrandChainInfo | 'chain' | undefined,
  logger: Logger,
): Promise<DrandChainInfo> {
  const onChain = await chainBeacon(at);
  if (requested === 'chain') {
    if (!onChain) {
      throw new ChainError(
        'UNSUPPORTED_RUNTIME',
        "beacon 'chain': the runtime has no Drand.BeaconConfig storage; pass the beacon's info",
        { details: { name: 'Drand.BeaconConfig' } },
      );
    }
    return onChain;
  }
  if (requested) {
    if (onChain && !sameBeacon(requested, onChain)) {
      logger.warn(
        `timelocked weights: encrypting to the given drand beacon (${stripHex(requested.publicKey).slice(0, 16)}…), not to the chain's Drand.BeaconConfig (${onChain.publicKey.slice(0, 16)}…)`,
      );
    }
    return requested;
  }
  if (onChain && !sameBeacon(QUICKNET, onChain)) {
    throw new ChainError(
      'BEACON_MISMATCH',
      `the chain's drand beacon (Drand.BeaconConfig: key ${onChain.publicKey.slice(0, 16)}…, genesis ${onChain.genesisTime}, period ${onChain.period}) is not quicknet: weights encrypted to quicknet could never be revealed there. Pass beacon: 'chain' or the beacon's info`,
      { details: { name: 'Drand.BeaconConfig' } },
    );
  }
  return QUICKNET;
}
