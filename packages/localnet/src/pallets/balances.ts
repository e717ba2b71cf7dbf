import { DispatchFailure } from '../runtime/dispatch-error.js';
import type { BlockContext } from '../runtime/runtime.js';
import type { AccountInfo } from '../state/codecs.js';

const NEW_LOGIC_FLAG = 1n << 127n;

export const emptyAccount = (): AccountInfo => ({
  nonce: 0,
  consumers: 0,
  providers: 0,
  sufficients: 0,
  free: 0n,
  reserved: 0n,
  frozen: 0n,
  flags: NEW_LOGIC_FLAG,
});

export const freeBalance = (ctx: BlockContext, who: Uint8Array): bigint =>
  ctx.items.system.account.get(ctx.st, who).free;

export const existentialDeposit = (ctx: BlockContext): bigint => ctx.meta.facts.existentialDeposit;

/** Sets an account's free balance, creating or reaping the account as pallet_balances does. */
export function setFree(ctx: BlockContext, who: Uint8Array, free: bigint): void {
  const acc = ctx.items.system.account;
  const prev = acc.getOpt(ctx.st, who);
  const ed = existentialDeposit(ctx);
  if (free < ed) {
    if (prev) {
      if (free > 0n) ctx.deposit({ Balances: { DustLost: { account: who, amount: free } } });
      // Keep the nonce: a reaped account must not make old transactions valid again.
      acc.set(ctx.st, [who], { ...prev, free: 0n, providers: prev.nonce > 0 ? prev.providers : 0 });
      if (prev.nonce === 0) {
        acc.remove(ctx.st, who);
        ctx.deposit({ System: { KilledAccount: { account: who } } });
      }
    }
    return;
  }
  if (!prev) {
    acc.set(ctx.st, [who], { ...emptyAccount(), providers: 1, free });
    ctx.deposit({ System: { NewAccount: { account: who } } });
    ctx.deposit({ Balances: { Endowed: { account: who, freeBalance: free } } });
    return;
  }
  acc.set(ctx.st, [who], { ...prev, free, providers: Math.max(prev.providers, 1) });
}

/** Adds newly issued TAO to an account. */
export function mint(ctx: BlockContext, who: Uint8Array, amount: bigint): void {
  setFree(ctx, who, freeBalance(ctx, who) + amount);
  ctx.items.balances.totalIssuance.mutate(ctx.st, [], (v) => v + amount);
}

/** Withdraws TAO (burned or moved into stake); fails like subtensor when it is not there. */
export function withdraw(
  ctx: BlockContext,
  who: Uint8Array,
  amount: bigint,
  failure: DispatchFailure,
): void {
  const free = freeBalance(ctx, who);
  if (free < amount) throw failure;
  setFree(ctx, who, free - amount);
  ctx.items.balances.totalIssuance.mutate(ctx.st, [], (v) => v - amount);
}

export function transfer(
  ctx: BlockContext,
  from: Uint8Array,
  to: Uint8Array,
  amount: bigint,
  keepAlive: boolean,
): void {
  const ed = existentialDeposit(ctx);
  const free = freeBalance(ctx, from);
  if (free < amount)
    throw new DispatchFailure({ Token: 'FundsUnavailable' }, 'Token.FundsUnavailable');
  if (keepAlive && free - amount < ed) {
    throw new DispatchFailure({ Token: 'NotExpendable' }, 'Token.NotExpendable');
  }
  const toFree = freeBalance(ctx, to);
  if (toFree + amount < ed)
    throw new DispatchFailure({ Token: 'BelowMinimum' }, 'Token.BelowMinimum');
  if (amount === 0n) return;
  setFree(ctx, from, free - amount);
  setFree(ctx, to, freeBalance(ctx, to) + amount);
  ctx.deposit({ Balances: { Transfer: { from, to, amount } } });
}
