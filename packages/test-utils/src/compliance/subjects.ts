/**
 * A subnet under test, brought to one "subject" per synapse: a one-synapse miner for that
 * synapse, the validator's task kinds that go over it, and its wrong answer. The suite runs
 * its checks once per subject.
 */
import type {
  AnyMinerDefinition,
  AnyValidatorDefinition,
  MinerBackend,
  MinerDefinition,
  NeuronConfig,
  ValidatorSetDefinition,
  ValidatorTaskKind,
} from '@subnetkit/neuron';
import { minerSynapsesOf, type ResolvedTaskKind, taskKindsOf } from '@subnetkit/neuron/steps';
import type { AnySynapse, InputOf, OutputInitOf, WireName } from '@subnetkit/transport';

/** What a subnet hands the compliance suite. */
export interface SubnetUnderTest<S extends AnySynapse = AnySynapse, P = unknown> {
  /** Shown in the test names. */
  name: string;
  /** The synapse of a one-synapse subnet (a subnet with several lists them in its miner). */
  protocol?: S;
  /** A fresh honest miner with its offline backend (one synapse, or a `MinerSetDefinition`). */
  createMiner(): MinerDefinition<S, MinerBackend, never> | AnyMinerDefinition<MinerBackend, never>;
  /** A fresh validator (one task kind, or a `ValidatorSetDefinition`). */
  createValidator(): ValidatorTaskKind<S, P, unknown, never> | AnyValidatorDefinition<never>;
  /** A one-synapse subnet's wrong answer of the right shape for `input`. */
  wrongAnswer?(input: InputOf<S>, honest: OutputInitOf<S>): OutputInitOf<S>;
  /**
   * Per synapse name, a wrong answer of the right shape (what a lazy or dishonest miner
   * sends): for a streaming synapse, the chunks to send instead of the honest ones.
   */
  // biome-ignore lint/suspicious/noExplicitAny: inputs and outputs of different synapses.
  wrongAnswers?: Record<string, (input: any, honest: any) => any>;
  /** The subnet's config from flags (its own schema), for `runMiner` / `runValidator`. */
  loadConfig(argv: string[]): NeuronConfig;
  /** Seconds a miner has in these tests unless a task says otherwise (default 1.5). */
  timeoutS?: number;
  /** Leave out the localnet test (weights on chain); default false. */
  skipChain?: boolean;
  /**
   * The wires the subnet's miners may serve besides Synapse (`--axon.wires`): each gets its
   * own block of checks per synapse. Default none. The full checks run over Synapse, which
   * every test axon also serves (the Python-shaped requests are Synapse requests).
   */
  wires?: readonly WireName[];
}

export type AnyMiner = MinerDefinition<AnySynapse, MinerBackend, unknown>;
export type AnyValidator = ValidatorSetDefinition<unknown>;
export type WrongAnswer = (input: unknown, honest: unknown) => unknown;

/** One synapse of a subnet, as the suite tests it. */
export interface Subject {
  /** `<subnet>` for a one-synapse subnet, `<subnet> / <synapse>` otherwise. */
  label: string;
  protocol: AnySynapse;
  /** A fresh honest one-synapse miner for this synapse. */
  createMiner(): AnyMiner;
  /** A fresh validator holding only the task kinds that go over this synapse. */
  createValidator(): AnyValidator;
  /** The task kinds of this synapse (for their stream limits). */
  kinds: readonly ResolvedTaskKind<unknown>[];
  wrong: WrongAnswer;
  timeoutS: number;
}

function kindsFor(subnet: SubnetUnderTest, protocol: AnySynapse): ResolvedTaskKind<unknown>[] {
  const all = taskKindsOf(subnet.createValidator() as AnyValidatorDefinition<unknown>);
  return all.filter((k) => k.protocol.name === protocol.name);
}

/** The subjects of a subnet, and the synapses its validator never sends a task over. */
export function subjectsOf(subnet: SubnetUnderTest): { subjects: Subject[]; unscored: string[] } {
  const miner = () => subnet.createMiner() as AnyMinerDefinition<MinerBackend, unknown>;
  const entries = minerSynapsesOf(miner());
  const single = entries.length === 1;
  const subjects: Subject[] = [];
  const unscored: string[] = [];
  for (const entry of entries) {
    const protocol = entry.protocol as AnySynapse;
    const kinds = kindsFor(subnet, protocol);
    if (kinds.length === 0) {
      unscored.push(protocol.name);
      continue;
    }
    const wrong =
      subnet.wrongAnswers?.[protocol.name] ??
      (single ? (subnet.wrongAnswer as WrongAnswer | undefined) : undefined);
    if (!wrong) {
      throw new Error(
        `compliance: ${subnet.name} gives no wrong answer for ${protocol.name} (wrongAnswers.${protocol.name})`,
      );
    }
    subjects.push({
      label: single ? subnet.name : `${subnet.name} / ${protocol.name}`,
      protocol,
      createMiner: () => {
        const m = miner();
        const e = minerSynapsesOf(m).find((x) => x.protocol.name === protocol.name)!;
        return { ...e, backend: m.backend } as AnyMiner;
      },
      createValidator: () => ({ tasks: kindsFor(subnet, protocol) }),
      kinds,
      wrong,
      timeoutS: subnet.timeoutS ?? 1.5,
    });
  }
  return { subjects, unscored };
}

/** Each task kind of a validator changed by `f`. */
export function mapKinds(
  validator: AnyValidator,
  f: (
    kind: ValidatorTaskKind<AnySynapse, unknown, unknown, unknown>,
  ) => Partial<ValidatorTaskKind<AnySynapse, unknown, unknown, unknown>>,
): AnyValidator {
  return { tasks: validator.tasks.map((k) => ({ ...k, ...f(k) })) };
}
