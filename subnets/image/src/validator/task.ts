/** A task from a seed: its facets, the prompt that says them, and the render seed. */

import { sha256 } from '@noble/hashes/sha2.js';
import type { TaskSeed } from '@subnetkit/neuron';
import { describeTask } from '../prompt/describe.js';
import { buildTaskSpec } from '../prompt/grammar.js';
import type { ImageTaskSpec } from '../prompt/spec.js';

/** What the validator keeps of a task: its own copy of the facets and the render seed. */
export interface ImageTaskPrivate {
  spec: ImageTaskSpec;
  /** Hex, as sent. */
  renderSeed: string;
}

function derive(seed: string, label: string): Uint8Array {
  return sha256(
    new Uint8Array(
      Buffer.concat([Buffer.from(`subnetkit/image/${label}\0`), Buffer.from(seed, 'hex')]),
    ),
  );
}

/**
 * The task of `seed`: the spec from one derived stream, the render seed from another, so the
 * render seed a miner sees says nothing of the task seed (revealed later in the evidence).
 */
export function imageTask(seed: Pick<TaskSeed, 'seed'>): {
  input: { prompt: string; spec: ImageTaskSpec; render_seed: string };
  private: ImageTaskPrivate;
} {
  const spec = buildTaskSpec(derive(seed.seed, 'spec'));
  const renderSeed = Buffer.from(derive(seed.seed, 'render')).toString('hex');
  return {
    input: { prompt: describeTask(spec), spec, render_seed: renderSeed },
    private: { spec, renderSeed },
  };
}
