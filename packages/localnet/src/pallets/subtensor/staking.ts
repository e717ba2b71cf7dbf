import type { Codec } from '@polkadot/types/types';
import * as A from '../../runtime/args.js';
import { type BlockContext, ensureSigned, type Origin } from '../../runtime/runtime.js';
import { freeBalance, setFree } from '../balances.js';
import { hotkeyExists, subnetExists } from './neurons.js';

/** DefaultMinStake in spec 343 (rao). */
export const MIN_STAKE = 2_000_000n;
const SHARE = 1n << 64n;

/**
 * Adds alpha stake of (hotkey, coldkey) on a subnet. Localnet has no AMM: 1 TAO buys 1 alpha,
 * and `Alpha` holds shares equal to the amount (U64F64 bits).
 */
export function increaseStake(
  ctx: BlockContext,
  hotkey: Uint8Array,
  coldkey: Uint8Array,
  netuid: number,
  alpha: bigint,
): void {
  const i = ctx.items.st;
  i.totalHotkeyAlpha.mutate(ctx.st, [hotkey, netuid], (v) => v + alpha);
  i.alpha.mutate(ctx.st, [hotkey, coldkey, netuid], (v) => v + alpha * SHARE);
}

export function stakeOfPair(
  ctx: BlockContext,
  hotkey: Uint8Array,
  coldkey: Uint8Array,
  netuid: number,
): bigint {
  return ctx.items.st.alpha.get(ctx.st, hotkey, coldkey, netuid) / SHARE;
}

export function addStake(ctx: BlockContext, origin: Origin, args: Codec[]): void {
  const coldkey = ensureSigned(origin);
  const hotkey = A.account(args[0]);
  const netuid = A.num(args[1]);
  const amount = A.big(args[2]);
  const i = ctx.items.st;
  ctx.ensure(subnetExists(ctx, netuid), 'SubnetNotExists');
  ctx.ensure(i.subtokenEnabled.get(ctx.st, netuid), 'SubtokenDisabled');
  ctx.ensure(amount >= MIN_STAKE, 'AmountTooLow');
  ctx.ensure(freeBalance(ctx, coldkey) >= amount, 'NotEnoughBalanceToStake');
  ctx.ensure(hotkeyExists(ctx, hotkey), 'HotKeyAccountNotExists');
  setFree(ctx, coldkey, freeBalance(ctx, coldkey) - amount);
  increaseStake(ctx, hotkey, coldkey, netuid, amount);
  i.subnetTao.mutate(ctx.st, [netuid], (v) => v + amount);
  i.totalStake.mutate(ctx.st, [], (v) => v + amount);
  i.stakingHotkeys.mutate(ctx.st, [coldkey], (v) =>
    v.some((h) => h.every((x, k) => x === hotkey[k])) ? v : [...v, hotkey],
  );
  ctx.deposit({ SubtensorModule: { StakeAdded: [coldkey, hotkey, amount, amount, netuid, 0] } });
}

export function removeStake(ctx: BlockContext, origin: Origin, args: Codec[]): void {
  const coldkey = ensureSigned(origin);
  const hotkey = A.account(args[0]);
  const netuid = A.num(args[1]);
  const alpha = A.big(args[2]);
  const i = ctx.items.st;
  ctx.ensure(subnetExists(ctx, netuid), 'SubnetNotExists');
  ctx.ensure(alpha > 0n, 'AmountTooLow');
  const have = stakeOfPair(ctx, hotkey, coldkey, netuid);
  ctx.ensure(have >= alpha, 'NotEnoughStakeToWithdraw');
  ctx.ensure(have === alpha || alpha >= MIN_STAKE, 'AmountTooLow');
  ctx.ensure(hotkeyExists(ctx, hotkey), 'HotKeyAccountNotExists');
  i.totalHotkeyAlpha.mutate(ctx.st, [hotkey, netuid], (v) => v - alpha);
  i.alpha.mutate(ctx.st, [hotkey, coldkey, netuid], (v) => v - alpha * SHARE);
  i.subnetTao.mutate(ctx.st, [netuid], (v) => (v > alpha ? v - alpha : 0n));
  i.totalStake.mutate(ctx.st, [], (v) => (v > alpha ? v - alpha : 0n));
  setFree(ctx, coldkey, freeBalance(ctx, coldkey) + alpha);
  ctx.deposit({ SubtensorModule: { StakeRemoved: [coldkey, hotkey, alpha, alpha, netuid, 0] } });
}
