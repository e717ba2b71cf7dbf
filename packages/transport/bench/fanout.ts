// The fan-out leg: one dendrite (this process) queries `count` axons, spread over `shards`
// separate processes, next to an aiohttp client (bench/fanout_aiohttp.py) doing the same
// fan-out to the same axons (bench/fanout-report.ts prints it).
import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import {
  type AxonTarget,
  axonMessage,
  Dendrite,
  type DendriteOptions,
  requestMessage,
  verifyWrapped,
} from '../src/index.js';
import { cpuSeconds, here, median, spawnReady, TSX } from './harness.js';
import { presignedFanout } from './presigned-fanout.js';
import { alice, bob, Dummy } from './signed-requests.js';

const PYTHON = '/usr/bin/python3';
/** Between fan-outs, in both clients. */
export const PAUSE_MS = 20;

export interface FanoutOptions {
  slowestMs: number;
  count?: number;
  /** Measured fan-outs per block. */
  rounds?: number;
  /** Blocks of rounds, dendrite and aiohttp interleaved. */
  blocks?: number;
  /** Axon processes. */
  shards?: number;
  dendrite?: Partial<DendriteOptions>;
  /** Run the aiohttp baseline (when present). Default true. */
  aiohttp?: boolean;
}

export interface AiohttpResult {
  fanMs: number;
  cpuUsPerCall: number;
  failures: number;
}

export interface FanoutResult {
  slowestMs: number;
  count: number;
  shards: number;
  /** The slowest axon queried alone (median). */
  singleMs: number;
  /** All axons queried at once (median). */
  fanMs: number;
  /** This process's CPU (all threads) per call during a fan-out (median over the rounds). */
  cpuUsPerCall: number;
  /** The axon processes' CPU per fan-out (median), when /proc is there. */
  axonCpuMs?: number;
  /** sign + verify of one call's messages in a tight loop, sampled after each fan-out (median). */
  cryptoUsPerCall: number;
  failures: number;
  /** Failed results by error code (or status). */
  failureCodes: Record<string, number>;
  /** The aiohttp baseline, or why it was skipped. */
  aiohttp: AiohttpResult | { skipped: string };
}

export function aiohttpMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import aiohttp'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `${PYTHON} with python3-aiohttp not found`;
}

/**
 * sign(request message) + verify(axon countersignature), the sr25519 work of one call: CPU µs
 * per pair over `pairs` pairs. Sampled after every fan-out, so that it sees the same machine.
 */
export function cryptoPerCallUs(pairs = 50): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < pairs; i++) {
    alice.sign(REQUEST);
    verifyWrapped(REPLY, COUNTERSIG, bob.publicKey);
  }
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / pairs;
}
const REQUEST = requestMessage(1n, alice.ss58Address, bob.ss58Address, 'u', 'h'.repeat(64));
const REPLY = new TextEncoder().encode(axonMessage(1n, alice.ss58Address, bob.ss58Address, 'u'));
const COUNTERSIG = bob.sign(REPLY);

async function startAxons(count: number, slowestMs: number, shards: number) {
  const children: ChildProcess[] = [];
  const axons: (AxonTarget & { index: number; delayMs: number })[] = [];
  try {
    const started = await Promise.all(
      Array.from({ length: shards }, (_, shard) =>
        spawnReady(
          process.execPath,
          [...TSX, `${here}fanout-server.ts`, `${count}`, `${slowestMs}`, `${shard}`, `${shards}`],
          'AXONS',
          120_000,
        ),
      ),
    );
    for (const { child, line } of started) {
      children.push(child);
      for (const a of JSON.parse(line) as { index: number; port: number; delayMs: number }[]) {
        axons.push({ ...a, ip: '127.0.0.1', hotkey: bob.ss58Address });
      }
    }
  } catch (err) {
    for (const c of children) c.kill();
    throw err;
  }
  axons.sort((a, b) => a.index - b.index);
  return { children, axons };
}

const axonCpu = (children: ChildProcess[]) => {
  let sum = 0;
  for (const c of children) {
    const s = cpuSeconds(c.pid);
    if (s === undefined) return undefined;
    sum += s;
  }
  return sum;
};

function runAiohttp(dir: string, axons: AxonTarget[], rounds: number): AiohttpResult {
  const file = join(dir, `aiohttp-${Date.now()}.json`);
  // One extra round warms aiohttp's connections; every request is used once.
  const signed = presignedFanout(axons, rounds + 1, `aiohttp-${process.pid}-${Date.now()}`);
  writeFileSync(file, JSON.stringify({ axons: axons.map((a) => a.port), rounds: signed }));
  const r = spawnSync(PYTHON, [join(here, 'fanout_aiohttp.py'), file, String(PAUSE_MS)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`fanout_aiohttp.py failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    wallMs: number[];
    cpuUs: number[];
    failures: number;
  };
  return {
    fanMs: median(out.wallMs),
    cpuUsPerCall: median(out.cpuUs) / axons.length,
    failures: out.failures,
  };
}

export async function fanout(o: FanoutOptions): Promise<FanoutResult> {
  const count = o.count ?? 256;
  const rounds = o.rounds ?? 5;
  const blocks = o.blocks ?? 3;
  const shards = o.shards ?? 2;
  const missing = o.aiohttp === false ? 'not asked for' : aiohttpMissing();
  const dir = mkdtempSync(join(tmpdir(), 'transport-fanout-'));
  const { children, axons } = await startAxons(count, o.slowestMs, shards);
  try {
    const slowest = axons.reduce((a, b) => (b.delayMs > a.delayMs ? b : a));
    const dendrite = new Dendrite(
      { keypair: alice, requireAxonSignature: true, ...o.dendrite },
      { logger: pino({ level: 'silent' }) },
    );
    await dendrite.query(axons, Dummy, { dummy_input: 0 }, { timeout: 30 }); // warm connections
    await dendrite.query(axons, Dummy, { dummy_input: 0 }, { timeout: 30 });
    const single: number[] = [];
    const fan: number[] = [];
    const cpu: number[] = [];
    const axonMs: number[] = [];
    const cryptoUs: number[] = [];
    const py: AiohttpResult[] = [];
    let failures = 0;
    const failureCodes: Record<string, number> = {};
    for (let b = 0; b < blocks; b++) {
      for (let i = 0; i < rounds; i++) {
        // A pause between fan-outs, as between a validator's steps (and in the aiohttp client):
        // undici reuses a connection only an event-loop turn after its reply, so a fan-out
        // sent on the heels of the last one would open a second connection to every axon.
        await new Promise((r) => setTimeout(r, PAUSE_MS));
        let t = performance.now();
        const one = await dendrite.call(slowest, Dummy, { dummy_input: i });
        single.push(performance.now() - t);
        if (!one.ok) failures++;
        await new Promise((r) => setTimeout(r, PAUSE_MS));
        const axon0 = axonCpu(children);
        const own0 = process.cpuUsage();
        t = performance.now();
        const all = await dendrite.query(axons, Dummy, { dummy_input: i }, { timeout: 30 });
        fan.push(performance.now() - t);
        const own = process.cpuUsage(own0);
        const axon1 = axonCpu(children);
        cpu.push((own.user + own.system) / count);
        cryptoUs.push(cryptoPerCallUs());
        if (axon0 !== undefined && axon1 !== undefined) axonMs.push((axon1 - axon0) * 1000);
        for (const r of all) {
          if (r.ok) continue;
          failures++;
          const code = r.error ?? String(r.dendrite.status_code);
          failureCodes[code] = (failureCodes[code] ?? 0) + 1;
        }
      }
      if (!missing) py.push(runAiohttp(dir, axons, rounds));
    }
    await dendrite.close();
    return {
      slowestMs: o.slowestMs,
      count,
      shards,
      singleMs: median(single),
      fanMs: median(fan),
      cpuUsPerCall: median(cpu),
      ...(axonMs.length ? { axonCpuMs: median(axonMs) } : {}),
      cryptoUsPerCall: median(cryptoUs),
      failures,
      failureCodes,
      aiohttp: missing
        ? { skipped: missing }
        : {
            fanMs: median(py.map((p) => p.fanMs)),
            cpuUsPerCall: median(py.map((p) => p.cpuUsPerCall)),
            failures: py.reduce((n, p) => n + p.failures, 0),
          },
    };
  } finally {
    for (const c of children) c.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
