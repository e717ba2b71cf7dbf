import type { Chain, Metagraph } from '@subnetkit/chain';
import {
  type AnyMinerDefinition,
  type BlacklistPolicy,
  type Logger,
  type MinerBackend,
  type NeuronConfig,
  type NeuronContext,
  silentLogger,
} from '@subnetkit/neuron';
import { CallerIndex, createMinerHandlers, minerSynapsesOf } from '@subnetkit/neuron/steps';
import { type Axon, type AxonTarget, createAxon, type WireName } from '@subnetkit/transport';
import type { Keypair } from '@subnetkit/wallet';

/** A chain that refuses every call: for code paths that must not touch the chain. */
export function noChain(): Chain {
  return new Proxy({} as Chain, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      return () => {
        throw new Error(`test: the chain was not expected to be used (${String(prop)})`);
      };
    },
  });
}

export interface TestNeuronContextOptions<C> {
  metagraph: Metagraph | (() => Metagraph);
  hotkey: string;
  /** Our uid, or a function reading it (e.g. from a metagraph filled in later). */
  uid: number | null | (() => number | null);
  config?: C;
  chain?: Chain;
  logger?: Logger;
  signal?: AbortSignal;
  netuid?: number;
}

/** A `NeuronContext` for calling subnet code outside the runtime (no chain by default). */
export function testNeuronContext<C = NeuronConfig>(
  options: TestNeuronContextOptions<C>,
): NeuronContext<C> {
  const m = options.metagraph;
  const metagraph = typeof m === 'function' ? m : () => m;
  const uid = options.uid;
  return {
    config: options.config as C,
    logger: options.logger ?? silentLogger(),
    signal: options.signal ?? new AbortController().signal,
    chain: options.chain ?? noChain(),
    get netuid() {
      return options.netuid ?? metagraph().netuid;
    },
    get uid() {
      return typeof uid === 'function' ? uid() : uid;
    },
    hotkey: options.hotkey,
    metagraph,
  };
}

export interface MinerHarnessOptions<C> {
  keypair: Keypair;
  /** What the miner believes the subnet is (callers are looked up here). */
  metagraph: Metagraph | (() => Metagraph);
  /** Default: unregistered callers refused, nothing else. */
  policy?: BlacklistPolicy;
  config?: C;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** The wires the axon serves (default Synapse only). */
  wires?: readonly WireName[];
  logger?: Logger;
}

export interface MinerHarness {
  axon: Axon;
  /** What a dendrite calls. */
  target: AxonTarget;
  url: string;
  stop(): Promise<void>;
}

/**
 * A subnet's miner (every synapse of it) on a real axon (loopback, free port), through the same
 * `createMinerHandlers` the runtime uses, with a test metagraph instead of a chain.
 */
export async function startMinerHarness<B extends MinerBackend, C>(
  definition: AnyMinerDefinition<B, C>,
  options: MinerHarnessOptions<C>,
): Promise<MinerHarness> {
  const m = options.metagraph;
  const metagraph = typeof m === 'function' ? m : () => m;
  const hotkey = options.keypair.ss58Address;
  const uid = () => {
    const i = metagraph().hotkeys.indexOf(hotkey);
    return i >= 0 ? i : null;
  };
  const logger = options.logger ?? silentLogger();
  const neuron = testNeuronContext<C>({
    metagraph,
    hotkey,
    uid,
    logger,
    ...(options.config !== undefined ? { config: options.config } : {}),
  });
  const host = options.host ?? '127.0.0.1';
  const axon = createAxon(
    {
      keypair: options.keypair,
      host,
      port: 0,
      verifyWorkers: 0,
      ...(options.wires ? { wires: options.wires } : {}),
    },
    { logger },
  );
  for (const entry of minerSynapsesOf(definition)) {
    axon.attach(
      entry.protocol,
      createMinerHandlers(entry, {
        backend: definition.backend,
        neuron,
        callers: () => new CallerIndex(metagraph()),
        policy: options.policy ?? {
          forceValidatorPermit: false,
          allowNonRegistered: false,
          minStake: 0,
        },
      }),
    );
  }
  await definition.backend.start?.({ logger, signal: neuron.signal });
  await axon.start();
  return {
    axon,
    target: { ip: host, port: axon.port, hotkey },
    url: `http://${host}:${axon.port}`,
    stop: async () => {
      await axon.stop({ graceMs: 200 });
      await definition.backend.close?.();
    },
  };
}
