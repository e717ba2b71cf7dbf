import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isServingAxon, type SelectionView, selectMiners } from './selection.js';

function view(n: number, serving: (uid: number) => boolean = () => true): SelectionView {
  return {
    hotkeys: Array.from({ length: n }, (_, i) => `hk${i}`),
    axons: Array.from({ length: n }, (_, i) =>
      serving(i) ? { ip: `10.0.0.${i + 1}`, port: 8091 } : { ip: '0.0.0.0', port: 0 },
    ),
  };
}

/** A deterministic stream in [0, 1). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('isServingAxon', () => {
  it('needs a non-zero ip and port', () => {
    expect(isServingAxon({ ip: '127.0.0.2', port: 8091 })).toBe(true);
    expect(isServingAxon({ ip: '0.0.0.0', port: 8091 })).toBe(false);
    expect(isServingAxon({ ip: '::', port: 8091 })).toBe(false);
    expect(isServingAxon({ ip: '1.2.3.4', port: 0 })).toBe(false);
    expect(isServingAxon(undefined)).toBe(false);
  });
});

describe('selectMiners', () => {
  it('visits every eligible uid once per cycle, skipping self and non-serving axons', () => {
    const v = view(10, (uid) => uid !== 4);
    let called: number[] = [];
    const seen: number[] = [];
    const random = lcg(1);
    for (let step = 0; step < 3; step++) {
      const s = selectMiners(v, { sampleSize: 3, called, selfUid: 0, random });
      expect(s.uids).toHaveLength(3);
      // 8 eligible: the 3rd sample takes the last 2 of the cycle plus 1 from the next one.
      expect(s.cycleCompleted).toBe(step === 2);
      seen.push(...s.uids);
      called = s.called;
    }
    expect(new Set(seen.slice(0, 6)).size).toBe(6);
    expect(new Set(seen)).toEqual(new Set([1, 2, 3, 5, 6, 7, 8, 9]));
    expect(called).toHaveLength(1);
    expect(seen.filter((uid) => uid === called[0])).toHaveLength(2);
  });

  it('ends a cycle and starts the next in one sample without repeating a uid', () => {
    const v = view(5);
    const s = selectMiners(v, { sampleSize: 3, called: [0, 1, 2], random: lcg(2) });
    expect(s.cycleCompleted).toBe(true);
    expect(s.uids).toHaveLength(3);
    expect(s.uids).toEqual(expect.arrayContaining([3, 4]));
    expect(new Set(s.uids).size).toBe(3);
    expect(s.called).toHaveLength(1);
    expect([0, 1, 2]).toContain(s.called[0]);
  });

  it('a sample larger than the subnet queries everyone once', () => {
    const s = selectMiners(view(4), { sampleSize: 50, called: [], selfUid: 1 });
    expect(s.uids).toEqual([0, 2, 3]);
    expect(s.cycleCompleted).toBe(true);
    expect(s.called).toEqual([]);
  });

  it('skips high-stake validators and excluded uids; forgets uids that left', () => {
    const v: SelectionView = {
      ...view(4),
      validatorPermit: [true, true, false, false],
      stake: [5_000n, 10n, 9_999_999n, 0n],
    };
    const s = selectMiners(v, {
      sampleSize: 10,
      called: [7, 8],
      validatorStakeLimit: 100n,
      exclude: [3],
    });
    expect(s.uids).toEqual([1, 2]);
    expect(s.eligible).toBe(2);
  });

  it('nothing serving gives an empty selection', () => {
    const s = selectMiners(
      view(3, () => false),
      { sampleSize: 2, called: [] },
    );
    expect(s).toEqual({ uids: [], called: [], cycleCompleted: false, eligible: 0 });
  });

  it('the default (CSPRNG) random picks valid, distinct uids', () => {
    const v = view(300);
    const s = selectMiners(v, { sampleSize: 50, called: [] });
    expect(new Set(s.uids).size).toBe(50);
    expect(s.uids.every((uid) => uid >= 0 && uid < 300)).toBe(true);
    const t = selectMiners(v, { sampleSize: 50, called: s.called });
    expect(t.uids.some((uid) => s.uids.includes(uid))).toBe(false);
  });

  it('rejects a bad sample size', () => {
    expect(() => selectMiners(view(3), { sampleSize: 0, called: [] })).toThrow(/sampleSize/);
  });

  it('property: over any run, no uid gets a second turn before every eligible uid had one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 12 }),
        (n, sampleSize, seed, steps) => {
          const v = view(n, (uid) => uid % 3 !== 2);
          const eligible = v.hotkeys.map((_, uid) => uid).filter((uid) => uid % 3 !== 2);
          const random = lcg(seed);
          let called: number[] = [];
          const turns = new Map<number, number>();
          for (let i = 0; i < steps; i++) {
            const s = selectMiners(v, { sampleSize, called, random });
            expect(s.uids.length).toBe(Math.min(sampleSize, eligible.length));
            expect(new Set(s.uids).size).toBe(s.uids.length);
            for (const uid of s.uids) {
              expect(eligible).toContain(uid);
              turns.set(uid, (turns.get(uid) ?? 0) + 1);
            }
            const counts = eligible.map((uid) => turns.get(uid) ?? 0);
            expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
            called = s.called;
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
