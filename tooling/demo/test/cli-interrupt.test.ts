import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRepoRoot } from '../src/paths.js';

const root = findRepoRoot();
const haveProc = existsSync('/proc/self/environ');
const haveTemplate = existsSync(join(root, 'subnets/_template/src/market/roster.ts'));
if (!haveProc || !haveTemplate) {
  console.warn(
    `[demo] Ctrl-C test skipped: ${!haveProc ? 'no /proc to find the children' : 'no subnet template'}`,
  );
}
const tmp = mkdtempSync(join(tmpdir(), 'subnetkit-market-sigint-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every process whose environment says the market with this pid started it. */
function childrenOf(marketPid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (env.split('\0').includes(`SUBNETKIT_MARKET_PID=${marketPid}`)) out.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return out;
}

describe.skipIf(!haveProc || !haveTemplate)('npm run demo, interrupted', () => {
  it('Ctrl-C (SIGINT) stops every process, exits 130 and removes the run directory', async () => {
    const market = spawn(
      process.execPath,
      [
        '--conditions=@subnetkit/source',
        '--import',
        'tsx',
        join(root, 'tooling/demo/src/cli.ts'),
        '--subnets',
        'template',
        '--miners',
        'honest=1,wrong=1,slow=0,dead=0',
        '--dashboard',
        'off',
        '--tmp',
        tmp,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let text = '';
    const started = new Promise<void>((resolve) => {
      market.stdout!.on('data', (d: Buffer) => {
        text += d.toString();
        if (text.includes('neuron processes')) resolve();
      });
    });
    market.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
    });
    const exited = new Promise<number | null>((resolve) =>
      market.on('exit', (code) => resolve(code)),
    );
    await Promise.race([started, exited]);
    // localnet + validator + 2 miners, all running (a neuron may also run short-lived
    // helpers of its own; those are not counted here, but must be gone at the end too)
    const cmd = (pid: number) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ');
      } catch {
        return '';
      }
    };
    const ours = () =>
      childrenOf(market.pid!)
        .map(cmd)
        .filter((c) =>
          /localnet\/src\/cli\.ts|_template\/src\/(miner\/main|validator\/main|market\/adversary-main)\.ts/.test(
            c,
          ),
        );
    let running: string[] = [];
    for (let i = 0; i < 50 && running.length < 4; i++) {
      running = ours();
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(running.length, `${text}\n${running.join('\n')}`).toBe(4);
    market.kill('SIGINT');
    const code = await exited;
    expect(code, text).toBe(130);
    expect(text).toContain('Stopped: interrupted by SIGINT');
    expect(childrenOf(market.pid!)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]); // not kept: the user asked to stop
  }, 120_000);
});
