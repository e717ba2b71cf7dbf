import { describe, expect, it } from 'vitest';
import { parseMarketRoster } from './market.js';
import { adversaryMiner, adversaryVariantSection } from './market-adversary.js';

const ROSTER_URL = 'file:///repo/subnets/x/src/market/roster.ts';

describe('adversaryVariantSection', () => {
  const section = adversaryVariantSection(['slow', 'blank'] as const, {
    slow: 'answers late',
    blank: 'answers nothing',
  });

  it('accepts a listed variant and names the choices when it refuses one', () => {
    expect(section.parse({ variant: 'slow' })).toEqual({ variant: 'slow' });
    const refused = section.safeParse({ variant: 'honest' });
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues)).toMatch(/slow.*blank/);
  });

  it('describes every variant in the flag help', () => {
    expect(section.shape.variant.description).toBe(
      'How this miner misbehaves: slow answers late; blank answers nothing',
    );
  });
});

describe('adversaryMiner', () => {
  it('is a roster entry that starts adversary-main with the variant flag', () => {
    const miner = adversaryMiner(ROSTER_URL, 'slow', 'answers late', {
      count: 2,
      wires: ['btauth'],
    });
    expect(miner).toEqual({
      variant: 'slow',
      honest: false,
      count: 2,
      wires: ['btauth'],
      description: 'answers late',
      entry: new URL('file:///repo/subnets/x/src/market/adversary-main.ts'),
      args: ['--market.variant', 'slow'],
    });
    expect(adversaryMiner(ROSTER_URL.replace('.ts', '.js'), 'slow', 'late').entry?.href).toBe(
      'file:///repo/subnets/x/src/market/adversary-main.js',
    );
    const roster = parseMarketRoster({
      subnet: 'x',
      validator: { entry: new URL('file:///v.ts') },
      miners: [
        { variant: 'honest', honest: true, description: 'h', entry: new URL('file:///m.ts') },
        miner,
      ],
    });
    expect(roster.miners[1]).toMatchObject({ variant: 'slow', count: 2 });
  });
});
