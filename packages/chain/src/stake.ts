import type { AnyCodec } from './decode.js';

/** 1.0 in U64F64, the fixed-point type of subtensor's alpha shares. */
const ONE = 1n << 64n;
const U128_MAX = (1n << 128n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

/**
 * The alpha a (hotkey, coldkey) pair owns on a subnet, the way subtensor's share pool computes
 * it (`SharePool::try_get_value` in U64F64): `TotalHotkeyAlpha / TotalHotkeyShares`, truncated,
 * times the pair's `Alpha` share; a division that overflows counts as 0, a product saturates.
 * `totalShareBits` is `null` when the runtime keeps no share total (the subnetkit localnet,
 * where a share is always worth one alpha).
 */
export function stakeFromShares(
  totalHotkeyAlpha: bigint,
  shareBits: bigint,
  totalShareBits: bigint | null,
): bigint {
  if (totalShareBits === null) return shareBits / ONE;
  if (totalShareBits === 0n) return 0n;
  const perShareBits = (totalHotkeyAlpha * ONE * ONE) / totalShareBits;
  if (perShareBits > U128_MAX) return 0n;
  const valueBits = (perShareBits * shareBits) / ONE;
  return valueBits > U128_MAX ? U64_MAX : valueBits / ONE;
}

/** The raw bits of a decoded U64F64 (`{ bits: u128 }`). */
export function fixedBits(codec: AnyCodec): bigint {
  return BigInt((codec.bits ?? codec).toString());
}
