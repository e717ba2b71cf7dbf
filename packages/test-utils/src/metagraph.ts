import type { AxonInfo, Metagraph } from '@subnetkit/chain';
import type { Keypair } from '@subnetkit/wallet';

export interface FakeNeuron {
  hotkey: string | Keypair;
  coldkey?: string;
  /** Published axon; absent = not serving. */
  axon?: { ip: string; port: number; version?: number };
  validatorPermit?: boolean;
  /** rao. */
  stake?: bigint;
}

function axonInfo(a: FakeNeuron['axon']): AxonInfo {
  const serving = a !== undefined;
  return {
    block: serving ? 1 : 0,
    version: a?.version ?? 0,
    ip: a?.ip ?? '0.0.0.0',
    ipInt: 0n,
    port: a?.port ?? 0,
    ipType: serving ? 4 : 0,
    protocol: 4,
    placeholder1: 0,
    placeholder2: 0,
    isServing: serving,
  };
}

/**
 * A complete `Metagraph` (every column) from a short neuron list, for tests that need the
 * runtime's view of a subnet without a chain. Uids are the list's indexes.
 */
export function fakeMetagraph(
  neurons: readonly FakeNeuron[],
  options: { netuid?: number; block?: number } = {},
): Metagraph {
  const n = neurons.length;
  const zeros = () => Array<number>(n).fill(0);
  const hotkeys = neurons.map((x) =>
    typeof x.hotkey === 'string' ? x.hotkey : x.hotkey.ss58Address,
  );
  const stake = neurons.map((x) => x.stake ?? 0n);
  return {
    netuid: options.netuid ?? 1,
    mechid: 0,
    block: options.block ?? 1,
    blockHash: `0x${'00'.repeat(32)}`,
    n,
    source: 'storage',
    uids: neurons.map((_, i) => i),
    hotkeys,
    coldkeys: neurons.map((x, i) => x.coldkey ?? hotkeys[i]!),
    axons: neurons.map((x) => axonInfo(x.axon)),
    active: neurons.map(() => true),
    validatorPermit: neurons.map((x) => x.validatorPermit ?? false),
    lastUpdate: zeros(),
    incentive: zeros(),
    dividends: zeros(),
    consensus: zeros(),
    trust: zeros(),
    rank: zeros(),
    pruningScore: zeros(),
    emission: neurons.map(() => 0n),
    stake,
    stakeKind: 'own-alpha',
    ownAlphaStake: stake,
  };
}
