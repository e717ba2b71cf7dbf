import type { Codec } from '@polkadot/types/types';
import { ADMIN_SETTERS, type AdminSetter } from '../metadata/admin-utils.js';
import * as A from '../runtime/args.js';
import { type BlockContext, badOrigin, type Origin } from '../runtime/runtime.js';
import type { StorageItem } from '../state/item.js';
import { sameAccount, subnetExists } from './subtensor/neurons.js';

const blocksUntilNextEpoch = (tempo: number, netuid: number, block: bigint): bigint => {
  if (tempo === 0) return BigInt(Number.MAX_SAFE_INTEGER);
  const t1 = BigInt(tempo) + 1n;
  return BigInt(tempo) - ((block + BigInt(netuid) + 1n) % t1);
};

function authorize(
  ctx: BlockContext,
  origin: Origin,
  s: AdminSetter,
  netuid: number | undefined,
): void {
  if (origin.kind === 'root') return;
  if (s.auth === 'root' || origin.kind !== 'signed' || netuid === undefined) throw badOrigin();
  const i = ctx.items.st;
  if (!sameAccount(i.subnetOwner.get(ctx.st, netuid), origin.who)) throw badOrigin();
  const window = BigInt(i.adminFreezeWindow.get(ctx.st));
  if (blocksUntilNextEpoch(i.tempo.get(ctx.st, netuid), netuid, ctx.block) < window) {
    throw ctx.stError('AdminActionProhibitedDuringWeightsWindow');
  }
}

type AnyItem = StorageItem<never[], unknown>;

function itemFor(ctx: BlockContext, s: AdminSetter): AnyItem {
  const name = s.item.charAt(0).toLowerCase() + s.item.slice(1);
  const key = name === 'subnetTAO' ? 'subnetTao' : name;
  const item = (ctx.items.st as unknown as Record<string, AnyItem>)[key];
  if (!item) throw new Error(`no storage accessor for ${s.item}`);
  return item;
}

/** Runs one of the AdminUtils `sudo_set_*` hyperparameter setters. */
export function runSetter(ctx: BlockContext, origin: Origin, s: AdminSetter, args: Codec[]): void {
  const netuid = s.perSubnet ? A.num(args[0]) : undefined;
  const raw = args[s.perSubnet ? 1 : 0];
  const value = s.kind === 'bool' ? A.bool(raw) : s.kind === 'u64' ? A.big(raw) : A.num(raw);
  authorize(ctx, origin, s, netuid);
  if (netuid !== undefined && !subnetExists(ctx, netuid))
    throw ctx.error('AdminUtils', 'SubnetDoesNotExist');
  const i = ctx.items.st;
  if (s.item === 'MaxAllowedUids' && netuid !== undefined) {
    if ((value as number) < i.subnetworkN.get(ctx.st, netuid)) {
      throw ctx.error('AdminUtils', 'MaxAllowedUIdsLessThanCurrentUIds');
    }
  }
  if (s.item === 'RevealPeriodEpochs') {
    ctx.ensure((value as bigint) <= 100n, 'RevealPeriodTooLarge');
    ctx.ensure((value as bigint) >= 1n, 'RevealPeriodTooSmall');
  }
  const item = itemFor(ctx, s);
  (item.set as (st: unknown, k: unknown[], v: unknown) => void)(
    ctx.st,
    netuid === undefined ? [] : [netuid],
    value,
  );
  if (s.event) {
    ctx.deposit({
      SubtensorModule: { [s.event]: netuid === undefined ? [value] : [netuid, value] },
    });
  }
  if (s.item === 'Yuma3On' && netuid !== undefined) {
    ctx.deposit({ AdminUtils: { Yuma3EnableToggled: { netuid, enabled: value } } });
  }
}

export function setAlphaValues(ctx: BlockContext, origin: Origin, args: Codec[]): void {
  const netuid = A.num(args[0]);
  authorize(ctx, origin, { auth: 'owner' } as AdminSetter, netuid);
  if (!subnetExists(ctx, netuid)) throw ctx.error('AdminUtils', 'SubnetDoesNotExist');
  const low = A.num(args[1]);
  const high = A.num(args[2]);
  ctx.ensure(ctx.items.st.liquidAlphaOn.get(ctx.st, netuid), 'LiquidAlphaDisabled');
  ctx.ensure(high >= 52428, 'AlphaHighTooLow');
  ctx.ensure(low > 0 && low <= high, 'AlphaLowOutOfRange');
  ctx.items.st.alphaValues.set(ctx.st, [netuid], [low, high]);
}

export const SETTERS_BY_METHOD = new Map(
  ADMIN_SETTERS.map((s) => [s.call.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), s]),
);
