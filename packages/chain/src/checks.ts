import { decodeAddress } from '@subnetkit/wallet';
import { invalidInput } from './errors.js';
import { checkWeightsInput, type WeightsInput } from './weights.js';

export function checkNetuid(netuid: number): void {
  if (!Number.isInteger(netuid) || netuid < 0 || netuid > 0xffff) {
    throw invalidInput('netuid', `must be an integer in [0, 65535], got ${netuid}`);
  }
}

export function checkMechid(mechid: number): void {
  if (!Number.isInteger(mechid) || mechid < 0 || mechid > 15) {
    throw invalidInput('mechid', `must be an integer in [0, 15], got ${mechid}`);
  }
}

export function checkAddress(field: string, address: string): void {
  try {
    decodeAddress(address, null);
  } catch (error) {
    throw invalidInput(field, `not a valid SS58 address: ${(error as Error).message}`);
  }
}

export function checkAmount(field: string, amount: bigint): void {
  if (typeof amount !== 'bigint' || amount <= 0n || amount >= 1n << 64n) {
    throw invalidInput(field, `must be a positive bigint amount in rao (< 2^64), got ${amount}`);
  }
}

/**
 * The target and vectors of a weights call, checked in this order: netuid, uids/weights,
 * mechid. Returns the mechid (0 when absent).
 */
export function checkWeightsTarget(
  params: WeightsInput & { netuid: number; mechid?: number },
): number {
  checkNetuid(params.netuid);
  checkWeightsInput(params);
  const mechid = params.mechid ?? 0;
  checkMechid(mechid);
  return mechid;
}
