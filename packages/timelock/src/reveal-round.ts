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
}

/** Result of {@link computeRevealRound}, with its intermediate values for logging. */
export interface RevealRoundResult {
  /** drand round to encrypt to and to submit as `reveal_round`. */
  readonly revealRound: number;
  readonly currentEpoch: number;
  readonly revealEpoch: number;
  /** First block of the reveal epoch. */
  readonly firstRevealBlock: number;
  /** Block at which the SDK wants the pulse to be on chain (`firstRevealBlock + 3`). */
  readonly targetBlock: number;
  /** Unix seconds the target block is expected at. */
  readonly targetTime: number;
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
  const tempoPlusOne = tempo + 1;
  const netuidPlusOne = netuid + 1;
  const currentEpoch = Math.floor((currentBlock + netuidPlusOne) / tempoPlusOne);
  const revealEpoch = currentEpoch + revealPeriod;
  const firstRevealBlock = Math.max(0, revealEpoch * tempoPlusOne - netuidPlusOne);
  const targetBlock = firstRevealBlock + SECURITY_BLOCK_OFFSET;
  const blocksUntil = Math.max(0, targetBlock - currentBlock);
  const targetTime = input.nowSeconds + blocksUntil * input.blockTime;
  // Rust: `((target - GENESIS) / PERIOD).floor() as u64` (negative → 0), then `max(1)`.
  const raw = Math.floor((targetTime - chain.genesisTime) / chain.period);
  const revealRound = Number.isFinite(raw) && raw >= 1 ? raw : 1;
  return { revealRound, currentEpoch, revealEpoch, firstRevealBlock, targetBlock, targetTime };
}
