import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ORPHAN_GUARD, Supervisor } from './supervisor.js';

const dir = mkdtempSync(join(tmpdir(), 'subnetkit-supervisor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

const node = process.execPath;

describe('Supervisor', () => {
  it('logs output to the file, sees lines, and reports an exit nobody asked for', async () => {
    const sup = new Supervisor();
    const unexpected: string[] = [];
    sup.onUnexpectedExit((c, info) => unexpected.push(`${c.name}:${info.code}`));
    const lines: string[] = [];
    const log = join(dir, 'a.log');
    const child = sup.spawn({
      name: 'a',
      command: node,
      args: ['-e', 'console.log("hello"); console.error("oops"); process.exit(3)'],
      cwd: dir,
      logFile: log,
      onLine: (l) => lines.push(l),
    });
    const exit = await child.exited;
    expect(exit).toEqual({ code: 3, signal: null, requested: false });
    expect(unexpected).toEqual(['a:3']);
    expect(lines.sort()).toEqual(['hello', 'oops']);
    await new Promise((r) => setTimeout(r, 50));
    expect(readFileSync(log, 'utf8')).toContain('hello');
    // file-descriptor mode (no line callback) logs too
    const b = sup.spawn({
      name: 'b',
      command: node,
      args: ['-e', 'console.log("direct")'],
      cwd: dir,
      logFile: join(dir, 'b.log'),
    });
    await b.exited;
    expect(readFileSync(join(dir, 'b.log'), 'utf8')).toBe('direct\n');
  });

  it('stopAll stops the first child (the chain) only after the others have exited', async () => {
    const sup = new Supervisor();
    const order: string[] = [];
    const child = (name: string, lingerMs: number) =>
      sup.spawn({
        name,
        command: node,
        args: [
          '-e',
          `process.on('SIGTERM', () => setTimeout(() => process.exit(0), ${lingerMs})); console.log('ready'); setInterval(() => {}, 1000);`,
        ],
        cwd: dir,
        logFile: join(dir, `${name}.log`),
        onLine: () => {},
      });
    const chain = child('chain', 0);
    const neuron = child('neuron', 300);
    void chain.exited.then(() => order.push('chain'));
    void neuron.exited.then(() => order.push('neuron'));
    await new Promise((r) => setTimeout(r, 400)); // let the SIGTERM handlers be installed
    await sup.stopAll(3000);
    expect(order).toEqual(['neuron', 'chain']);
  });

  it('stopAll stops every group, grandchildren included, and escalates to SIGKILL', async () => {
    const sup = new Supervisor();
    const unexpected: string[] = [];
    sup.onUnexpectedExit((c) => unexpected.push(c.name));
    let grandchild = 0;
    // A child that starts a grandchild (same group) and then waits.
    const parent = sup.spawn({
      name: 'parent',
      command: node,
      args: [
        '-e',
        `const { spawn } = require('node:child_process');
         const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
         console.log('grandchild ' + g.pid);
         setInterval(() => {}, 1000);`,
      ],
      cwd: dir,
      logFile: join(dir, 'parent.log'),
      onLine: (l) => {
        const m = /grandchild (\d+)/.exec(l);
        if (m) grandchild = Number(m[1]);
      },
    });
    // A child that ignores SIGTERM.
    const stubborn = sup.spawn({
      name: 'stubborn',
      command: node,
      args: [
        '-e',
        `process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000);`,
      ],
      cwd: dir,
      logFile: join(dir, 'stubborn.log'),
      onLine: () => {},
    });
    while (grandchild === 0) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300)); // let the SIGTERM handler be installed
    expect(sup.live.length).toBe(2);
    const exits = await sup.stopAll(800);
    expect(exits.every((e) => e.requested)).toBe(true);
    expect((await stubborn.exited).signal).toBe('SIGKILL');
    expect((await parent.exited).signal).toBe('SIGTERM');
    expect(await gone(grandchild)).toBe(true);
    expect(sup.live).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(() =>
      sup.spawn({
        name: 'late',
        command: node,
        args: [],
        cwd: dir,
        logFile: join(dir, 'late.log'),
      }),
    ).toThrow(/stopping/);
  });

  it('killAllSync kills every live group at once', async () => {
    const sup = new Supervisor();
    const c = sup.spawn({
      name: 'c',
      command: node,
      args: ['-e', 'setInterval(() => {}, 1000)'],
      cwd: dir,
      logFile: join(dir, 'c.log'),
    });
    sup.killAllSync();
    expect((await c.exited).signal).toBe('SIGKILL');
  });
});

describe('orphan guard', () => {
  it('a child stops itself when the market process disappears', async () => {
    // A stand-in for the market: starts a guarded child, prints its pid, then is SIGKILLed.
    const market = spawn(
      node,
      [
        '-e',
        `const { spawn } = require('node:child_process');
         const c = spawn(process.execPath, ['--import', ${JSON.stringify(pathToFileURL(ORPHAN_GUARD).href)},
           '-e', 'process.on("SIGTERM", () => { console.log("graceful"); process.exit(0); }); setInterval(() => {}, 1000)'],
           { detached: true, stdio: 'ignore', env: { ...process.env, SUBNETKIT_MARKET_PID: String(process.pid) } });
         console.log(c.pid);
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const pid = await new Promise<number>((resolve) => {
      market.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    });
    await new Promise((r) => setTimeout(r, 700));
    expect(alive(pid)).toBe(true); // the guard leaves it alone while the market lives
    market.kill('SIGKILL');
    expect(await gone(pid, 5000)).toBe(true);
  });
});
