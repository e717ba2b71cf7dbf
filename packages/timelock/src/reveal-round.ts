import { TimelockError } from './errors.js';
import { type DrandChainInfo, QUICKNET } from './quicknet.js';

/** Blocks after the first block of the reveal epoch the SDK aims the pulse at. */
export const SECURITY_BLOCK_OFFSET = 3;

/** Subnet storage index stride (`GLOBAL_MAX_SUBNET_COUNT`, subtensor `subnets/mechanism.rs`). */
export const GLOBAL_MAX_SUBNET_COUNT = 4096;

/**
 * Storage index of a subnet mechanism, `mechid · 4096 + netuid` (bittensor
 * `get_mechid_storage_index`). The SDK passes THIS as `netuid` to the reveal-round computation.
 */
export function mechanismStorageIndex(netuid: number, mechid = 0): number {
  if (!Number.isInteger(netuid) || netuid < 0 || netuid >= GLOBAL_MAX_SUBNET_COUNT) {
    throw new TimelockError(
      'INVALID_INPUT',
      `netuid: must be an integer in [0, 4095], got ${netuid}`,
      { details: { field: 'netuid' } },
    );
  }
  if (!Number.isInteger(mechid) || mechid < 0 || mechid > 255) {
    throw new TimelockError('INVALID_INPUT', `mechid: must be a u8, got ${mechid}`, {
      details: { field: 'mechid' },
    });
  }
  const index = mechid * GLOBAL_MAX_SUBNET_COUNT + netuid;
  if (index > 0xffff) {
    throw new TimelockError('INVALID_INPUT', `mechid: storage index ${index} exceeds u16`, {
      details: { field: 'mechid' },
    });
  }
  return index;
}

/** Chain state the reveal round is computed from. */
export interface RevealRoundInput {
  /** Current block number (`subtensor.get_current_block()`). */
  readonly currentBlock: number;
  /** Subnet storage index (plain netuid for the main mechanism; see {@link mechanismStorageIndex}). */
  readonly netuid: number;
  /** Subnet hyperparameter `tempo`. */
  readonly tempo: number;
  /** Subnet hyperparameter `commit_reveal_period` (`RevealPeriodEpochs`). */
  readonly revealPeriodEpochs: number;
  /** Seconds per block: 12 on finney/testnet; 0.25 on a fast-blocks localnet. */
  readonly blockTime: number;
  /** Wall clock, Unix seconds (fractions allowed). The SDK uses `SystemTime::now()`. */
  readonly nowSeconds: number;
  /**
   * The subnet's stateful epoch schedule, on runtimes that have it (subtensor's
   * `SubnetEpochIndex`, `LastEpochBlock`, `PendingEpochAt`, read at `currentBlock`). When given,
   * the reveal epoch is predicted from it as subtensor times reveals, instead of from the
   * `(block + netuid + 1) / (tempo + 1)` formula. See {@link computeRevealRound}.
   */
  readonly epochSchedule?: EpochScheduleState;
}

/**
 * Subtensor's stateful epoch schedule of one subnet (dynamic tempo, main since PR #2769,
 * spec 423): `SubnetEpochIndex[netuid]` counts the epoch slots `run_coinbase` has consumed,
 * `LastEpochBlock[netuid]` is the block of the last one (or the re-anchor of a tempo change),
 * `PendingEpochAt[netuid]` an owner-triggered epoch's block (0: none).
 */
export interface EpochScheduleState {
  readonly subnetEpochIndex: number;
  readonly lastEpochBlock: number;
  readonly pendingEpochAt: number;
}

/** Result of {@link computeRevealRound}, with its intermediate values for logging. */
export interface RevealRoundResult {
  /** drand round to encrypt to and to submit as `reveal_round`. */
  readonly revealRound: number;
  /**
   * Epoch the commit is filed under: the formula's epoch of `currentBlock`, or with an
   * {@link EpochScheduleState} the `SubnetEpochIndex` look-ahead of the inclusion block.
   */
  readonly currentEpoch: number;
  readonly revealEpoch: number;
  /** First block of the reveal epoch. */
  readonly firstRevealBlock: number;
  /** Block at which the SDK wants the pulse to be on chain (`firstRevealBlock + 3`). */
  readonly targetBlock: number;
  /** Unix seconds the target block is expected at. */
  readonly targetTime: number;
  /** What the epochs were counted with: the block formula or subtensor's `SubnetEpochIndex`. */
  readonly epochSource: 'formula' | 'SubnetEpochIndex';
}

function nonNegInt(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TimelockError(
      'INVALID_INPUT',
      `${field}: must be a non-negative integer, got ${value}`,
      { details: { field } },
    );
  }
  return value;
}

/**
 * The drand round bittensor-drand's `generate_commit` (1.2.0) encrypts weights to, as a pure
 * function of chain state and the clock:
 *
 * ```text
 * current_epoch    = (current_block + netuid + 1) / (tempo + 1)            (integer division)
 * reveal_epoch     = current_epoch + reveal_period
 * first_reveal_blk = reveal_epoch · (tempo + 1) − (netuid + 1)             (saturating at 0)
 * target_blk       = first_reveal_blk + 3
 * secs             = max(0, target_blk − current_block) · block_time
 * reveal_round     = max(1, floor((now + secs − genesis) / period))
 * ```
 *
 * The last line is one round EARLIER than drand's `roundAt(now + secs)` (no `+ 1`): the SDK
 * rounds down "so we never request a not-yet-ingested pulse". Subtensor reveals the commit in
 * the first block of `reveal_epoch` that has the pulse of `reveal_round` stored, and retries every
 * block of that epoch.
 *
 * `chain` only supplies genesis and period (quicknet by default; a simulator's for localnet).
 *
 * With `input.epochSchedule` (runtimes with `SubnetEpochIndex`), the first two lines follow
 * subtensor's stateful scheduler instead (pallets/subtensor/src/subnets/weights.rs
 * `current_epoch_with_lookahead`, coinbase/run_coinbase.rs `should_run_epoch`,
 * coinbase/reveal_commits.rs): epochs fire every `tempo` blocks from `LastEpochBlock` (or at
 * `PendingEpochAt`, if sooner), each one adds 1 to the counter; the commit, included at
 * `current_block + 1` at the earliest, is filed under the counter plus one if an epoch fires in
 * that block; it is revealed from the block whose epoch brings the counter to
 * `commit_epoch + reveal_period`:
 *
 * ```text
 * next_fire        = max(current_block + 1, min(LastEpochBlock + tempo, PendingEpochAt or ∞))
 * commit_epoch     = SubnetEpochIndex + (next_fire == current_block + 1 ? 1 : 0)
 * reveal_epoch     = commit_epoch + reveal_period
 * k                = reveal_epoch − SubnetEpochIndex                      (epochs still to fire)
 * first_reveal_blk = k ≥ 1 ? next_fire + (k − 1) · tempo : current_block + 1
 * ```
 *
 * then the same target block, time and round. Not modelled (the chain can only fire LATER than
 * predicted in these cases, so the pulse is already stored when the reveal epoch starts): the
 * per-block epoch cap's one-block deferral and the `BlocksSinceLastStep > MAX_TEMPO` safety net.
 * `tempo` 0 (the subnet's epochs never run, its commits are never revealed) is refused.
 */
export function computeRevealRound(
  input: RevealRoundInput,
  chain: Pick<DrandChainInfo, 'genesisTime' | 'period'> = QUICKNET,
): RevealRoundResult {
  const currentBlock = nonNegInt(input.currentBlock, 'currentBlock');
  const netuid = nonNegInt(input.netuid, 'netuid');
  if (netuid > 0xffff) {
    throw new TimelockError('INVALID_INPUT', 'netuid: must be a u16', {
      details: { field: 'netuid' },
    });
  }
  const tempo = nonNegInt(input.tempo, 'tempo');
  const revealPeriod = nonNegInt(input.revealPeriodEpochs, 'revealPeriodEpochs');
  if (!Number.isFinite(input.blockTime) || input.blockTime < 0) {
    throw new TimelockError('INVALID_INPUT', 'blockTime: must be a finite number >= 0', {
      details: { field: 'blockTime' },
    });
  }
  if (!Number.isFinite(input.nowSeconds)) {
    throw new TimelockError('INVALID_INPUT', 'nowSeconds: must be a finite number', {
      details: { field: 'nowSeconds' },
    });
  }
  let currentEpoch: number;
  let revealEpoch: number;
  let firstRevealBlock: number;
  if (input.epochSchedule) {
    ({ currentEpoch, revealEpoch, firstRevealBlock } = statefulSchedule(
      currentBlock,
      tempo,
      revealPeriod,
      input.epochSchedule,
    ));
  } else {
    const tempoPlusOne = tempo + 1;
    const netuidPlusOne = netuid + 1;
    currentEpoch = Math.floor((currentBlock + netuidPlusOne) / tempoPlusOne);
    revealEpoch = currentEpoch + revealPeriod;
    firstRevealBlock = Math.max(0, revealEpoch * tempoPlusOne - netuidPlusOne);
  }
  const targetBlock = firstRevealBlock + SECURITY_BLOCK_OFFSET;
  const blocksUntil = Math.max(0, targetBlock - currentBlock);
  const targetTime = input.nowSeconds + blocksUntil * input.blockTime;
  // Rust: `((target - GENESIS) / PERIOD).floor() as u64` (negative → 0), then `max(1)`.
  const raw = Math.floor((targetTime - chain.genesisTime) / chain.period);
  const revealRound = Number.isFinite(raw) && raw >= 1 ? raw : 1;
  return {
    revealRound,
    currentEpoch,
    revealEpoch,
    firstRevealBlock,
    targetBlock,
    targetTime,
    epochSource: input.epochSchedule ? 'SubnetEpochIndex' : 'formula',
  };
}

/** The reveal epoch and its first block under subtensor's stateful epoch counter. */
function statefulSchedule(
  currentBlock: number,
  tempo: number,
  revealPeriod: number,
  schedule: EpochScheduleState,
): { currentEpoch: number; revealEpoch: number; firstRevealBlock: number } {
  const counter = nonNegInt(schedule.subnetEpochIndex, 'subnetEpochIndex');
  const last = nonNegInt(schedule.lastEpochBlock, 'lastEpochBlock');
  const pending = nonNegInt(schedule.pendingEpochAt, 'pendingEpochAt');
  if (tempo === 0) {
    throw new TimelockError(
      'INVALID_INPUT',
      'tempo: is 0, so the subnet runs no epochs and subtensor would never reveal the commit',
      { details: { field: 'tempo' } },
    );
  }
  const inclusion = currentBlock + 1;
  const auto = last + tempo;
  const nextFire = Math.max(inclusion, pending > 0 ? Math.min(auto, pending) : auto);
  const currentEpoch = counter + (nextFire === inclusion ? 1 : 0);
  const revealEpoch = currentEpoch + revealPeriod;
  const toFire = revealEpoch - counter;
  const firstRevealBlock = toFire >= 1 ? nextFire + (toFire - 1) * tempo : inclusion;
  return { currentEpoch, revealEpoch, firstRevealBlock };
}
