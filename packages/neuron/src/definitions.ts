/**
 * The two forms of miner and validator definitions (one synapse, or a set) brought to one
 * shape the runtime works with, validated once at start-up with errors that name the entry.
 */
import type { AnySynapse } from '@subnetkit/transport';
import { NeuronError } from './errors.js';
import { seededRandom, type TaskSeed } from './evidence/seeds.js';
import type {
  AnyMinerDefinition,
  AnyValidatorDefinition,
  MinerBackend,
  MinerSynapse,
  ValidatorTaskKind,
} from './types.js';

/** Identity that keeps one synapse entry's types (`MinerSetDefinition.synapses`). */
export function minerSynapse<S extends AnySynapse, B extends MinerBackend, C>(
  entry: MinerSynapse<S, B, C>,
): MinerSynapse<S, B, C> {
  return entry;
}

/** Identity that keeps one task kind's types (`ValidatorSetDefinition.tasks`). */
export function validatorTaskKind<S extends AnySynapse, P, E, C>(
  kind: ValidatorTaskKind<S, P, E, C>,
): ValidatorTaskKind<S, P, E, C> {
  return kind;
}

function invalid(field: string, message: string): never {
  throw new NeuronError('INVALID_ARGUMENT', `${field}: ${message}`, { details: { field } });
}

/** The synapses a miner serves, checked: at least one, one handler per route. */
export function minerSynapsesOf<B extends MinerBackend, C>(
  definition: AnyMinerDefinition<B, C>,
  // biome-ignore lint/suspicious/noExplicitAny: entries of different synapse types.
): readonly MinerSynapse<any, B, C>[] {
  const list = 'synapses' in definition ? definition.synapses : [definition];
  if (list.length === 0) invalid('synapses', 'a miner must serve at least one synapse');
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    if (!entry?.protocol?.name) invalid(`synapses[${i}].protocol`, 'missing synapse definition');
    if (typeof entry.forward !== 'function') {
      invalid(`synapses[${i}].forward`, `no handler for ${entry.protocol.name}`);
    }
    if (seen.has(entry.protocol.name)) {
      invalid(`synapses[${i}]`, `${entry.protocol.name} is served twice (one handler per route)`);
    }
    seen.add(entry.protocol.name);
  });
  return list;
}

/** A task kind with its defaults filled in. */
// biome-ignore lint/suspicious/noExplicitAny: kinds of different synapse types.
export interface ResolvedTaskKind<C> extends ValidatorTaskKind<any, any, any, C> {
  name: string;
  weight: number;
  taskMode: 'per-miner' | 'shared';
}

/** The task kinds of a validator, checked: at least one, unique names, positive weights. */
export function taskKindsOf<C>(definition: AnyValidatorDefinition<C>): ResolvedTaskKind<C>[] {
  const list = 'tasks' in definition ? definition.tasks : [definition];
  if (list.length === 0) invalid('tasks', 'a validator needs at least one task kind');
  const seen = new Set<string>();
  return list.map((kind, i) => {
    if (!kind?.protocol?.name) invalid(`tasks[${i}].protocol`, 'missing synapse definition');
    const name = kind.name ?? kind.protocol.name;
    if (seen.has(name)) invalid(`tasks[${i}].name`, `task kind "${name}" is declared twice`);
    seen.add(name);
    const weight = kind.weight ?? 1;
    if (!(Number.isFinite(weight) && weight > 0)) {
      invalid(`tasks[${i}].weight`, `must be a positive number, got ${weight}`);
    }
    for (const f of ['createTask', 'score'] as const) {
      if (typeof kind[f] !== 'function') invalid(`tasks[${i}].${f}`, `missing for "${name}"`);
    }
    for (const f of ['maxStreamBytes', 'stallTimeoutS'] as const) {
      const v = kind[f];
      if (v !== undefined && !(Number.isFinite(v) && v > 0)) {
        invalid(`tasks[${i}].${f}`, `must be a positive number, got ${v}`);
      }
    }
    return { ...kind, name, weight, taskMode: kind.taskMode ?? 'per-miner' };
  });
}

/**
 * The task kind a seed selects, by weight: drawn from the seed's own `task-kind` stream, so
 * anyone holding the revealed seed can check which kind the miner was given (for a shared
 * kind, that seed is the evidence line's `kindSeed`).
 */
export function pickTaskKind<C>(
  kinds: readonly ResolvedTaskKind<C>[],
  seed: TaskSeed,
): ResolvedTaskKind<C> {
  if (kinds.length === 1) return kinds[0]!;
  const total = kinds.reduce((s, k) => s + k.weight, 0);
  let x = seededRandom(seed.seed, 'task-kind').float() * total;
  for (const kind of kinds) {
    x -= kind.weight;
    if (x < 0) return kind;
  }
  return kinds.at(-1)!;
}
