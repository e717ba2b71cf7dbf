import { describe, expect, it } from 'vitest';
import { epochIndex, epochsBetween, isEpochBlock, nextEpochBlock } from './epochs.js';

describe('epoch schedule (subtensor blocks_until_next_epoch)', () => {
  it('runs when (block + netuid + 1) % (tempo + 1) == tempo', () => {
    // tempo 10, netuid 1: (b + 2) % 11 == 10 at blocks 8, 19, 30 …
    const blocks = Array.from({ length: 40 }, (_, b) => b).filter((b) => isEpochBlock(10, 1, b));
    expect(blocks).toEqual([8, 19, 30]);
    expect(nextEpochBlock(10, 1, 8)).toBe(19);
    expect(nextEpochBlock(10, 1, 7)).toBe(8);
  });
  it('counts epochs in (from, to] and indexes them as get_epoch_index', () => {
    expect(epochsBetween(10, 1, 8, 19)).toBe(1);
    expect(epochsBetween(10, 1, 7, 30)).toBe(3);
    expect(epochsBetween(10, 1, 19, 29)).toBe(0);
    // the index changes on the block after an epoch block
    expect(epochIndex(10, 1, 8)).toBe(0);
    expect(epochIndex(10, 1, 9)).toBe(1);
  });
});
