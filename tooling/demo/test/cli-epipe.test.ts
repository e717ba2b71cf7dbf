import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRepoRoot } from '../src/paths.js';

// Issue 13 item 12: `npm run demo | head -3` died with an unhandled EPIPE and left its run
// directory. The reader closing our stdout must stop the market cleanly.

const root = findRepoRoot();
const haveProc = existsSync('/proc/self/environ');
const haveTemplate = existsSync(join(root, 'subnets/_template/src/market/roster.ts'));
if (!haveProc || !haveTemplate) {
  console.warn(
    `[demo] closed-stdout test skipped: ${!haveProc ? 'no /proc to find the children' : 'no subnet template'}`,
  );
}
const tmp = mkdtempSync(join(tmpdir(), 'subnetkit-market-epipe-'));
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

describe.skipIf(!haveProc || !haveTemplate)('npm run demo | head', () => {
  it('the reader closing stdout stops the market: no unhandled EPIPE, exit 141, no child, no run dir', async () => {
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
        'honest=1,wrong=0,slow=0,dead=0',
        '--dashboard',
        'off',
        '--tmp',
        tmp,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    const children = new Set<number>();
    // Read until every neuron runs, then stop reading, as `head` does after its lines.
    const started = new Promise<void>((resolve) => {
      market.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('neuron processes')) resolve();
      });
    });
    market.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) =>
      market.on('exit', (code) => resolve(code)),
    );
    await Promise.race([started, exited]);
    expect(stdout, stderr).toContain('neuron processes');
    for (let i = 0; i < 50 && children.size < 3; i++) {
      for (const pid of childrenOf(market.pid!)) children.add(pid);
      await new Promise((r) => setTimeout(r, 100));
    }
    // localnet, validator, miner (and any helpers of theirs)
    expect(children.size, stdout).toBeGreaterThanOrEqual(3);
    // What `head` does after its lines: close the read side of the pipe.
    market.stdout!.destroy();
    // Children seen while it stops must all be gone at the end.
    const poll = setInterval(() => {
      for (const pid of childrenOf(market.pid!)) children.add(pid);
    }, 50);
    const code = await exited;
    clearInterval(poll);
    expect(stderr).not.toMatch(/EPIPE|Unhandled|ERR_STREAM|at .*\.ts:\d+/);
    expect(code, stderr).toBe(141);
    expect(childrenOf(market.pid!)).toEqual([]);
    for (const pid of children) expect(existsSync(`/proc/${pid}`), `child ${pid}`).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);
});
