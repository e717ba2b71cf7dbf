import type { Chain, Metagraph } from '@subnetkit/chain';
import type { Axon } from '@subnetkit/transport';
import type { Keypair } from '@subnetkit/wallet';
import type { NeuronConfig } from '../../config/schema.js';
import type { Lifecycle } from '../../lifecycle.js';
import type { CallerIndex } from '../../miner/policy.js';
import type { StatusSnapshot } from '../../status-server.js';
import type { SyncedNeuron } from '../startup.js';

/** Requests a miner's `forward` handled, for `/status`. */
export interface MinerCounts {
  /** `forward` returned an answer. */
  served: number;
  /** `forward` threw. */
  failed: number;
  /** Refused before `forward` (blacklist, signature, nonce, rate limit …), by reason. */
  rejected: Record<string, number>;
}

/** A started miner. */
export interface RunningMiner {
  readonly lifecycle: Lifecycle;
  readonly axon: Axon;
  readonly chain: Chain;
  readonly hotkey: Keypair;
  readonly uid: number;
  /** The `/status` port, when enabled. */
  readonly statusPort: number | null;
  /** What `/status` returns. */
  status(): StatusSnapshot;
  /** The latest synced metagraph. */
  metagraph(): Metagraph;
  /** Re-reads the metagraph now (normally every `--neuron.epoch_length` blocks). */
  syncMetagraph(): Promise<void>;
  /** Graceful shutdown (the same as SIGTERM through `installSignalHandlers`). */
  stop(reason?: string): ReturnType<Lifecycle['shutdown']>;
}

/** A miner's running state: the shared neuron, its callers index and request counts. */
export interface MinerNode<C extends NeuronConfig = NeuronConfig> extends SyncedNeuron<C> {
  /** The metagraph's callers (stake, permits), rebuilt on every sync. */
  callers: CallerIndex;
  readonly counts: MinerCounts;
}

/** What the miner publishes with `serve_axon`. */
export interface PublishedAxon {
  ip: string;
  port: number;
  version: number;
}
