import type { BytesLike } from './bytes.js';
import { TimelockError } from './errors.js';
import {
  decodeWeightsPayload,
  encodeWeightsPayload,
  type RevealedWeights,
  type WeightsPayloadInput,
} from './payload.js';
import { type DrandChainInfo, QUICKNET } from './quicknet.js';
import {
  computeRevealRound,
  type RevealRoundInput,
  type RevealRoundResult,
} from './reveal-round.js';
import { decrypt, type EncryptOptions, encrypt } from './tle.js';

/** Input of {@link createTimelockedCommit}: the weights plus the chain state. */
export interface TimelockedCommitInput extends WeightsPayloadInput, RevealRoundInput {
  /** Beacon to encrypt to (public key, genesis, period). Default {@link QUICKNET}. */
  readonly beacon?: DrandChainInfo;
  /** Randomness overrides, for tests only. */
  readonly encryptOptions?: EncryptOptions;
}

/** Output of {@link createTimelockedCommit}. */
export interface TimelockedCommit {
  /** Bytes for the `commit` argument of `commit_timelocked_(mechanism_)weights`. */
  readonly commit: Uint8Array;
  /** The `reveal_round` argument. */
  readonly revealRound: number;
  /** The SCALE payload that was encrypted. */
  readonly payload: Uint8Array;
  /** How the reveal round was derived (epochs, target block and time). */
  readonly schedule: RevealRoundResult;
}

/**
 * bittensor-drand `get_encrypted_commit` / `generate_commit` in one call: builds the
 * `WeightsTlockPayload`, computes the reveal round from chain state and the clock, and
 * timelock-encrypts the payload to that round of `beacon`.
 */
export function createTimelockedCommit(input: TimelockedCommitInput): TimelockedCommit {
  const beacon = input.beacon ?? QUICKNET;
  const payload = encodeWeightsPayload(input);
  const schedule = computeRevealRound(input, beacon);
  const commit = encrypt(payload, schedule.revealRound, beacon.publicKey, input.encryptOptions);
  return { commit, revealRound: schedule.revealRound, payload, schedule };
}

/** Subtensor's limit on the `commit` argument (`BoundedVec<u8, ConstU32<5000>>`). */
export const MAX_COMMIT_BYTES = 5000;

/**
 * What subtensor does with one stored commit once the pulse of its round is known: decrypt
 * with the pulse signature, decode the payload (current or legacy form) and check that the
 * payload's hotkey is the committer. Returns the weights to apply with `set_weights` rules.
 *
 * Throws `TimelockError` with the code of the step that failed; subtensor logs and drops the
 * commit in each of those cases.
 */
export function openTimelockedCommit(
  commit: BytesLike,
  signature: BytesLike,
  committer: BytesLike,
): RevealedWeights {
  const plaintext = decrypt(commit, signature);
  return decodeWeightsPayload(plaintext, committer);
}

/** Throws `INVALID_INPUT` if a commit would not fit subtensor's bounded vector. */
export function assertCommitSize(commit: Uint8Array): void {
  if (commit.length > MAX_COMMIT_BYTES) {
    throw new TimelockError(
      'INVALID_INPUT',
      `commit: is ${commit.length} bytes; subtensor accepts at most ${MAX_COMMIT_BYTES}`,
      { details: { field: 'commit' } },
    );
  }
}
