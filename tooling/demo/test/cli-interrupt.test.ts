import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childrenOf, marketProcessSkipReason, startMarketProcess } from './market-process.js';

const skip = marketProcessSkipReason('Ctrl-C test') !== null;
const tmp = mkdtempSync(join(tmpdir(), 'subnetkit-market-sigint-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(skip)('npm run demo, interrupted', () => {
  it('Ctrl-C (SIGINT) stops every process, exits 130 and removes the run directory', async () => {
    const { market, stdout, stderr, started, exited } = startMarketProcess(
      tmp,
      'honest=1,wrong=1,slow=0,dead=0',
    );
    const text = () => `${stdout()}${stderr()}`;
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
    expect(running.length, `${text()}\n${running.join('\n')}`).toBe(4);
    market.kill('SIGINT');
    const code = await exited;
    expect(code, text()).toBe(130);
    expect(text()).toContain('Stopped: interrupted by SIGINT');
    expect(childrenOf(market.pid!)).toEqual([]);
    expect(readdirSync(tmp)).toEqual([]); // not kept: the user asked to stop
  }, 120_000);
});
