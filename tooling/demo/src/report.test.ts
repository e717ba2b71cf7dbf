import type { AxonInfo, Metagraph } from '@subnetkit/chain';
import { describe, expect, it } from 'vitest';
import { planNeurons } from './plan.js';
import { buildRows, decideOutcome, formatTable, type MinerRow } from './report.js';

function row(name: string, kind: MinerRow['kind'], incentive: number, uid = 0): MinerRow {
  return {
    name,
    kind,
    uid,
    hotkey: `hk-${name}`,
    axon: '-',
    incentive,
    dividends: 0,
    emission: 0n,
    score: null,
    served: null,
  };
}

describe('decideOutcome', () => {
  it('passes when every honest miner is above every faulty one', () => {
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

  it('fails when a faulty miner ties or beats the weakest honest one', () => {
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

  it('fails when an honest miner has no incentive, even with no faulty miners', () => {
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
  it('reads each planned neuron from the metagraph by hotkey', () => {
    const slots = planNeurons({ honest: 1, wrong: 1, slow: 0, garbage: 0, dead: 1 });
    const hotkeys = new Map(slots.map((s) => [s.name, `hk-${s.name}`]));
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
      served: new Map([['honest-1', 12]]),
    });
    expect(rows.map((r) => [r.name, r.uid, r.axon])).toEqual([
      ['validator', 1, '127.0.0.2:9000'],
      ['honest-1', 3, '127.0.0.3:9001'],
      ['wrong-1', 4, '127.0.0.4:9002'],
      ['dead-1', 2, '127.0.0.5:9003'],
    ]);
    expect(rows[1]).toMatchObject({ incentive: 1, score: 0.9, served: 12, emission: 7n });
    expect(rows[0]).toMatchObject({ dividends: 1, score: null, served: null });
    const table = formatTable(rows).split('\n');
    expect(table[0]).toMatch(/^uid\s+neuron\s+kind\s+axon\s+incentive/);
    // highest incentive first, the validator last
    expect(table[2]).toContain('honest-1');
    expect(table.at(-1)).toContain('validator');
    expect(table[2]).toContain('100.0%');
  });
});

describe('planNeurons', () => {
  it('gives each neuron its own loopback address, never 127.0.0.1', () => {
    const slots = planNeurons({ honest: 3, wrong: 1, slow: 1, garbage: 1, dead: 1 });
    expect(slots.map((s) => s.name)).toEqual([
      'validator',
      'honest-1',
      'honest-2',
      'honest-3',
      'wrong-1',
      'slow-1',
      'garbage-1',
      'dead-1',
    ]);
    const ips = slots.map((s) => s.ip);
    expect(new Set(ips).size).toBe(ips.length);
    expect(ips).not.toContain('127.0.0.1');
    expect(ips[0]).toBe('127.0.0.2');
  });
});
