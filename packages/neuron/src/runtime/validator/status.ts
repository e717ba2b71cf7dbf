import type { NeuronConfig } from '../../config/schema.js';
import { type StatusSnapshot, summarizeScores } from '../../status-server.js';
import { neuronStatus } from '../status.js';
import type { ValidatorNode } from './types.js';

/** The validator's `/status` snapshot: task kinds, scores, weights, pending commits, last step, state dir. */
export function validatorStatus<C extends NeuronConfig>(v: ValidatorNode<C>): () => StatusSnapshot {
  return () => {
    const { state, lastWeights } = v;
    return neuronStatus(
      v,
      state.step,
      {
        tasks: v.kinds.map((k) => ({
          name: k.name,
          synapse: k.protocol.name,
          streaming: k.protocol.streaming,
          weight: k.weight,
          taskMode: k.taskMode,
        })),
        wires: { default: v.config.neuron.wire, minerWires: Object.fromEntries(v.minerWires) },
        scores: summarizeScores(state.scores.scores),
        lastWeights: lastWeights
          ? { block: lastWeights.block, uids: lastWeights.uids, mode: lastWeights.mode }
          : state.lastWeightsBlock !== null
            ? { block: state.lastWeightsBlock, uids: 0, mode: 'set' }
            : null,
        lastWeightsBlock: state.lastWeightsBlock,
        weightsHealth: {
          warmup: state.warmup === true,
          temposWithoutWeights: v.weightsHealth.temposWithout,
          blocker: v.weightsHealth.blocker,
          refusal: v.weightsHealth.refusal,
          backoffUntil: v.weightsHealth.backoffUntil || null,
        },
        weightsMethod: v.weightsMethod,
        pendingCommits: v.pending.length,
        lastStep: v.lastStep,
      },
      { stateDir: v.stateDir },
    );
  };
}
