import type { Codec } from '@polkadot/types/types';
import * as A from '../../runtime/args.js';
import { type BlockContext, ensureSigned, type Origin } from '../../runtime/runtime.js';
import { withdraw } from '../balances.js';
import { createHotkeyIfMissing, registerNeuron, sameAccount, subnetExists } from './neurons.js';

/** `burned_register(netuid, hotkey)`, signed by the coldkey (spec 343's checks, in order). */
export function burnedRegister(ctx: BlockContext, origin: Origin, args: Codec[]): void {
  const coldkey = ensureSigned(origin);
  const netuid = A.num(args[0]);
  const hotkey = A.account(args[1]);
  const i = ctx.items.st;
  const st = ctx.st;
  ctx.ensure(netuid !== 0, 'RegistrationNotPermittedOnRootSubnet');
  ctx.ensure(subnetExists(ctx, netuid), 'SubnetNotExists');
  ctx.ensure(i.networkRegistrationAllowed.get(st, netuid), 'SubNetRegistrationDisabled');
  ctx.ensure(
    i.registrationsThisBlock.get(st, netuid) < i.maxRegistrationsPerBlock.get(st, netuid),
    'TooManyRegistrationsThisBlock',
  );
  ctx.ensure(
    i.registrationsThisInterval.get(st, netuid) <
      i.targetRegistrationsPerInterval.get(st, netuid) * 3,
    'TooManyRegistrationsThisInterval',
  );
  ctx.ensure(!i.uids.has(st, netuid, hotkey), 'HotKeyAlreadyRegisteredInSubNet');
  const cost = i.burn.get(st, netuid);
  ctx.ensure(ctx.items.system.account.get(st, coldkey).free >= cost, 'NotEnoughBalanceToStake');
  createHotkeyIfMissing(ctx, coldkey, hotkey);
  ctx.ensure(sameAccount(i.owner.get(st, hotkey), coldkey), 'NonAssociatedColdKey');
  ctx.ensure(i.maxAllowedUids.get(st, netuid) !== 0, 'NoNeuronIdAvailable');
  withdraw(ctx, coldkey, cost, ctx.stError('NotEnoughBalanceToStake'));
  const uid = registerNeuron(ctx, netuid, hotkey);
  if (uid === undefined) throw ctx.stError('NoNeuronIdAvailable');
  i.burnRegistrationsThisInterval.mutate(st, [netuid], (v) => v + 1);
  i.registrationsThisInterval.mutate(st, [netuid], (v) => v + 1);
  i.registrationsThisBlock.mutate(st, [netuid], (v) => v + 1);
  ctx.deposit({ SubtensorModule: { NeuronRegistered: [netuid, uid, hotkey] } });
}
