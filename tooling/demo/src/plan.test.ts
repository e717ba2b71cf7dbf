import { describe, expect, it } from 'vitest';
import { testRoster } from '../test/rosters.js';
import { DemoError } from './errors.js';
import { allSlots, planMarket } from './plan.js';

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DemoError);
    expect((e as DemoError).code).toBe('INVALID_OPTION');
    expect((e as DemoError).field).toBe('miners');
    return (e as Error).message;
  }
  throw new Error('did not throw');
}

describe('planMarket', () => {
  it("runs each roster's defaults, one netuid per subnet, every neuron on its own loopback address", () => {
    const plans = planMarket([testRoster('template'), testRoster('image')]);
    expect(plans.map((p) => [p.subnet, p.netuid])).toEqual([
      ['template', 1],
      ['image', 2],
    ]);
    expect(plans[0]!.slots.map((s) => s.name)).toEqual([
      'validator',
      'honest-1',
      'honest-2',
      'honest-3',
      'wrong-1',
      'slow-1',
      'dead-1',
    ]);
    const slots = allSlots(plans);
    const ips = slots.map((s) => s.ip);
    expect(new Set(ips).size).toBe(ips.length);
    expect(ips).not.toContain('127.0.0.1');
    expect(ips[0]).toBe('127.0.0.2');
    expect(new Set(slots.map((s) => s.id)).size).toBe(slots.length);
    const image = plans[1]!.slots;
    expect(image[0]).toMatchObject({
      id: 'image-validator',
      netuid: 2,
      role: 'validator',
      entry: '/repo/subnets/x/src/validator/main.ts',
      ip: '127.0.0.9',
    });
    expect(image.find((s) => s.name === 'wrong-1')).toMatchObject({
      honest: false,
      args: ['--market.variant', 'wrong'],
    });
    expect(image.find((s) => s.name === 'dead-1')!.entry).toBeNull();
    // Each instance serves its variant's wires in turn; Synapse by default.
    expect(image.filter((s) => s.role === 'miner').map((s) => [s.name, s.wire])).toEqual([
      ['honest-1', 'synapse'],
      ['honest-2', 'btauth'],
      ['honest-3', 'synapse'],
      ['wrong-1', 'fiber'],
      ['slow-1', 'synapse'],
      ['dead-1', 'synapse'],
    ]);
  });

  it('applies --miners terms in order: N (honest), VARIANT=N, SUBNET.VARIANT=N', () => {
    const plans = planMarket(
      [testRoster('template'), testRoster('image')],
      [
        { subnet: null, variant: null, count: 1 },
        { subnet: null, variant: 'garbage', count: 2 },
        { subnet: 'image', variant: 'garbage', count: 0 },
      ],
    );
    const count = (i: number, v: string) => plans[i]!.counts.find((c) => c.variant === v)!.count;
    expect(count(0, 'honest')).toBe(1);
    expect(count(0, 'garbage')).toBe(2);
    expect(count(1, 'garbage')).toBe(0);
    expect(plans[0]!.slots.filter((s) => s.variant === 'garbage').map((s) => s.name)).toEqual([
      'garbage-1',
      'garbage-2',
    ]);
  });

  it('refuses unknown variants and subnets, and a subnet without an honest miner', () => {
    const rosters = [testRoster('template')];
    expect(refusal(() => planMarket(rosters, [{ subnet: null, variant: 'lazy', count: 1 }]))).toBe(
      '--miners: no miner variant "lazy" in any running subnet (variants: honest, wrong, slow, garbage, dead)',
    );
    expect(
      refusal(() => planMarket(rosters, [{ subnet: 'text', variant: 'wrong', count: 1 }])),
    ).toContain('subnet "text" is not running (running: template)');
    expect(
      refusal(() => planMarket(rosters, [{ subnet: null, variant: 'honest', count: 0 }])),
    ).toContain('subnet "template" needs at least one honest miner');
    expect(
      refusal(() =>
        planMarket(rosters, [
          { subnet: null, variant: 'wrong', count: 200 },
          { subnet: null, variant: 'garbage', count: 50 },
        ]),
      ),
    ).toMatch(/at most 253/);
  });
});
