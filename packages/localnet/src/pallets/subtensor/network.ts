import type { Codec } from '@polkadot/types/types';
import * as A from '../../runtime/args.js';
import { type BlockContext, ensureSigned, type Origin } from '../../runtime/runtime.js';
import { withdraw } from '../balances.js';
import { appendNeuron, createHotkeyIfMissing, sameAccount, subnetExists } from './neurons.js';
import { type SubnetParams, writeSubnetParams } from './params.js';

/** Creates subnet `netuid` owned by `coldkey`, with `hotkey` as uid 0 (as register_network does). */
export function createSubnet(
  ctx: BlockContext,
  netuid: number,
  coldkey: Uint8Array,
  hotkey: Uint8Array,
  params: SubnetParams,
): void {
  const i = ctx.items.st;
  const st = ctx.st;
  i.networksAdded.set(st, [netuid], true);
  i.totalNetworks.mutate(st, [], (v) => v + 1);
  i.subnetworkN.set(st, [netuid], 0);
  i.subnetMechanism.set(st, [netuid], 1);
  i.networkRegisteredAt.set(st, [netuid], ctx.block);
  i.subnetOwner.set(st, [netuid], coldkey);
  i.subnetOwnerHotkey.set(st, [netuid], hotkey);
  writeSubnetParams(ctx, netuid, params);
  createHotkeyIfMissing(ctx, coldkey, hotkey);
  appendNeuron(ctx, netuid, hotkey);
}

export function nextFreeNetuid(ctx: BlockContext): number {
  let netuid = 1;
  while (subnetExists(ctx, netuid)) netuid++;
  return netuid;
}

/** `register_network(hotkey)`: pays NetworkMinLockCost (no lock-cost doubling on localnet). */
export function registerNetwork(
  ctx: BlockContext,
  origin: Origin,
  args: Codec[],
  defaults: SubnetParams,
): void {
  const coldkey = ensureSigned(origin);
  const hotkey = A.account(args[0]);
  const i = ctx.items.st;
  const owner = i.owner.getOpt(ctx.st, hotkey);
  ctx.ensure(!owner || sameAccount(owner, coldkey), 'NonAssociatedColdKey');
  const cost = i.networkMinLockCost.get(ctx.st);
  ctx.ensure(ctx.items.system.account.get(ctx.st, coldkey).free >= cost, 'CannotAffordLockCost');
  withdraw(ctx, coldkey, cost, ctx.stError('CannotAffordLockCost'));
  i.networkLastLockCost.set(ctx.st, [], cost);
  const netuid = nextFreeNetuid(ctx);
  createSubnet(ctx, netuid, coldkey, hotkey, defaults);
  ctx.deposit({ SubtensorModule: { NetworkAdded: [netuid, 1] } });
}

/** `start_call(netuid)`: owner only; starts emission and enables staking. */
export function startCall(ctx: BlockContext, origin: Origin, args: Codec[]): void {
  const who = ensureSigned(origin);
  const netuid = A.num(args[0]);
  const i = ctx.items.st;
  ctx.ensure(subnetExists(ctx, netuid), 'SubnetNotExists');
  ctx.ensure(sameAccount(i.subnetOwner.get(ctx.st, netuid), who), 'NotSubnetOwner');
  ctx.ensure(
    i.firstEmissionBlockNumber.getOpt(ctx.st, netuid) === undefined,
    'FirstEmissionBlockNumberAlreadySet',
  );
  startSubnet(ctx, netuid);
}

export function startSubnet(ctx: BlockContext, netuid: number): void {
  const next = ctx.block + 1n;
  ctx.items.st.firstEmissionBlockNumber.set(ctx.st, [netuid], next);
  ctx.items.st.subtokenEnabled.set(ctx.st, [netuid], true);
  ctx.deposit({ SubtensorModule: { FirstEmissionBlockNumberSet: [netuid, next] } });
}
