import { describe, expect, it } from 'vitest';
import {
  type ChainError,
  chooseWeightsMethod,
  SUPPORTED_COMMIT_REVEAL_VERSIONS,
  type WeightsCalls,
  type WeightsMethod,
} from '../src/index.js';

const all: WeightsCalls = { setWeights: true, hashCommit: true, timelocked: true };
const on = { commitRevealWeightsEnabled: true };
const off = { commitRevealWeightsEnabled: false };

/**
 * bittensor `Subtensor.set_weights` (core/subtensor.py): `if self.commit_reveal_enabled(netuid):
 * commit_timelocked_weights_extrinsic(...) else: set_weights_extrinsic(...)`.
 */
const sdkChoice = (enabled: boolean): WeightsMethod => (enabled ? 'timelocked' : 'set_weights');

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as ChainError).code;
  }
  return undefined;
};

describe('chooseWeightsMethod', () => {
  it('matches the Python SDK on a current runtime (every call present, version 4)', () => {
    for (const enabled of [false, true]) {
      expect(
        chooseWeightsMethod(null, {
          commitRevealEnabled: enabled,
          commitRevealVersion: 4,
          calls: all,
        }),
      ).toBe(sdkChoice(enabled));
      expect(
        chooseWeightsMethod(
          { commitRevealWeightsEnabled: enabled },
          { commitRevealVersion: 4, calls: all },
        ),
      ).toBe(sdkChoice(enabled));
    }
    expect(SUPPORTED_COMMIT_REVEAL_VERSIONS).toEqual([4]);
  });

  it('status read now wins over (possibly stale) hyperparameters', () => {
    expect(chooseWeightsMethod(off, { commitRevealEnabled: true, calls: all })).toBe('timelocked');
    expect(chooseWeightsMethod(on, { commitRevealEnabled: false, calls: all })).toBe('set_weights');
    expect(codeOf(() => chooseWeightsMethod(null, { calls: all }))).toBe('INVALID_INPUT');
  });

  it('falls back to v2 hash commits only where timelocked commits cannot be made', () => {
    // A runtime without commit_timelocked_* (older, or a dev chain without drand).
    expect(chooseWeightsMethod(on, { calls: { ...all, timelocked: false } })).toBe(
      'commit_reveal_v2',
    );
    // A commit_reveal_version this client does not produce.
    expect(chooseWeightsMethod(on, { commitRevealVersion: 5, calls: all })).toBe(
      'commit_reveal_v2',
    );
    expect(chooseWeightsMethod(on, { commitRevealVersion: 3, calls: all })).toBe(
      'commit_reveal_v2',
    );
    // No version storage at all: the SDK's 4 is sent.
    expect(chooseWeightsMethod(on, { commitRevealVersion: null, calls: all })).toBe('timelocked');
    // Asked for.
    expect(
      chooseWeightsMethod(
        on,
        { commitRevealVersion: 4, calls: all },
        { prefer: 'commit_reveal_v2' },
      ),
    ).toBe('commit_reveal_v2');
    // Asked for but impossible: timelocked.
    expect(
      chooseWeightsMethod(
        on,
        { commitRevealVersion: 4, calls: { ...all, hashCommit: false } },
        { prefer: 'commit_reveal_v2' },
      ),
    ).toBe('timelocked');
    // Off: set_weights whatever is preferred.
    expect(chooseWeightsMethod(off, { calls: all }, { prefer: 'commit_reveal_v2' })).toBe(
      'set_weights',
    );
  });

  it('throws UNSUPPORTED_RUNTIME when nothing can serve the subnet', () => {
    expect(
      codeOf(() =>
        chooseWeightsMethod(on, {
          commitRevealVersion: 5,
          calls: { ...all, hashCommit: false },
        }),
      ),
    ).toBe('UNSUPPORTED_RUNTIME');
    expect(
      codeOf(() =>
        chooseWeightsMethod(on, {
          calls: { setWeights: true, hashCommit: false, timelocked: false },
        }),
      ),
    ).toBe('UNSUPPORTED_RUNTIME');
    expect(codeOf(() => chooseWeightsMethod(off, { calls: { ...all, setWeights: false } }))).toBe(
      'UNSUPPORTED_RUNTIME',
    );
  });
});
