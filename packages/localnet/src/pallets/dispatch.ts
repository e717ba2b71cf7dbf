import type { Call } from '@polkadot/types/interfaces';
import type { Codec } from '@polkadot/types/types';
import { blake2AsU8a } from '@polkadot/util-crypto';
import * as A from '../runtime/args.js';
import { DispatchFailure } from '../runtime/dispatch-error.js';
import {
  type BlockContext,
  badOrigin,
  ensureRoot,
  ensureSigned,
  type Origin,
} from '../runtime/runtime.js';
import { runSetter, SETTERS_BY_METHOD, setAlphaValues } from './admin-utils.js';
import { freeBalance, setFree, transfer } from './balances.js';
import { setBeaconConfig, setOldestStoredRound, writePulse } from './drand.js';
import { registerNetwork, startCall } from './subtensor/network.js';
import { sameAccount } from './subtensor/neurons.js';
import type { SubnetParams } from './subtensor/params.js';
import { burnedRegister } from './subtensor/registration.js';
import { serveAxon, servePrometheus } from './subtensor/serving.js';
import { addStake, removeStake } from './subtensor/staking.js';
import { commitTimelockedWeights } from './subtensor/timelocked.js';
import { commitWeights, revealWeights, setWeights } from './subtensor/weights.js';

type Handler = (ctx: BlockContext, origin: Origin, args: Codec[], env: DispatchEnv) => void;

export interface DispatchEnv {
  subnetDefaults: SubnetParams;
}

const cannotLookup = () => new DispatchFailure('CannotLookup', 'CannotLookup');

const HANDLERS: Record<string, Handler> = {
  'system.remark': (_ctx, origin) => void ensureSigned(origin),
  'system.remarkWithEvent': (ctx, origin, args) => {
    const who = ensureSigned(origin);
    ctx.deposit({
      System: { Remarked: { sender: who, hash: blake2AsU8a(A.bytes(args[0]), 256) } },
    });
  },
  'timestamp.set': (ctx, origin, args) => {
    if (origin.kind !== 'none') throw badOrigin();
    ctx.items.timestamp.now.set(ctx.st, [], A.big(args[0]));
    ctx.items.timestamp.didUpdate.set(ctx.st, [], true);
  },
  'balances.transferAllowDeath': (ctx, origin, args) => {
    const to = A.lookup(args[0]);
    if (!to) throw cannotLookup();
    transfer(ctx, ensureSigned(origin), to, A.big(args[1]), false);
  },
  'balances.transferKeepAlive': (ctx, origin, args) => {
    const to = A.lookup(args[0]);
    if (!to) throw cannotLookup();
    transfer(ctx, ensureSigned(origin), to, A.big(args[1]), true);
  },
  'balances.transferAll': (ctx, origin, args) => {
    const from = ensureSigned(origin);
    const to = A.lookup(args[0]);
    if (!to) throw cannotLookup();
    const keepAlive = A.bool(args[1]);
    const free = freeBalance(ctx, from);
    const amount = keepAlive ? free - ctx.meta.facts.existentialDeposit : free;
    if (amount > 0n) transfer(ctx, from, to, amount, keepAlive);
  },
  'balances.forceSetBalance': (ctx, origin, args) => {
    ensureRoot(origin);
    const who = A.lookup(args[0]);
    if (!who) throw cannotLookup();
    const free = A.big(args[1]);
    const before = freeBalance(ctx, who);
    setFree(ctx, who, free);
    ctx.items.balances.totalIssuance.mutate(ctx.st, [], (v) => v + free - before);
    ctx.deposit({ Balances: { BalanceSet: { who, free } } });
  },
  'subtensorModule.setWeights': (ctx, o, a) => setWeights(ctx, o, a),
  'subtensorModule.setMechanismWeights': (ctx, o, a) => setWeights(ctx, o, a, true),
  'subtensorModule.commitWeights': (ctx, o, a) => commitWeights(ctx, o, a),
  'subtensorModule.commitMechanismWeights': (ctx, o, a) => commitWeights(ctx, o, a, true),
  'subtensorModule.revealWeights': (ctx, o, a) => revealWeights(ctx, o, a),
  'subtensorModule.revealMechanismWeights': (ctx, o, a) => revealWeights(ctx, o, a, true),
  'subtensorModule.commitTimelockedWeights': (ctx, o, a) => commitTimelockedWeights(ctx, o, a),
  'subtensorModule.commitTimelockedMechanismWeights': (ctx, o, a) =>
    commitTimelockedWeights(ctx, o, a, true),
  'subtensorModule.addStake': addStake,
  'subtensorModule.removeStake': removeStake,
  'subtensorModule.serveAxon': serveAxon,
  'subtensorModule.serveAxonTls': serveAxon,
  'subtensorModule.servePrometheus': servePrometheus,
  'subtensorModule.burnedRegister': burnedRegister,
  'subtensorModule.registerNetwork': (ctx, o, a, env) =>
    registerNetwork(ctx, o, a, env.subnetDefaults),
  'subtensorModule.startCall': startCall,
  'sudo.sudo': (ctx, origin, args, env) => sudo(ctx, origin, args[0] as Call, env),
  'sudo.sudoUncheckedWeight': (ctx, origin, args, env) => sudo(ctx, origin, args[0] as Call, env),
  'sudo.setKey': (ctx, origin, args) => {
    requireSudo(ctx, origin);
    const next = A.lookup(args[0]);
    if (!next) throw cannotLookup();
    const old = ctx.items.sudo.key.getOpt(ctx.st);
    ctx.items.sudo.key.set(ctx.st, [], next);
    ctx.deposit({ Sudo: { KeyChanged: { old: old ?? null, new: next } } });
  },
  'adminUtils.sudoSetAlphaValues': setAlphaValues,
  'drand.writePulse': writePulse,
  'drand.setBeaconConfig': setBeaconConfig,
  'drand.setOldestStoredRound': setOldestStoredRound,
};

function requireSudo(ctx: BlockContext, origin: Origin): void {
  const who = ensureSigned(origin);
  const key = ctx.items.sudo.key.getOpt(ctx.st);
  if (!key || !sameAccount(key, who)) throw ctx.error('Sudo', 'RequireSudo');
}

/** `Sudo.sudo(call)`: the key's signature dispatches `call` as Root; the outcome is an event. */
function sudo(ctx: BlockContext, origin: Origin, call: Call, env: DispatchEnv): void {
  requireSudo(ctx, origin);
  ctx.st.begin();
  try {
    dispatch(ctx, { kind: 'root' }, call, env);
    ctx.st.commit();
    ctx.deposit({ Sudo: { Sudid: { sudoResult: { Ok: null } } } });
  } catch (e) {
    if (!(e instanceof DispatchFailure)) throw e;
    ctx.st.rollback();
    ctx.deposit({ Sudo: { Sudid: { sudoResult: { Err: e.error } } } });
  }
}

/** Routes a decoded call to its handler; throws DispatchFailure when the call fails. */
export interface CallLike {
  readonly section: string;
  readonly method: string;
  readonly args: readonly unknown[];
}

export function dispatch(
  ctx: BlockContext,
  origin: Origin,
  call: CallLike | Call,
  env: DispatchEnv,
): void {
  const name = `${call.section}.${call.method}`;
  const handler = HANDLERS[name];
  if (handler) {
    handler(ctx, origin, [...call.args] as Codec[], env);
    return;
  }
  const setter = call.section === 'adminUtils' ? SETTERS_BY_METHOD.get(call.method) : undefined;
  if (setter) {
    runSetter(ctx, origin, setter, [...call.args] as Codec[]);
    return;
  }
  throw new DispatchFailure('Other', `${name} is not implemented by localnet`);
}
