import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runMarket } from '../src/market.js';
import { DEFAULT_OPTIONS } from '../src/options.js';
import { findRepoRoot, repoEntries } from '../src/paths.js';

const entries = repoEntries(findRepoRoot());
const haveTemplate = existsSync(entries.miner) && existsSync(entries.validator);
if (!haveTemplate) {
  console.warn(`[demo] market e2e skipped: no subnet template at ${entries.miner}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!haveTemplate)('the local market, end to end', () => {
  it('honest miners end on top, read from the chain, and every process is stopped', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const pids: number[] = [];
    const result = await runMarket(
      {
        ...DEFAULT_OPTIONS,
        miners: { honest: 2, wrong: 1, slow: 1, garbage: 1, dead: 1 },
        tempos: 1,
        tempo: 12,
        dashboardPort: null,
        timeoutS: 150,
      },
      {
        out,
        onChild: (pid) => pids.push(pid),
      },
    );
    if (!result.ok) console.error(text);
    expect(result.reason).toMatch(/every honest miner is on top/);
    expect(result.ok).toBe(true);
    expect(result.exitCode).toBe(0);
    const honest = result.rows.filter((r) => r.kind === 'honest');
    const faulty = result.rows.filter((r) => r.kind !== 'honest' && r.kind !== 'validator');
    expect(honest.length).toBe(2);
    expect(faulty.map((r) => r.kind).sort()).toEqual(['dead', 'garbage', 'slow', 'wrong']);
    const floor = Math.min(...honest.map((r) => r.incentive));
    for (const r of faulty) expect(r.incentive, r.name).toBeLessThan(floor);
    // the validator's dividends come from the same epochs
    expect(result.rows.find((r) => r.kind === 'validator')!.dividends).toBeGreaterThan(0);
    expect(text).toContain('Incentive per neuron');
    expect(text).toContain('PASS');
    // localnet + validator + every miner but the dead one, all stopped; the run dir removed
    expect(pids.length).toBe(1 + 1 + 5);
    expect(pids.filter(alive)).toEqual([]);
    expect(result.kept).toBe(false);
    expect(existsSync(result.dir)).toBe(false);
  }, 200_000);
});
