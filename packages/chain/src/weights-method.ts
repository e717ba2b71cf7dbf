import { ChainError } from './errors.js';
import type { SubnetHyperparameters, WeightsCalls, WeightsMethod, WeightsStatus } from './types.js';

/** What the Python SDK sends as `commit_reveal_version` (its default) and subtensor's default. */
export const SDK_COMMIT_REVEAL_VERSION = 4;

/**
 * `commit_reveal_version` values whose payload format this client produces
 * (`WeightsTlockPayload` with the hotkey, encrypted with `tle` to a drand round). The Python SDK
 * sends 4 (its `commit_reveal_version` default) and subtensor's default is 4. A chain that asks
 * for another version gated a client change we do not know about, so we do not commit blindly.
 */
export const SUPPORTED_COMMIT_REVEAL_VERSIONS: readonly number[] = Object.freeze([4]);

/** What {@link chooseWeightsMethod} needs to know about the chain now. */
export interface WeightsMethodStatus {
  /** `CommitRevealWeightsEnabled` read now; overrides the hyperparameters when given. */
  commitRevealEnabled?: boolean;
  /** The chain's `CommitRevealWeightsVersion`; `null` when the runtime has none. */
  commitRevealVersion?: number | null;
  /** Which weight calls the runtime has. */
  calls: WeightsCalls;
}

export interface ChooseWeightsMethodOptions {
  /** With commit-reveal on and both kinds of commit possible, which one (default timelocked). */
  prefer?: 'timelocked' | 'commit_reveal_v2';
}

/**
 * Picks how weights must be sent, as the Python SDK's `Subtensor.set_weights` does:
 *
 * - commit-reveal off → `set_weights` (the SDK's `set_weights_extrinsic`);
 * - commit-reveal on → a timelocked commit (`commit_timelocked_weights_extrinsic`), when the
 *   runtime has `commit_timelocked_*` and asks for a `commit_reveal_version` this client
 *   produces ({@link SUPPORTED_COMMIT_REVEAL_VERSIONS});
 * - commit-reveal on, no usable timelocked path (an older runtime, a dev chain without drand,
 *   an unknown version) or `prefer: 'commit_reveal_v2'` → `commit_reveal_v2`, when the runtime
 *   still has `commit_weights`/`reveal_weights` (subtensor still accepts hash commits while
 *   commit-reveal is on). The SDK never picks v2 by itself; it is our fallback.
 *
 * Throws `UNSUPPORTED_RUNTIME` when the subnet's mode has no call to serve it.
 * Pure: no I/O. `hyperparams` may be `null` when `status.commitRevealEnabled` is given.
 */
export function chooseWeightsMethod(
  hyperparams: Pick<SubnetHyperparameters, 'commitRevealWeightsEnabled'> | null,
  status: WeightsMethodStatus | (Partial<WeightsStatus> & { calls: WeightsCalls }),
  options: ChooseWeightsMethodOptions = {},
): WeightsMethod {
  const enabled = status.commitRevealEnabled ?? hyperparams?.commitRevealWeightsEnabled;
  if (enabled === undefined) {
    throw new ChainError(
      'INVALID_INPUT',
      'hyperparams: commit-reveal state unknown (give hyperparams or status.commitRevealEnabled)',
      { details: { field: 'hyperparams' } },
    );
  }
  const { calls } = status;
  if (!enabled) {
    if (calls.setWeights) return 'set_weights';
    throw new ChainError(
      'UNSUPPORTED_RUNTIME',
      'commit-reveal is off but the runtime has no set_weights call we can send',
      { details: { name: 'set_weights' } },
    );
  }
  const version = status.commitRevealVersion;
  const timelockedUsable =
    calls.timelocked &&
    (version === undefined ||
      version === null ||
      SUPPORTED_COMMIT_REVEAL_VERSIONS.includes(version));
  if (options.prefer === 'commit_reveal_v2' && calls.hashCommit) return 'commit_reveal_v2';
  if (timelockedUsable) return 'timelocked';
  if (calls.hashCommit) return 'commit_reveal_v2';
  throw new ChainError(
    'UNSUPPORTED_RUNTIME',
    calls.timelocked
      ? `commit-reveal is on and the chain expects commit_reveal_version ${version}, which this client does not produce (it produces ${SUPPORTED_COMMIT_REVEAL_VERSIONS.join(', ')}); the runtime has no hash commits to fall back to`
      : 'commit-reveal is on but the runtime has neither commit_timelocked_* nor commit_weights calls we can send',
    { details: { name: 'commit_reveal_version' } },
  );
}
