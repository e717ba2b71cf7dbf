import type { Codec } from '@polkadot/types/types';
import type { SubtensorError } from '../metadata/subtensor-errors.js';
import type { CallLike } from '../pallets/dispatch.js';
import { readServeArgs, validateServeAxon } from '../pallets/subtensor/serving.js';
import {
  commitHash,
  findCommitBlock,
  hasMinStakeForWeights,
  inRevealRange,
} from '../pallets/subtensor/weights.js';
import * as A from '../runtime/args.js';
import type { BlockContext } from '../runtime/runtime.js';
import { CUSTOM } from './pool-error.js';

const SERVE_ERRORS: Partial<Record<SubtensorError, number>> = {
  HotKeyNotRegisteredInNetwork: CUSTOM.HotKeyNotRegisteredInNetwork,
  InvalidIpAddress: CUSTOM.InvalidIpAddress,
  ServingRateLimitExceeded: CUSTOM.ServingRateLimitExceeded,
  InvalidPort: CUSTOM.InvalidPort,
};

/**
 * SubtensorTransactionExtension::validate (spec 343): the checks that reject a transaction in
 * the pool with `Custom error: N` before it reaches a block. Returns N, or undefined to accept.
 */
export function subtensorPoolCheck(
  ctx: BlockContext,
  who: Uint8Array,
  call: CallLike,
): number | undefined {
  if (call.section !== 'subtensorModule') return undefined;
  const args = [...call.args] as Codec[];
  switch (call.method) {
    case 'commitWeights':
    case 'setWeights':
      return hasMinStakeForWeights(ctx, who, A.num(args[0])) ? undefined : CUSTOM.StakeAmountTooLow;
    case 'revealWeights': {
      const netuid = A.num(args[0]);
      if (!hasMinStakeForWeights(ctx, who, netuid)) return CUSTOM.StakeAmountTooLow;
      const hash = commitHash(
        who,
        netuid,
        A.u16s(args[1]),
        A.u16s(args[2]),
        A.u16s(args[3]),
        A.big(args[4]),
      );
      const block = findCommitBlock(ctx, netuid, who, hash);
      if (block === undefined) return CUSTOM.CommitNotFound;
      return inRevealRange(ctx, netuid, block) ? undefined : CUSTOM.CommitBlockNotInRevealRange;
    }
    case 'commitTimelockedWeights': {
      // Only this call, not the mechanism form: spec 343's extension matches it alone.
      if (!hasMinStakeForWeights(ctx, who, A.num(args[0]))) return CUSTOM.StakeAmountTooLow;
      return A.big(args[2]) < ctx.items.drand.lastStoredRound.get(ctx.st)
        ? CUSTOM.InvalidRevealRound
        : undefined;
    }
    case 'burnedRegister': {
      const netuid = A.num(args[0]);
      const i = ctx.items.st;
      const regs = i.registrationsThisInterval.get(ctx.st, netuid);
      return regs >= i.targetRegistrationsPerInterval.get(ctx.st, netuid) * 3
        ? CUSTOM.RateLimitExceeded
        : undefined;
    }
    case 'serveAxon': {
      const err = validateServeAxon(ctx, who, readServeArgs(args));
      if (err === undefined) return undefined;
      return SERVE_ERRORS[err] ?? CUSTOM.BadRequest;
    }
    default:
      return undefined;
  }
}

/** Calls subtensor declares `Pays::No` (the hotkey pays no fee). */
export const FEELESS = new Set([
  'subtensorModule.setWeights',
  'subtensorModule.setMechanismWeights',
  'subtensorModule.commitWeights',
  'subtensorModule.commitMechanismWeights',
  'subtensorModule.revealWeights',
  'subtensorModule.revealMechanismWeights',
  'subtensorModule.commitTimelockedWeights',
  'subtensorModule.commitTimelockedMechanismWeights',
  'subtensorModule.serveAxon',
  'subtensorModule.serveAxonTls',
  'subtensorModule.servePrometheus',
  'sudo.sudo',
  'sudo.sudoUncheckedWeight',
]);
