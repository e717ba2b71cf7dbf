import { describe, expect, it } from 'vitest';
import { CallerIndex, defaultBlacklist, defaultPriority, toRao } from './policy.js';

const index = new CallerIndex({
  hotkeys: ['val', 'miner', 'rich'],
  validatorPermit: [true, false, false],
  stake: [2_000_000_000_000n, 0n, 5_500_000_000n],
});
const base = { forceValidatorPermit: false, allowNonRegistered: false, minStake: 0 };

describe('CallerIndex', () => {
  it('finds registered callers and never throws for unknown ones', () => {
    expect(index.lookup('val')).toEqual({
      hotkey: 'val',
      uid: 0,
      stake: 2_000_000_000_000n,
      validatorPermit: true,
    });
    expect(index.lookup('stranger')).toEqual({
      hotkey: 'stranger',
      uid: null,
      stake: 0n,
      validatorPermit: false,
    });
  });
});

describe('defaultBlacklist', () => {
  it('refuses unregistered callers unless allowed', () => {
    const stranger = index.lookup('stranger');
    expect(defaultBlacklist(stranger, base)).toEqual({
      blacklisted: true,
      reason: 'unrecognized hotkey (not registered on this subnet)',
    });
    expect(defaultBlacklist(stranger, { ...base, allowNonRegistered: true }).blacklisted).toBe(
      false,
    );
    expect(
      defaultBlacklist(stranger, { ...base, allowNonRegistered: true, forceValidatorPermit: true })
        .blacklisted,
    ).toBe(true);
  });

  it('refuses non-validators with forceValidatorPermit, and low stake with minStake', () => {
    const force = { ...base, forceValidatorPermit: true };
    expect(defaultBlacklist(index.lookup('val'), force).blacklisted).toBe(false);
    expect(defaultBlacklist(index.lookup('miner'), force)).toEqual({
      blacklisted: true,
      reason: 'non-validator hotkey (no validator permit)',
    });
    const min = { ...base, minStake: 5.5 };
    expect(defaultBlacklist(index.lookup('rich'), min).blacklisted).toBe(false);
    const r = defaultBlacklist(index.lookup('miner'), min);
    expect(r.blacklisted).toBe(true);
    expect(r.reason).toContain('min_stake 5.5');
    expect(defaultBlacklist(index.lookup('miner'), base).blacklisted).toBe(false);
  });
});

describe('defaultPriority / toRao', () => {
  it('orders by stake in units and converts exactly', () => {
    expect(defaultPriority(index.lookup('val'))).toBe(2000);
    expect(defaultPriority(index.lookup('stranger'))).toBe(0);
    expect(toRao(5.5)).toBe(5_500_000_000n);
    expect(toRao(0.000000001)).toBe(1n);
    expect(toRao(4096)).toBe(4_096_000_000_000n);
    expect(() => toRao(-1)).toThrow(/stake/);
  });
});
