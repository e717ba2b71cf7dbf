/** What every per-synapse block of the suite sets up: keys, a fake metagraph, a dendrite. */
import type { Metagraph } from '@subnetkit/chain';
import type { ValidatorTask } from '@subnetkit/neuron';
import { silentLogger } from '@subnetkit/neuron';
import type { EvidenceLog } from '@subnetkit/neuron/evidence';
import { deriveSeed, seededRandom } from '@subnetkit/neuron/evidence';
import { createValidatorState, type ValidatorState } from '@subnetkit/neuron/state';
import { runValidatorStep } from '@subnetkit/neuron/steps';
import type { AnySynapse, QueryResult, WireName } from '@subnetkit/transport';
import { createDendrite, type Dendrite } from '@subnetkit/transport';
import type { Keypair } from '@subnetkit/wallet';
import { type MinerHarness, startMinerHarness, testNeuronContext } from '../harness.js';
import { devKey } from '../keys.js';
import { type FakeNeuron, fakeMetagraph } from '../metagraph.js';
import type { AnyMiner, AnyValidator } from './subjects.js';
import { pythonShapedRequest, send } from './wire.js';

export const validatorKey = devKey('//Alice//compliance-validator');
export const stranger = devKey('//Bob//compliance-stranger');

/** The wires of a compliance net: what its axons serve and what its dendrite speaks. */
export interface ComplianceWires {
  /** Served by every miner's axon (default Synapse only). */
  serve?: readonly WireName[];
  /** Spoken by the validator's dendrite (default Synapse). */
  speak?: WireName;
}

/** A loopback subnet: uid 0 is the validator, then one uid per miner or server. */
export class ComplianceNet {
  metagraph!: Metagraph;
  dendrite!: Dendrite;
  readonly wires: Required<ComplianceWires>;
  readonly #harnesses: MinerHarness[] = [];
  readonly #neurons: FakeNeuron[] = [
    { hotkey: validatorKey, validatorPermit: true, stake: 10_000n * 10n ** 9n },
  ];

  constructor(wires: ComplianceWires = {}) {
    this.wires = { serve: wires.serve ?? ['synapse'], speak: wires.speak ?? 'synapse' };
  }

  /** A dendrite of `keypair` speaking this net's wire. */
  createDendrite(keypair: Keypair): Dendrite {
    return createDendrite({ keypair, wire: this.wires.speak }, { logger: silentLogger() });
  }

  /** Adds a miner on a real axon; returns its uid. */
  async addMiner(definition: AnyMiner, keypair: Keypair): Promise<number> {
    const h = await startMinerHarness(definition, {
      keypair,
      metagraph: () => this.metagraph,
      wires: this.wires.serve,
    });
    this.#harnesses.push(h);
    return this.addAxon(keypair, h.target.port);
  }

  /** Adds a registered hotkey whose axon is at `port` (a fake or closed server). */
  addAxon(keypair: Keypair, port: number): number {
    this.#neurons.push({ hotkey: keypair, axon: { ip: '127.0.0.1', port } });
    return this.#neurons.length - 1;
  }

  /** Call after the last `add…`. */
  seal(): void {
    this.metagraph = fakeMetagraph(this.#neurons);
    this.dendrite = this.createDendrite(validatorKey);
  }

  target(uid: number) {
    const a = this.metagraph.axons[uid]!;
    return { ip: a.ip, port: a.port, hotkey: this.metagraph.hotkeys[uid]! };
  }

  neuron(signal?: AbortSignal) {
    return testNeuronContext({
      metagraph: () => this.metagraph,
      hotkey: validatorKey.ss58Address,
      uid: 0,
      ...(signal ? { signal } : {}),
    });
  }

  step(
    definition: AnyValidator,
    state: ValidatorState,
    timeoutS: number,
    extra: { evidence?: EvidenceLog; signal?: AbortSignal; sampleSize?: number } = {},
  ) {
    return runValidatorStep(
      {
        definition,
        state,
        secret: new Uint8Array(32).fill(7),
        metagraph: this.metagraph,
        neuron: this.neuron(extra.signal),
        sampleSize: extra.sampleSize ?? this.metagraph.n,
        timeoutS,
        selfUid: 0,
      },
      { dendrite: this.dendrite, ...(extra.evidence ? { evidence: extra.evidence } : {}) },
    );
  }

  /** A task exactly as the validator's first kind would create it for miner `uid`. */
  async sampleTask(
    validator: AnyValidator,
    uid: number,
    counter: number,
  ): Promise<ValidatorTask<AnySynapse>> {
    const kind = validator.tasks[0]!;
    const seed = deriveSeed(new Uint8Array(32).fill(9), {
      netuid: 1,
      step: 0,
      uid,
      counter,
      epoch: '0'.repeat(32),
    });
    return kind.createTask(seed, uid, {
      random: seededRandom(seed.seed),
      step: 0,
      hotkey: this.metagraph.hotkeys[uid]!,
      neuron: this.neuron(),
    });
  }

  /**
   * What miner `uid` answers an unsigned Python-shaped request (HTTP status) and a signed one
   * from a hotkey the metagraph does not know (`ask` sends it: a call or a stream).
   */
  async refusals(
    protocol: AnySynapse,
    validator: AnyValidator,
    uid: number,
    counter: number,
    ask: (dendrite: Dendrite, task: ValidatorTask<AnySynapse>) => Promise<QueryResult<AnySynapse>>,
  ): Promise<{
    unsigned: number;
    stranger: QueryResult<AnySynapse>;
    task: ValidatorTask<AnySynapse>;
  }> {
    const target = this.target(uid);
    const task = await this.sampleTask(validator, uid, counter);
    const input = protocol.input.parse(task.input) as Record<string, unknown>;
    const unsigned = await send(
      pythonShapedRequest(protocol, input, validatorKey, target, { signed: false, timeout: 12 }),
    );
    const strangerDendrite = this.createDendrite(stranger);
    try {
      return { unsigned: unsigned.status, stranger: await ask(strangerDendrite, task), task };
    } finally {
      await strangerDendrite.close();
    }
  }

  async close(): Promise<void> {
    await this.dendrite?.close();
    await Promise.all(this.#harnesses.map((h) => h.stop()));
  }
}

export const freshState = () =>
  createValidatorState({ netuid: 1, hotkey: validatorKey.ss58Address, alpha: 0.5 });
