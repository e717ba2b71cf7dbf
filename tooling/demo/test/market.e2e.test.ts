import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { defineMarketRoster } from '@subnetkit/neuron';
import { describe, expect, it } from 'vitest';
import { runMarket } from '../src/market.js';
import { DEFAULT_OPTIONS } from '../src/options.js';
import { findRepoRoot } from '../src/paths.js';
import { discoverSubnets } from '../src/subnets.js';

// The template's own roster, found as `npm run demo` finds it, and the same processes under a
// second name: two subnets, two netuids, one chain.
const template = (await discoverSubnets(findRepoRoot())).find(
  (s) => s.roster.subnet === 'template',
);
if (!template) console.warn('[demo] market e2e skipped: no subnet template exports ./market');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!template)('the local market, end to end', () => {
  it('in each of two subnets the honest miners end on top, read from the chain, and every process is stopped', async () => {
    const roster = template!.roster;
    const twin = defineMarketRoster({ ...roster, subnet: 'twin' });
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const pids: number[] = [];
    const result = await runMarket(
      {
        ...DEFAULT_OPTIONS,
        miners: [
          { subnet: 'template', variant: 'honest', count: 2 },
          { subnet: 'template', variant: 'garbage', count: 1 },
          { subnet: 'twin', variant: 'honest', count: 1 },
          { subnet: 'twin', variant: 'slow', count: 0 },
          { subnet: 'twin', variant: 'dead', count: 0 },
        ],
        tempos: 1,
        tempo: 12,
        dashboardPort: null,
        timeoutS: 150,
      },
      {
        out,
        rosters: [roster, twin],
        onChild: (pid) => pids.push(pid),
      },
    );
    if (!result.ok) console.error(text);
    expect(result.ok, result.reason).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(result.subnets.map((r) => [r.subnet, r.netuid, r.ok])).toEqual([
      ['template', 1, true],
      ['twin', 2, true],
    ]);
    const kinds = { template: ['dead', 'garbage', 'slow', 'wrong'], twin: ['wrong'] };
    for (const s of result.subnets) {
      expect(s.reason).toMatch(/every honest miner is on top/);
      const honest = s.rows.filter((r) => r.role === 'miner' && r.honest);
      const adversarial = s.rows.filter((r) => r.role === 'miner' && !r.honest);
      expect(honest.length).toBe(s.subnet === 'template' ? 2 : 1);
      expect(adversarial.map((r) => r.variant).sort()).toEqual(
        kinds[s.subnet as keyof typeof kinds],
      );
      // The template's roster puts its miners on different wires at once.
      if (s.subnet === 'template') {
        expect(s.rows.filter((r) => r.role === 'miner').map((r) => [r.name, r.wire])).toEqual(
          expect.arrayContaining([
            ['honest-1', 'synapse'],
            ['honest-2', 'btauth'],
            ['wrong-1', 'fiber'],
            ['slow-1', 'btauth'],
          ]),
        );
      }
      const floor = Math.min(...honest.map((r) => r.incentive));
      for (const r of adversarial) expect(r.incentive, `${s.subnet} ${r.name}`).toBeLessThan(floor);
      // the validator's dividends come from the same epochs
      expect(s.rows.find((r) => r.role === 'validator')!.dividends).toBeGreaterThan(0);
    }
    expect(text).toContain('Incentive per neuron');
    expect(text).toContain('subnet twin (netuid 2)');
    expect(text).toMatch(/PASS: in every subnet \(template, twin\)/);
    // localnet + each validator + every miner but the dead one, all stopped; the run dir removed
    expect(pids.length).toBe(1 + (1 + 5) + (1 + 2));
    expect(pids.filter(alive)).toEqual([]);
    expect(result.kept).toBe(false);
    expect(existsSync(result.dir)).toBe(false);
  }, 200_000);
});
