import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runMarket } from '../src/market.js';
import { DEFAULT_OPTIONS } from '../src/options.js';
import { findRepoRoot } from '../src/paths.js';
import { discoverSubnets } from '../src/subnets.js';

// The template's, the image and the text subnet's own rosters, found as `npm run demo` finds
// them: three subnets, three netuids, one chain, and every adversarial miner each ships.
const found = await discoverSubnets(findRepoRoot());
const template = found.find((s) => s.roster.subnet === 'template');
const image = found.find((s) => s.roster.subnet === 'image');
const textSubnet = found.find((s) => s.roster.subnet === 'text');
if (!template || !image || !textSubnet) {
  console.warn(
    '[demo] market e2e skipped: the template, image and text subnets must export ./market',
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!template || !image || !textSubnet)('the local market, end to end', () => {
  it('in each of three subnets (template, image, text) the honest miners end on top, read from the chain, and every process is stopped', async () => {
    const rosters = [template!.roster, image!.roster, textSubnet!.roster];
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
          { subnet: 'image', variant: 'honest', count: 1 },
          { subnet: 'text', variant: 'honest', count: 1 },
        ],
        tempos: 1,
        tempo: 12,
        dashboardPort: null,
        timeoutS: 150,
      },
      {
        out,
        rosters,
        onChild: (pid) => pids.push(pid),
      },
    );
    if (!result.ok) console.error(text);
    expect(result.ok, result.reason).toBe(true);
    expect(result.exitCode).toBe(0);
    expect(result.subnets.map((r) => [r.subnet, r.netuid, r.ok])).toEqual([
      ['template', 1, true],
      ['image', 2, true],
      ['text', 3, true],
    ]);
    const kinds = {
      template: ['dead', 'garbage', 'slow', 'wrong'],
      image: ['blank', 'copycat', 'slow', 'wrong-size'],
      text: ['copycat', 'impostor', 'padder', 'random', 'slow'],
    };
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
    expect(text).toContain('subnet image (netuid 2)');
    expect(text).toContain('subnet text (netuid 3)');
    expect(text).toMatch(/PASS: in every subnet \(template, image, text\)/);
    // localnet + each validator + every miner but the dead one, all stopped; the run dir removed
    expect(pids.length).toBe(1 + (1 + 5) + (1 + 5) + (1 + 6));
    expect(pids.filter(alive)).toEqual([]);
    expect(result.kept).toBe(false);
    expect(existsSync(result.dir)).toBe(false);
  }, 200_000);
});
