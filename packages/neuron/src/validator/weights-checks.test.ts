import type { WeightsStatus } from '@subnetkit/chain';
import { describe, expect, it } from 'vitest';
import { temposWithoutWeights, weightsBlocker } from './weights-checks.js';

const TAO = 1_000_000_000n;
const status = (over: Partial<WeightsStatus> = {}): WeightsStatus => ({
  netuid: 7,
  uid: 3,
  currentBlock: 1000,
  lastUpdate: 0,
  rateLimit: 100,
  blocksLeft: 0,
  commitRevealEnabled: false,
  versionKey: 0n,
  validatorPermit: true,
  stakeThreshold: 0n,
  ...over,
});
const hotkey = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

describe('weightsBlocker', () => {
  it('nothing in the way: a permit and enough stake', () => {
    expect(weightsBlocker({ status: status(), hotkey, stake: 5n * TAO })).toBeNull();
    expect(
      weightsBlocker({ status: status({ stakeThreshold: 2n * TAO }), hotkey, stake: 2n * TAO }),
    ).toBeNull();
    // Old runtimes: no permit or threshold read (undefined/null) blocks nothing.
    expect(
      weightsBlocker({
        status: status({ validatorPermit: null, stakeThreshold: null }),
        hotkey,
        stake: null,
      }),
    ).toBeNull();
  });

  it('no permit: certain, with the uid, the subnet and the fix', () => {
    const b = weightsBlocker({
      status: status({ validatorPermit: false }),
      hotkey,
      stake: 0n,
      maxValidators: 64,
    });
    expect(b).toMatchObject({ key: 'permit', certain: true });
    expect(b!.message).toContain('no validator permit on netuid 7 (uid 3)');
    expect(b!.message).toContain('NeuronNoValidatorPermit');
    expect(b!.message).toContain('the 64 hotkeys with the most stake');
    expect(b!.message).toContain(`add stake to ${hotkey}`);
  });

  it('stake under StakeThreshold: a warning (the metagraph may count stake otherwise)', () => {
    const b = weightsBlocker({
      status: status({ stakeThreshold: 1000n * TAO }),
      hotkey,
      stake: 12n * TAO + TAO / 2n,
    });
    expect(b).toMatchObject({ key: 'stake', certain: false });
    expect(b!.message).toContain('stake 12.500 TAO on netuid 7');
    expect(b!.message).toContain('threshold 1000.000 TAO');
    // Unknown stake: nothing to compare, nothing said.
    expect(
      weightsBlocker({ status: status({ stakeThreshold: TAO }), hotkey, stake: null }),
    ).toBeNull();
  });
});

describe('temposWithoutWeights', () => {
  it('counts whole epochs (tempo + 1 blocks) since the last weights, or since the start', () => {
    expect(
      temposWithoutWeights({ block: 1000, lastWeightsBlock: 990, sinceBlock: 0, tempo: 10 }),
    ).toBe(0);
    expect(
      temposWithoutWeights({ block: 1000, lastWeightsBlock: 978, sinceBlock: 0, tempo: 10 }),
    ).toBe(2);
    expect(
      temposWithoutWeights({ block: 1000, lastWeightsBlock: null, sinceBlock: 967, tempo: 10 }),
    ).toBe(3);
    expect(temposWithoutWeights({ block: 5, lastWeightsBlock: 10, sinceBlock: 0, tempo: 10 })).toBe(
      0,
    );
    expect(
      temposWithoutWeights({ block: 50, lastWeightsBlock: null, sinceBlock: 0, tempo: 0 }),
    ).toBe(0);
  });
});
