import type { AxonInfo, Metagraph } from '@subnetkit/chain';
import { describe, expect, it } from 'vitest';
import { testRoster } from '../test/rosters.js';
import { planMarket } from './plan.js';
import {
  buildRows,
  decideMarketOutcome,
  decideOutcome,
  formatTable,
  type MinerRow,
} from './report.js';

function row(name: string, variant: string, incentive: number, uid = 0): MinerRow {
  return {
    subnet: 'template',
    netuid: 1,
    name,
    role: variant === 'validator' ? 'validator' : 'miner',
    variant,
    honest: variant === 'honest',
    uid,
    hotkey: `hk-${name}`,
    axon: '-',
    wire: variant === 'validator' ? '-' : 'synapse',
    incentive,
    dividends: 0,
    emission: 0n,
    score: null,
    served: null,
  };
}

describe('decideOutcome', () => {
  it('passes when every honest miner is above every adversarial one', () => {
    const o = decideOutcome([
      row('validator', 'validator', 0),
      row('honest-1', 'honest', 0.3),
      row('honest-2', 'honest', 0.29),
      row('wrong-1', 'wrong', 0.1),
      row('dead-1', 'dead', 0),
    ]);
    expect(o.ok).toBe(true);
    expect(o.reason).toContain('honest-2 29.0%');
    expect(o.reason).toContain('wrong-1 10.0%');
  });

  it('fails when an adversarial miner ties or beats the weakest honest one', () => {
    const tie = decideOutcome([row('honest-1', 'honest', 0.4), row('slow-1', 'slow', 0.4)]);
    expect(tie.ok).toBe(false);
    expect(tie.reason).toContain('slow miner slow-1');
    const beat = decideOutcome([
      row('honest-1', 'honest', 0.5),
      row('honest-2', 'honest', 0.1),
      row('garbage-1', 'garbage', 0.2),
    ]);
    expect(beat.ok).toBe(false);
    expect(beat.reason).toContain('honest-2');
  });

  it('fails when an honest miner has no incentive, even with no adversarial miners', () => {
    const o = decideOutcome([row('honest-1', 'honest', 0.5), row('honest-2', 'honest', 0)]);
    expect(o.ok).toBe(false);
    expect(o.reason).toContain('honest-2');
    expect(decideOutcome([row('honest-1', 'honest', 1)]).ok).toBe(true);
  });

  it('fails without honest miners, or with some missing from the metagraph', () => {
    expect(decideOutcome([row('wrong-1', 'wrong', 0)]).ok).toBe(false);
    const o = decideOutcome([row('honest-1', 'honest', 1)], 2);
    expect(o.ok).toBe(false);
    expect(o.reason).toContain('1 honest miner(s) missing');
  });
});

describe('decideMarketOutcome', () => {
  const pass = { ok: true, reason: 'fine' };
  const fail = { ok: false, reason: 'wrong-1 is not below honest-1' };
  it('one subnet: its own verdict', () => {
    expect(decideMarketOutcome([{ subnet: 'a', outcome: fail }])).toEqual(fail);
  });
  it('passes only when every subnet does, naming the ones that fail', () => {
    expect(
      decideMarketOutcome([
        { subnet: 'a', outcome: pass },
        { subnet: 'b', outcome: pass },
      ]),
    ).toMatchObject({ ok: true, reason: expect.stringContaining('(a, b)') });
    const o = decideMarketOutcome([
      { subnet: 'a', outcome: pass },
      { subnet: 'b', outcome: fail },
    ]);
    expect(o.ok).toBe(false);
    expect(o.reason).toBe('b: wrong-1 is not below honest-1');
  });
});

function axon(ip: string, port: number): AxonInfo {
  return {
    block: 1,
    version: 0,
    ip,
    ipInt: 0n,
    port,
    ipType: ip === '0.0.0.0' ? 0 : 4,
    protocol: 4,
    placeholder1: 0,
    placeholder2: 0,
    isServing: ip !== '0.0.0.0',
  } as AxonInfo;
}

describe('buildRows', () => {
  it('reads each planned neuron of a subnet from its metagraph by hotkey', () => {
    const [plan] = planMarket(
      [testRoster('template')],
      [
        { subnet: null, variant: 'honest', count: 1 },
        { subnet: null, variant: 'slow', count: 0 },
      ],
    );
    const slots = plan!.slots;
    expect(slots.map((s) => s.id)).toEqual([
      'template-validator',
      'template-honest-1',
      'template-wrong-1',
      'template-dead-1',
    ]);
    const hotkeys = new Map(slots.map((s) => [s.id, `hk-${s.name}`]));
    const mg = {
      hotkeys: ['owner', 'hk-validator', 'hk-dead-1', 'hk-honest-1', 'hk-wrong-1'],
      axons: [
        axon('0.0.0.0', 0),
        axon('127.0.0.2', 9000),
        axon('127.0.0.5', 9003),
        axon('127.0.0.3', 9001),
        axon('127.0.0.4', 9002),
      ],
      incentive: [0, 0, 0, 65535, 0],
      dividends: [0, 65535, 0, 0, 0],
      emission: [0n, 5n, 0n, 7n, 0n],
    } as unknown as Metagraph;
    const rows = buildRows(mg, slots, hotkeys, {
      scores: new Map([[3, 0.9]]),
      served: new Map([['template-honest-1', 12]]),
    });
    expect(rows.map((r) => [r.name, r.uid, r.axon, r.honest])).toEqual([
      ['validator', 1, '127.0.0.2:9000', false],
      ['honest-1', 3, '127.0.0.3:9001', true],
      ['wrong-1', 4, '127.0.0.4:9002', false],
      ['dead-1', 2, '127.0.0.5:9003', false],
    ]);
    expect(rows[1]).toMatchObject({
      subnet: 'template',
      netuid: 1,
      incentive: 1,
      score: 0.9,
      served: 12,
      emission: 7n,
    });
    expect(rows[0]).toMatchObject({ role: 'validator', dividends: 1, score: null, served: null });
    const table = formatTable(rows).split('\n');
    expect(table[0]).toMatch(/^uid\s+neuron\s+kind\s+axon\s+wire\s+incentive/);
    expect(table[2]).toMatch(/honest-1\s+honest\s+127\.0\.0\.3:9001\s+synapse\s/);
    expect(table.find((l) => l.includes('wrong-1'))).toMatch(/:9002\s+fiber\s/);
    // highest incentive first, the validator last
    expect(table[2]).toMatch(/honest-1\s+honest\s/);
    expect(table[2]).toContain('100.0%');
    expect(table.find((l) => l.includes('wrong-1'))).toMatch(/wrong-1\s+adversarial\s/);
    expect(table.at(-1)).toContain('validator');
  });
});
