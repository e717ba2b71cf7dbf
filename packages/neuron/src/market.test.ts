import { describe, expect, it } from 'vitest';
import { NeuronError } from './errors.js';
import { defineMarketRoster, type MarketRoster, marketEntry, parseMarketRoster } from './market.js';

const main = new URL('file:///repo/subnets/x/src/miner/main.ts');
const roster = (over: Record<string, unknown> = {}): MarketRoster =>
  ({
    subnet: 'image-gen',
    validator: { entry: new URL('file:///repo/subnets/x/src/validator/main.ts') },
    miners: [
      {
        variant: 'honest',
        honest: true,
        count: 2,
        description: 'right answers',
        entry: main,
        wires: ['synapse', 'btauth'],
      },
      {
        variant: 'wrong',
        honest: false,
        description: 'wrong answers',
        entry: main,
        args: ['--x.fault', 'wrong'],
      },
      { variant: 'dead', honest: false, count: 0, description: 'never starts', entry: null },
    ],
    ...over,
  }) as MarketRoster;

function fieldOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(NeuronError);
    expect((e as NeuronError).code).toBe('INVALID_ARGUMENT');
    const field = (e as NeuronError).details.field!;
    expect((e as Error).message).toContain(`${field}:`);
    return field;
  }
  throw new Error('did not throw');
}

describe('defineMarketRoster', () => {
  it('returns a frozen copy with every count and args set', () => {
    const r = defineMarketRoster(roster());
    expect(r.subnet).toBe('image-gen');
    expect(r.miners.map((m) => [m.variant, m.count, m.args, m.wires])).toEqual([
      ['honest', 2, [], ['synapse', 'btauth']],
      ['wrong', 1, ['--x.fault', 'wrong'], ['synapse']],
      ['dead', 0, [], ['synapse']],
    ]);
    expect(r.validator.args).toEqual([]);
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.miners[0])).toBe(true);
    expect(r.miners[2]!.entry).toBeNull();
  });

  it.each([
    ['subnet', { subnet: 'Image' }],
    ['subnet', { subnet: 'a'.repeat(41) }],
    ['validator', { validator: undefined }],
    ['validator.entry', { validator: { entry: '/repo/main.ts' } }],
    ['validator.entry', { validator: { entry: new URL('https://example.com/main.ts') } }],
    ['validator.args[1]', { validator: { entry: main, args: ['--x.y', '--netuid=3'] } }],
    ['validator.args', { validator: { entry: main, args: [1] } }],
    ['miners', { miners: [] }],
    ['miners', { miners: [{ variant: 'wrong', honest: false, description: 'w', entry: main }] }],
    [
      'miners',
      { miners: [{ variant: 'honest', honest: true, count: 0, description: 'h', entry: main }] },
    ],
    [
      'miners[1].variant',
      {
        miners: [
          { variant: 'honest', honest: true, description: 'h', entry: main },
          { variant: 'honest', honest: false, description: 'h', entry: main },
        ],
      },
    ],
    [
      'miners[0].variant',
      { miners: [{ variant: 'validator', honest: true, description: 'h', entry: main }] },
    ],
    [
      'miners[0].honest',
      { miners: [{ variant: 'a', honest: 'yes', description: 'h', entry: main }] },
    ],
    ['miners[0].description', { miners: [{ variant: 'a', honest: true, entry: main }] }],
    [
      'miners[0].count',
      { miners: [{ variant: 'a', honest: true, count: 1.5, description: 'h', entry: main }] },
    ],
    ['miners[0].entry', { miners: [{ variant: 'a', honest: true, description: 'h' }] }],
    [
      'miners[0].wires[1]',
      {
        miners: [
          { variant: 'a', honest: true, description: 'h', entry: main, wires: ['fiber', 'ws'] },
        ],
      },
    ],
    [
      'miners[0].wires',
      { miners: [{ variant: 'a', honest: true, description: 'h', entry: main, wires: [] }] },
    ],
    [
      'miners[0].args[0]',
      {
        miners: [
          {
            variant: 'a',
            honest: true,
            description: 'h',
            entry: main,
            args: ['--axon.wires=fiber'],
          },
        ],
      },
    ],
    [
      'miners[0].entry',
      { miners: [{ variant: 'a', honest: true, description: 'h', entry: null }] },
    ],
  ])('refuses a bad %s, naming it', (field, over) => {
    expect(fieldOf(() => defineMarketRoster(roster(over)))).toBe(field);
  });

  it('names the subnet and the source in the message', () => {
    expect(() =>
      parseMarketRoster(roster({ miners: [] }), 'subnets/x/src/market/roster.ts'),
    ).toThrow(
      'market roster "image-gen" (subnets/x/src/market/roster.ts): miners: must be a non-empty array',
    );
    expect(() => parseMarketRoster(42)).toThrow(/^market roster: roster: must be an object/);
  });
});

describe('marketEntry', () => {
  it('points beside the roster, .ts from source and .js once built', () => {
    expect(marketEntry('file:///r/subnets/x/src/market/roster.ts', '../miner/main').href).toBe(
      'file:///r/subnets/x/src/miner/main.ts',
    );
    expect(marketEntry('file:///r/subnets/x/dist/market/roster.js', './adversary-main').href).toBe(
      'file:///r/subnets/x/dist/market/adversary-main.js',
    );
  });
});
