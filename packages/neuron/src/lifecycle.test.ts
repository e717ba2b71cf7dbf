import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isNeuronError } from './errors.js';
import { createLifecycle, installSignalHandlers, signalExitCode } from './lifecycle.js';

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Lifecycle', () => {
  it('aborts the signal, runs stop hooks, waits for in-flight work, then persists and closes', async () => {
    const lc = createLifecycle({ shutdownTimeoutMs: 2000 });
    const order: string[] = [];
    lc.onShutdown('close', 'chain', () => order.push('close chain'));
    lc.onShutdown('persist', 'state', () => order.push(`persist (inflight ${lc.inflight})`));
    lc.onShutdown('persist', 'evidence', () => order.push('persist evidence'));
    lc.onShutdown('stop', 'axon', () => order.push(`stop axon (aborted ${lc.signal.aborted})`));
    const job = lc.track(async (signal) => {
      await delay(50);
      order.push(`job done (aborted ${signal.aborted})`);
      return 42;
    });
    const report = await lc.shutdown('test');
    expect(await job).toBe(42);
    expect(order).toEqual([
      'stop axon (aborted true)',
      'job done (aborted true)',
      // persist/close hooks run in reverse registration order.
      'persist evidence',
      'persist (inflight 0)',
      'close chain',
    ]);
    expect(report).toMatchObject({ reason: 'test', exitCode: 0, drained: true, abandoned: 0 });
    expect(lc.state).toBe('stopped');
  });

  it('refuses new work once shutting down, and shutdown is idempotent', async () => {
    const lc = createLifecycle();
    const a = lc.shutdown('one');
    const b = lc.shutdown('two');
    expect(a).toBe(b);
    const err = await lc.track(Promise.resolve(1)).catch((e) => e);
    expect(isNeuronError(err, 'SHUTTING_DOWN')).toBe(true);
    expect((await a).reason).toBe('one');
  });

  it('persists even when in-flight work outlives the timeout', async () => {
    const lc = createLifecycle({ shutdownTimeoutMs: 30 });
    let persisted = false;
    lc.onShutdown('persist', 'state', () => {
      persisted = true;
    });
    void lc.track(new Promise(() => {}));
    const report = await lc.shutdown();
    expect(report).toMatchObject({ drained: false, abandoned: 1, exitCode: 0 });
    expect(persisted).toBe(true);
  });

  it('a failing or hanging hook gives exit code 1 but later hooks still run', async () => {
    const lc = createLifecycle({ hookTimeoutMs: 30 });
    const ran: string[] = [];
    lc.onShutdown('persist', 'ok', () => ran.push('ok'));
    lc.onShutdown('persist', 'hangs', () => new Promise(() => {}));
    lc.onShutdown('persist', 'throws', () => {
      throw new Error('disk full');
    });
    const remove = lc.onShutdown('close', 'removed', () => ran.push('removed'));
    remove();
    const report = await lc.shutdown();
    expect(report.exitCode).toBe(1);
    expect(report.hookErrors.map((e) => e.name)).toEqual(['throws', 'hangs']);
    expect(String((report.hookErrors[1]!.error as Error).message)).toContain('timed out');
    expect(ran).toEqual(['ok']);
  });

  it('sleep wakes early on shutdown', async () => {
    const lc = createLifecycle();
    expect(await lc.sleep(1)).toBe(true);
    const s = lc.sleep(10_000);
    void lc.shutdown();
    expect(await s).toBe(false);
    expect(await lc.sleep(10_000)).toBe(false);
  });

  it('rejects bad options by name', () => {
    expect(() => createLifecycle({ shutdownTimeoutMs: -1 })).toThrow(/shutdownTimeoutMs/);
  });
});

describe('installSignalHandlers', () => {
  it('first signal shuts down gracefully, second exits at once; uninstall removes handlers', async () => {
    const target = new EventEmitter();
    const lc = createLifecycle({ shutdownTimeoutMs: 5000 });
    const exits: number[] = [];
    void lc.track(delay(100));
    const uninstall = installSignalHandlers(lc, target as never, { exit: (c) => exits.push(c) });
    target.emit('SIGTERM', 'SIGTERM');
    expect(lc.signal.aborted).toBe(true);
    target.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([130]);
    await lc.shutdown();
    expect(exits).toEqual([130, 0]);
    uninstall();
    expect(target.listenerCount('SIGINT')).toBe(0);
    expect(target.listenerCount('SIGTERM')).toBe(0);
    expect(signalExitCode('SIGTERM')).toBe(143);
  });
});

describe('a real process', () => {
  const fixture = fileURLToPath(new URL('../test/fixtures/graceful-child.ts', import.meta.url));

  async function run(jobMs: number, timeoutMs: number, signals: NodeJS.Signals[]) {
    const dir = await mkdtemp(join(tmpdir(), 'neuron-lc-'));
    const out = join(dir, 'out.json');
    const child = spawn(
      process.execPath,
      [
        '--conditions=@subnetkit/source',
        '--import',
        'tsx',
        fixture,
        out,
        String(jobMs),
        String(timeoutMs),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('ready') && resolve());
      child.once('exit', () => reject(new Error('child exited early')));
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    for (const s of signals) {
      child.kill(s);
      await delay(100);
    }
    const code = await exited;
    const events = await readFile(out, 'utf8').then(JSON.parse, () => null);
    await rm(dir, { recursive: true, force: true });
    return { code, events };
  }

  it('SIGTERM: finishes the in-flight job, persists, exits 0', async () => {
    const { code, events } = await run(400, 5000, ['SIGTERM']);
    expect(code).toBe(0);
    expect(events).toEqual(['job done', 'persist inflight=0']);
  });

  it('a second SIGINT forces exit 130 without waiting', async () => {
    const { code, events } = await run(60_000, 60_000, ['SIGINT', 'SIGINT']);
    expect(code).toBe(130);
    expect(events).toBeNull();
  });
});
