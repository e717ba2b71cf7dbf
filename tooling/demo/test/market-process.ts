// The local market's CLI as a child process, for the tests that stop it from outside (Ctrl-C,
// a closed stdout) and then check that every process it started is gone.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../src/paths.js';

export const root = findRepoRoot();

/** Why these tests cannot run here (no /proc, no template), or null; warns visibly. */
export function marketProcessSkipReason(test: string): string | null {
  const reason = !existsSync('/proc/self/environ')
    ? 'no /proc to find the children'
    : !existsSync(join(root, 'subnets/_template/src/market/roster.ts'))
      ? 'no subnet template'
      : null;
  if (reason) console.warn(`[demo] ${test} skipped: ${reason}`);
  return reason;
}

/** Every process whose environment says the market with this pid started it. */
export function childrenOf(marketPid: number): number[] {
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

export interface MarketProcess {
  market: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once the market says every neuron process is started (the validators last). */
  started: Promise<void>;
  exited: Promise<number | null>;
}

/** The template market (dashboard off, run dir under `tmp`) with the given `--miners`. */
export function startMarketProcess(tmp: string, miners: string): MarketProcess {
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
      miners,
      '--dashboard',
      'off',
      '--tmp',
      tmp,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  const started = new Promise<void>((resolve) => {
    market.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes('starting the validators')) resolve();
    });
  });
  market.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    market.on('exit', (code) => resolve(code)),
  );
  return { market, stdout: () => stdout, stderr: () => stderr, started, exited };
}
