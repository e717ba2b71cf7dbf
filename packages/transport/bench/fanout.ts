// The fan-out leg: one dendrite (this process) queries 256 axons (one separate process).
import { pino } from 'pino';
import { Dendrite } from '../src/index.js';
import { cpuSeconds, here, median, spawnReady, TSX } from './harness.js';
import { alice, bob, Dummy } from './signed-requests.js';

export interface FanoutResult {
  slowestMs: number;
  /** The slowest axon queried alone (median of `runs`). */
  singleMs: number;
  /** All 256 queried at once (median of `runs`). */
  fanMs: number;
  /** CPU seconds per fan-out, axon process + this process, when /proc is there. */
  cpuPerFanout?: number;
  failures: number;
}

/** Axon handlers wait between slowestMs/2 and slowestMs; the last axon is the slowest. */
export async function fanout(slowestMs: number, count = 256, runs = 5): Promise<FanoutResult> {
  const { child, line } = await spawnReady(
    process.execPath,
    [...TSX, `${here}fanout-server.ts`, String(count), String(slowestMs)],
    'AXONS',
    60_000,
  );
  try {
    const axons = (JSON.parse(line) as { port: number; delayMs: number }[]).map((a) => ({
      ...a,
      ip: '127.0.0.1',
      hotkey: bob.ss58Address,
    }));
    const slowest = axons.reduce((a, b) => (b.delayMs > a.delayMs ? b : a));
    const dendrite = new Dendrite(
      { keypair: alice, requireAxonSignature: true },
      { logger: pino({ level: 'silent' }) },
    );
    await dendrite.query(axons, Dummy, { dummy_input: 0 }, { timeout: 30 }); // warm connections
    const single: number[] = [];
    const fan: number[] = [];
    const cpu: number[] = [];
    let failures = 0;
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      const one = await dendrite.call(slowest, Dummy, { dummy_input: i });
      single.push(performance.now() - t);
      if (!one.ok) failures++;
      const axonCpu0 = cpuSeconds(child.pid);
      const ownCpu0 = process.cpuUsage();
      t = performance.now();
      const all = await dendrite.query(axons, Dummy, { dummy_input: i }, { timeout: 30 });
      fan.push(performance.now() - t);
      const axonCpu1 = cpuSeconds(child.pid);
      const own = process.cpuUsage(ownCpu0);
      if (axonCpu0 !== undefined && axonCpu1 !== undefined) {
        cpu.push(axonCpu1 - axonCpu0 + (own.user + own.system) / 1e6);
      }
      failures += all.filter((r) => !r.ok).length;
    }
    await dendrite.close();
    return {
      slowestMs,
      singleMs: median(single),
      fanMs: median(fan),
      ...(cpu.length ? { cpuPerFanout: median(cpu) } : {}),
      failures,
    };
  } finally {
    child.kill();
  }
}
