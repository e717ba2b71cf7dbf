import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runMarket } from '../src/market.js';
import { DEFAULT_OPTIONS } from '../src/options.js';
import { findRepoRoot, repoEntries } from '../src/paths.js';

const fixtures = mkdtempSync(join(tmpdir(), 'subnetkit-market-fail-'));
afterAll(() => rmSync(fixtures, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the market when a process fails', () => {
  it('stops at once, stops every other process, and keeps the logs', async () => {
    // Stand-ins that only exercise the supervision: a "miner" that never exits (and ignores
    // SIGTERM, so it must be killed), and a "validator" that crashes after a moment.
    const miner = join(fixtures, 'miner.mjs');
    writeFileSync(miner, "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000);\n");
    const validator = join(fixtures, 'validator.mjs');
    writeFileSync(
      validator,
      "console.error('validator: cannot reach the chain (simulated)'); setTimeout(() => process.exit(3), 300);\n",
    );
    const root = findRepoRoot();
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const pids: number[] = [];
    const started = Date.now();
    const result = await runMarket(
      {
        ...DEFAULT_OPTIONS,
        miners: { honest: 1, wrong: 1, slow: 0, garbage: 0, dead: 0 },
        dashboardPort: null,
        timeoutS: 120,
        tmpRoot: fixtures,
      },
      {
        out,
        entries: { ...repoEntries(root), miner, validator },
        onChild: (pid) => pids.push(pid),
        stopGraceMs: 1500,
      },
    );
    expect(result.ok).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.error?.code).toBe('CHILD_EXITED');
    expect(result.reason).toContain('validator exited unexpectedly (code 3)');
    expect(result.reason).toContain('cannot reach the chain (simulated)');
    expect(text).toContain('FAILED: validator exited unexpectedly');
    expect(text).toContain('did not stop on SIGTERM within 1500 ms and were killed');
    expect(pids.length).toBe(4); // localnet, validator, 2 miners
    expect(pids.filter(alive)).toEqual([]);
    expect(result.kept).toBe(true);
    expect(existsSync(join(result.dir, 'logs', 'validator.log'))).toBe(true);
    expect(Date.now() - started).toBeLessThan(110_000);
  }, 150_000);

  it('refuses to start without the subnet template, creating nothing', async () => {
    const root = findRepoRoot();
    await expect(
      runMarket(
        {
          ...DEFAULT_OPTIONS,
          miners: { honest: 1, wrong: 0, slow: 0, garbage: 0, dead: 0 },
          tmpRoot: fixtures,
        },
        {
          out: new PassThrough(),
          entries: { ...repoEntries(root), miner: join(fixtures, 'nope.ts') },
        },
      ),
    ).rejects.toMatchObject({ code: 'TEMPLATE_MISSING' });
  });
});
