import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { defineMarketRoster } from '@subnetkit/neuron';
import { afterAll, describe, expect, it } from 'vitest';
import { runMarket } from '../src/market.js';
import { DEFAULT_OPTIONS } from '../src/options.js';

const fixtures = mkdtempSync(join(tmpdir(), 'subnetkit-market-fail-'));
afterAll(() => rmSync(fixtures, { recursive: true, force: true }));

/** One subnet whose honest and wrong miners both run `miner`. */
const standIn = (validator: string, miner: string) =>
  defineMarketRoster({
    subnet: 'stand-in',
    validator: { entry: pathToFileURL(validator) },
    miners: [
      { variant: 'honest', honest: true, description: 'h', entry: pathToFileURL(miner) },
      { variant: 'wrong', honest: false, description: 'w', entry: pathToFileURL(miner) },
    ],
  });

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
    // Stand-ins that only exercise the supervision: a "miner" that answers /status on the port
    // it is given (so validators start), never exits and ignores SIGTERM (so it must be
    // killed), and a "validator" that crashes after a moment.
    const miner = join(fixtures, 'miner.mjs');
    writeFileSync(
      miner,
      [
        "import { createServer } from 'node:http';",
        "const port = Number(process.argv[process.argv.indexOf('--status.port') + 1]);",
        'createServer((_q, r) => r.end(\'{"role":"miner"}\')).listen(port, \'127.0.0.1\');',
        "process.on('SIGTERM', () => {});",
        '',
      ].join('\n'),
    );
    const validator = join(fixtures, 'validator.mjs');
    writeFileSync(
      validator,
      "console.error('validator: cannot reach the chain (simulated)'); setTimeout(() => process.exit(3), 300);\n",
    );
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const pids: number[] = [];
    const result = await runMarket(
      {
        ...DEFAULT_OPTIONS,
        dashboardPort: null,
        timeoutS: 120,
        tmpRoot: fixtures,
      },
      {
        out,
        rosters: [standIn(validator, miner)],
        onChild: (pid) => pids.push(pid),
        stopGraceMs: 1500,
      },
    );
    expect(result.ok).toBe(false);
    expect(result.exitCode).toBe(1);
    expect(result.error?.code).toBe('CHILD_EXITED');
    expect(result.reason).toContain('stand-in-validator exited unexpectedly (code 3)');
    expect(result.reason).toContain('cannot reach the chain (simulated)');
    expect(text).toContain('FAILED: stand-in-validator exited unexpectedly');
    expect(text).toContain('did not stop on SIGTERM within 1500 ms and were killed');
    expect(pids.length).toBe(4); // localnet, validator, 2 miners
    expect(pids.filter(alive)).toEqual([]);
    expect(result.kept).toBe(true);
    expect(existsSync(join(result.dir, 'logs', 'stand-in-validator.log'))).toBe(true);
  }, 150_000);

  it("refuses to start when a roster's entry is missing, creating nothing", async () => {
    const tmpRoot = join(fixtures, 'none');
    writeFileSync(join(fixtures, 'idle.mjs'), '');
    await expect(
      runMarket(
        { ...DEFAULT_OPTIONS, tmpRoot },
        {
          out: new PassThrough(),
          rosters: [standIn(join(fixtures, 'idle.mjs'), join(fixtures, 'nope.ts'))],
        },
      ),
    ).rejects.toMatchObject({
      code: 'ENTRY_MISSING',
      message: expect.stringMatching(
        /^subnet stand-in: the honest miner's entry .*nope\.ts does not exist/,
      ),
    });
    expect(existsSync(tmpRoot)).toBe(false);
  });
});
