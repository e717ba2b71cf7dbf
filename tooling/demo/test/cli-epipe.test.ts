import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childrenOf, marketProcessSkipReason, startMarketProcess } from './market-process.js';

// Issue 13 item 12: `npm run demo | head -3` died with an unhandled EPIPE and left its run
// directory. The reader closing our stdout must stop the market cleanly.

const skip = marketProcessSkipReason('closed-stdout test') !== null;
const tmp = mkdtempSync(join(tmpdir(), 'subnetkit-market-epipe-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(skip)('npm run demo | head', () => {
  it('the reader closing stdout stops the market: no unhandled EPIPE, exit 141, no child, no run dir', async () => {
    const { market, stdout, stderr, started, exited } = startMarketProcess(
      tmp,
      'honest=1,wrong=0,slow=0,dead=0',
    );
    const children = new Set<number>();
    // Read until every neuron runs, then stop reading, as `head` does after its lines.
    await Promise.race([started, exited]);
    expect(stdout(), stderr()).toContain('neuron processes');
    for (let i = 0; i < 50 && children.size < 3; i++) {
      for (const pid of childrenOf(market.pid!)) children.add(pid);
      await new Promise((r) => setTimeout(r, 100));
    }
    // localnet, validator, miner (and any helpers of theirs)
    expect(children.size, stdout()).toBeGreaterThanOrEqual(3);
    // What `head` does after its lines: close the read side of the pipe.
    market.stdout!.destroy();
    // Children seen while it stops must all be gone at the end.
    const poll = setInterval(() => {
      for (const pid of childrenOf(market.pid!)) children.add(pid);
    }, 50);
    const code = await exited;
    clearInterval(poll);
    expect(stderr()).not.toMatch(/EPIPE|Unhandled|ERR_STREAM|at .*\.ts:\d+/);
    expect(code, stderr()).toBe(141);
    expect(childrenOf(market.pid!)).toEqual([]);
    for (const pid of children) expect(existsSync(`/proc/${pid}`), `child ${pid}`).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);
});
