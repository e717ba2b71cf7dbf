import { type DrandChainInfo, MAINNET_COMPATIBILITY } from '@subnetkit/timelock';
import { invalidInput } from './errors.js';
import type { ChainLogger } from './options.js';

/** `MAINNET_COMPATIBILITY.notice` is printed once per process, on the first timelocked commit. */
let timelockNoticeShown = false;

export function showTimelockNotice(logger: ChainLogger | undefined): void {
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
