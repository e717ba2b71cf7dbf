import type { AnySynapse, BlacklistVerdict, SynapseHandlers } from '@subnetkit/transport';
import { NeuronError } from '../errors.js';
import type { MinerBackend, MinerPolicyContext, MinerSynapse, NeuronContext } from '../types.js';
import {
  type BlacklistPolicy,
  type CallerIndex,
  defaultBlacklist,
  defaultPriority,
} from './policy.js';

export interface MinerHandlerOptions<B extends MinerBackend, C> {
  /** The miner's backend (default: the definition's own, for a one-synapse definition). */
  backend?: B;
  neuron: NeuronContext<C>;
  /** The current caller index (rebuilt by the runtime after each metagraph sync). */
  callers: () => CallerIndex;
  /** `--blacklist.*`. */
  policy: BlacklistPolicy;
}

/**
 * Turns one synapse of a subnet's miner into the transport's `SynapseHandlers`: the caller
 * is looked up in the metagraph, the default blacklist (`--blacklist.*`) and priority (stake)
 * apply unless the subnet replaces them, and `forward` gets the backend and the caller.
 */
export function createMinerHandlers<S extends AnySynapse, B extends MinerBackend, C>(
  definition: MinerSynapse<S, B, C>,
  options: MinerHandlerOptions<B, C>,
): SynapseHandlers<S> {
  const backend = options.backend ?? (definition as { backend?: B }).backend;
  if (backend === undefined) {
    throw new NeuronError(
      'INVALID_ARGUMENT',
      `backend: none given for ${definition.protocol.name}`,
      {
        details: {
          field: 'backend',
        },
      },
    );
  }
  const policyContext = (hotkey: string): MinerPolicyContext<C> => {
    const caller = options.callers().lookup(hotkey);
    return {
      caller,
      neuron: options.neuron,
      defaultBlacklist: () => defaultBlacklist(caller, options.policy),
    };
  };
  return {
    forward: (input, ctx) =>
      definition.forward(input, {
        ...ctx,
        backend,
        caller: options.callers().lookup(ctx.dendrite.hotkey),
        neuron: options.neuron,
      }),
    blacklist: (info): BlacklistVerdict | Promise<BlacklistVerdict> => {
      const context = policyContext(info.dendrite.hotkey);
      if (definition.blacklist) return definition.blacklist(info, context);
      const verdict = context.defaultBlacklist();
      return [verdict.blacklisted, verdict.reason] as const;
    },
    priority: (input, info) => {
      const context = policyContext(info.dendrite.hotkey);
      if (definition.priority) return definition.priority(input, info, context);
      return defaultPriority(context.caller);
    },
  };
}
