import type { DrandChainInfo } from '@subnetkit/timelock';
import type { Keypair } from '@subnetkit/wallet';
import type { AxonInfo, ServeAxonParams } from './axon.js';

/** A block, as seen by `subscribeBlocks`. */
export interface BlockInfo {
  number: number;
  hash: string;
}

/** One neuron (uid) of a subnet. u16-normalised values are raw u16 (divide by 65535). */
export interface NeuronInfo {
  uid: number;
  netuid: number;
  hotkey: string;
  coldkey: string;
  active: boolean;
  axon: AxonInfo;
  /** Alpha stake of the hotkey on the subnet, in rao (1e-9). */
  stake: bigint;
  rank: number;
  /** Emission per epoch, alpha rao. */
  emission: bigint;
  incentive: number;
  consensus: number;
  trust: number;
  validatorTrust: number;
  dividends: number;
  lastUpdate: number;
  validatorPermit: boolean;
  pruningScore: number;
  /** Present when read with weights (`getNeuron`): `(uid, u16 weight)` pairs. */
  weights?: Array<[number, number]>;
  /** Present when read with bonds (`getNeuron`): `(uid, u16 bond)` pairs. */
  bonds?: Array<[number, number]>;
}

/** Where a metagraph or hyperparameters came from. */
export type ReadSource = 'mechagraph' | 'metagraph' | 'neurons' | 'storage' | 'hyperparams-api';

/**
 * The metagraph of one subnet (mechanism), column-wise like the Python SDK's, indexed by uid.
 * u16-normalised values (incentive, dividends, consensus, trust, rank, validatorTrust,
 * pruningScore) are raw u16 integers; amounts are bigint rao.
 */
export interface Metagraph {
  netuid: number;
  mechid: number;
  block: number;
  blockHash: string;
  n: number;
  source: ReadSource;
  uids: number[];
  hotkeys: string[];
  coldkeys: string[];
  axons: AxonInfo[];
  active: boolean[];
  validatorPermit: boolean[];
  lastUpdate: number[];
  incentive: number[];
  dividends: number[];
  consensus: number[];
  trust: number[];
  rank: number[];
  pruningScore: number[];
  emission: bigint[];
  /**
   * Stake per uid, rao: `totalStake` when the source has it (`stakeKind: 'total'`, the
   * Python SDK's `S`), otherwise the hotkey's own alpha (`stakeKind: 'own-alpha'`).
   */
  stake: bigint[];
  stakeKind: 'total' | 'own-alpha';
  /** Alpha stake per uid as Yuma sees it (with child-key inheritance), rao (metagraph APIs). */
  alphaStake?: bigint[];
  /** TAO (root) stake per uid, rao (metagraph APIs). */
  taoStake?: bigint[];
  /** Stake weight the chain uses (alpha + tao·TaoWeight), rao (metagraph APIs). */
  totalStake?: bigint[];
  /** The hotkey's own alpha on the subnet (`TotalHotkeyAlpha`), rao (neurons / storage). */
  ownAlphaStake?: bigint[];
  /** Absent from the metagraph runtime APIs (present from neurons / storage). */
  validatorTrust?: number[];
  blockAtRegistration?: number[];
  /** Hyperparameters, when the source carries them (the (mecha/meta)graph APIs do). */
  hyperparameters?: SubnetHyperparameters;
}

/** Subnet hyperparameters, named as in the Python SDK (camelCase). */
export interface SubnetHyperparameters {
  rho: number;
  kappa: number;
  immunityPeriod: number;
  minAllowedWeights: number;
  maxWeightsLimit: number;
  tempo: number;
  difficulty: bigint;
  weightsVersion: bigint;
  weightsRateLimit: number;
  adjustmentInterval: number;
  activityCutoff: number;
  registrationAllowed: boolean;
  targetRegsPerInterval: number;
  minBurn: bigint;
  maxBurn: bigint;
  bondsMovingAvg: bigint;
  maxRegsPerBlock: number;
  servingRateLimit: number;
  maxValidators: number;
  adjustmentAlpha: bigint;
  commitRevealWeightsEnabled: boolean;
  /** Reveal period in epochs (CR v2/v4). */
  commitRevealPeriod: number;
  liquidAlphaEnabled: boolean;
  alphaHigh: number;
  alphaLow: number;
  /** Current burn (registration cost), rao; absent when the source has no burn. */
  burn?: bigint;
  maxUids?: number;
  source: ReadSource;
}

export interface Balance {
  free: bigint;
  reserved: bigint;
  frozen: bigint;
}

/** What `getWeightsStatus` knows about the weights rate limit of one hotkey. */
export interface WeightsStatus {
  netuid: number;
  uid: number | null;
  currentBlock: number;
  lastUpdate: number;
  rateLimit: number;
  /** 0 when weights (or a commit) can be sent now. */
  blocksLeft: number;
  commitRevealEnabled: boolean;
  versionKey: bigint;
  /** Subnet `tempo` (present when read by `SubtensorChain`). */
  tempo?: number;
  /** Subnet `RevealPeriodEpochs` (commit-reveal reveal period, epochs). */
  revealPeriodEpochs?: number;
  /**
   * The chain's `CommitRevealWeightsVersion` (what `commit_timelocked_*` must be sent with);
   * `null` when the runtime has no such storage.
   */
  commitRevealVersion?: number | null;
  /**
   * The hotkey's validator permit on the subnet (`ValidatorPermit`); `null` when not
   * registered. Without one the chain refuses weights on other uids (`NeuronNoValidatorPermit`).
   */
  validatorPermit?: boolean | null;
  /** `StakeThreshold`, rao: the stake a hotkey needs to set weights; `null` when the runtime has none. */
  stakeThreshold?: bigint | null;
  /**
   * The subnet's stateful epoch schedule, read at `currentBlock`, on runtimes whose metadata has
   * `SubtensorModule.SubnetEpochIndex` (subtensor's dynamic tempo, spec 423+); absent on older
   * runtimes, whose epochs follow the `(block + netuid + 1) / (tempo + 1)` formula.
   * `pendingEpochAt` is 0 when no owner-triggered epoch is due (or the runtime has no such item).
   */
  epochSchedule?: { subnetEpochIndex: number; lastEpochBlock: number; pendingEpochAt: number };
}

/** How a validator's weights reach the chain. */
export type WeightsMethod = 'set_weights' | 'commit_reveal_v2' | 'timelocked';

/** Which weight calls the connected runtime has (with the argument names we send). */
export interface WeightsCalls {
  /** `set_weights` / `set_mechanism_weights`. */
  setWeights: boolean;
  /** Commit-reveal v2: `commit_weights` + `reveal_weights` (and their mechanism variants). */
  hashCommit: boolean;
  /** Commit-reveal v3/v4: `commit_timelocked_weights` or `commit_timelocked_mechanism_weights`. */
  timelocked: boolean;
}

/** Options of `commitTimelockedWeights` (and of `submitWeights` when it commits). */
export interface TimelockedCommitOptions extends TxOptions {
  /**
   * drand beacon to encrypt to: its info (a `DrandSimulator.info` on a dev chain), or `'chain'`
   * to read `Drand.BeaconConfig` from the runtime. Default: the chain instance's `beacon`
   * option, itself quicknet by default.
   */
  beacon?: DrandChainInfo | 'chain';
  /** Seconds per block for the reveal-round estimate (default: the instance's, 12). */
  blockTimeSeconds?: number;
  /**
   * Send this `commit_reveal_version` instead of the chain's. Only for a runtime whose version
   * this client does not know but whose payload format is known to be unchanged.
   */
  commitRevealVersion?: number;
}

/** Result of a timelocked commit: the transaction plus what was committed. */
export interface TimelockedCommitResult extends TxResult {
  /** drand round the weights were encrypted to (the chain reveals them once it has it). */
  revealRound: number;
  /** The `commit_reveal_version` sent (the chain's). */
  commitRevealVersion: number;
  /** BLAKE2-256 of the commit bytes, as in the `TimelockedWeightsCommitted` event. */
  commitHash: string;
  /** Size of the encrypted commit in bytes (subtensor accepts at most 5000). */
  commitSize: number;
  /** `SubtensorModule` call used: `commitTimelockedWeights` or `commitTimelockedMechanismWeights`. */
  call: string;
  /**
   * The chain state and arithmetic the reveal round came from: bittensor-drand's block formula,
   * or, when the runtime has `SubnetEpochIndex`, subtensor's stateful epoch counter
   * (`epochSource`; the counter state is then in `epochSchedule`).
   */
  schedule: {
    epochSource: 'formula' | 'SubnetEpochIndex';
    epochSchedule?: { subnetEpochIndex: number; lastEpochBlock: number; pendingEpochAt: number };
    currentBlock: number;
    storageIndex: number;
    tempo: number;
    revealPeriodEpochs: number;
    blockTimeSeconds: number;
    currentEpoch: number;
    revealEpoch: number;
    firstRevealBlock: number;
    targetBlock: number;
    targetTime: number;
  };
  /** Public key (hex) of the beacon the commit is encrypted to. */
  beaconPublicKey: string;
  /** `false` until a commit from this code has been revealed by a real subtensor node. */
  verifiedAgainstMainnet: boolean;
}

/** Options of `submitWeights`. */
export interface SubmitWeightsOptions extends TimelockedCommitOptions {
  /** With commit-reveal on and both kinds of commit accepted, which to use (default timelocked). */
  prefer?: 'timelocked' | 'commit_reveal_v2';
}

/** Result of `submitWeights`: which method was used and its result. */
export type SubmitWeightsResult =
  | ({ method: 'set_weights' } & TxResult)
  | ({ method: 'timelocked' } & TimelockedCommitResult);

export interface TxEvent {
  section: string;
  method: string;
  data: unknown[];
}

/** The arguments of `add_stake` / `remove_stake`: rao of TAO (add) or of alpha (remove). */
export interface StakeParams {
  hotkey: string;
  netuid: number;
  amount: bigint;
}

export interface TxResult {
  txHash: string;
  blockHash: string;
  blockNumber: number;
  events: TxEvent[];
}

export interface TxOptions {
  /** Give up waiting for inclusion after this long (the tx may still be included later). */
  timeoutMs?: number;
  /** Wait for `inBlock` (default) or `finalized`. */
  waitFor?: 'inBlock' | 'finalized';
}

export interface SetWeightsParams {
  netuid: number;
  uids: readonly number[];
  /** u16 values; the chain max-upscales them. */
  weights: readonly number[];
  versionKey?: bigint | number;
  /** Mechanism id (default 0, the main mechanism). */
  mechid?: number;
}

export interface CommitWeightsParams extends SetWeightsParams {
  /** u16 salt; random when absent (keep it: the reveal needs it). */
  salt?: readonly number[];
}

export interface RevealWeightsParams extends SetWeightsParams {
  salt: readonly number[];
}

export interface CommitResult extends TxResult {
  commitHash: string;
  salt: number[];
}

export interface RegisterResult extends TxResult {
  uid: number | null;
}

/**
 * Everything a miner or validator needs from the chain. `SubtensorChain` implements it over
 * @polkadot/api; tests can implement it in memory.
 */
export interface Chain {
  /** The endpoint or a label for in-process chains. */
  readonly endpoint: string;

  getCurrentBlock(): Promise<number>;
  /**
   * The hash of block 0 as the node answers now (`chain_getBlockHash(0)`): it changes when the
   * endpoint is a different chain than before (a dev chain restarted from another genesis).
   */
  getGenesisHash(): Promise<string>;
  /** Calls `onBlock` for every new best block; resolves to an unsubscribe function. */
  subscribeBlocks(onBlock: (block: BlockInfo) => void): Promise<() => void>;

  getMetagraph(netuid: number, options?: { mechid?: number }): Promise<Metagraph>;
  /** One neuron with its weights and bonds, or `null` when the uid is empty. */
  getNeuron(netuid: number, uid: number): Promise<NeuronInfo | null>;
  /** Weight rows of the subnet: `uid → (dest uid, u16)` for every uid that set weights. */
  getWeights(
    netuid: number,
    options?: { mechid?: number },
  ): Promise<Map<number, Array<[number, number]>>>;
  getBonds(
    netuid: number,
    options?: { mechid?: number },
  ): Promise<Map<number, Array<[number, number]>>>;
  getHyperparameters(netuid: number): Promise<SubnetHyperparameters>;
  /** The hotkey's uid on the subnet, `null` when not registered. */
  getUid(netuid: number, hotkey: string): Promise<number | null>;
  isRegistered(netuid: number, hotkey: string): Promise<boolean>;
  getBalance(address: string): Promise<Balance>;
  /** Alpha rao the coldkey has staked on the hotkey on the subnet (subtensor's share-pool value). */
  getStake(netuid: number, hotkey: string, coldkey: string): Promise<bigint>;
  getWeightsStatus(
    netuid: number,
    hotkey: string,
    options?: { mechid?: number },
  ): Promise<WeightsStatus>;

  /** `burned_register`, signed by the coldkey. */
  burnedRegister(
    coldkey: Keypair,
    params: { netuid: number; hotkey: string },
    options?: TxOptions,
  ): Promise<RegisterResult>;
  /** `serve_axon`, signed by the hotkey. */
  serveAxon(hotkey: Keypair, params: ServeAxonParams, options?: TxOptions): Promise<TxResult>;
  /** `set_weights` (`set_mechanism_weights` for mechid > 0), signed by the hotkey. */
  setWeights(hotkey: Keypair, params: SetWeightsParams, options?: TxOptions): Promise<TxResult>;
  /**
   * Commit-reveal v3/v4: the weights timelock-encrypted to a drand round, committed with
   * `commit_timelocked_(mechanism_)weights` and the chain's `commit_reveal_version`; the chain
   * reveals them itself. Signed by the hotkey.
   */
  commitTimelockedWeights(
    hotkey: Keypair,
    params: SetWeightsParams,
    options?: TimelockedCommitOptions,
  ): Promise<TimelockedCommitResult>;
  /**
   * The method `submitWeights` would use now on this subnet ({@link WeightsMethod}), from the
   * commit-reveal switch, the chain's `commit_reveal_version` and the calls the runtime has.
   */
  getWeightsMethod(
    netuid: number,
    options?: { mechid?: number; prefer?: 'timelocked' | 'commit_reveal_v2' },
  ): Promise<WeightsMethod>;
  /**
   * Sends weights the way the subnet accepts them: `set_weights` when commit-reveal is off,
   * a timelocked commit when it is on. Throws `COMMIT_REVEAL_V2_REQUIRED` when only hash
   * commits are possible: those need the caller to keep the salt and reveal in the reveal
   * epoch (`commitWeights` / `revealWeights`).
   */
  submitWeights(
    hotkey: Keypair,
    params: SetWeightsParams,
    options?: SubmitWeightsOptions,
  ): Promise<SubmitWeightsResult>;
  /** Commit-reveal v2 commit, signed by the hotkey. */
  commitWeights(
    hotkey: Keypair,
    params: CommitWeightsParams,
    options?: TxOptions,
  ): Promise<CommitResult>;
  revealWeights(
    hotkey: Keypair,
    params: RevealWeightsParams,
    options?: TxOptions,
  ): Promise<TxResult>;
  /** `add_stake` of `amount` TAO rao, signed by the coldkey. */
  addStake(coldkey: Keypair, params: StakeParams, options?: TxOptions): Promise<TxResult>;
  /** `remove_stake` of `amount` alpha rao (alpha, not TAO: the chain sells it through the subnet pool), signed by the coldkey. */
  removeStake(coldkey: Keypair, params: StakeParams, options?: TxOptions): Promise<TxResult>;
  /** Balances `transfer_keep_alive` (or `transfer_allow_death` with keepAlive false). */
  transfer(
    from: Keypair,
    params: { dest: string; amount: bigint; keepAlive?: boolean },
    options?: TxOptions,
  ): Promise<TxResult>;

  close(): Promise<void>;
}
