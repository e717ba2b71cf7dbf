// Signed requests per second on each wire (synapse, btauth/1, Epistula v2, Fiber plain) through
// the real axon on loopback, against the crypto floor measured in this same run: the sr25519
// work the axon must do per request (a verify on every wire, plus the reply's countersignature
// on Synapse), in a tight loop on this machine, times the cores the axon uses for it (one: with
// `verifyWorkers: 0` the Synapse wire verifies on the event loop, and the signed wires always
// do). Printed as a ratio per wire, with the load average; no timing assertions.
//
// One axon serves all four wires (its own process, as bench/axon-server.ts); the load
// generator (bench/loadgen.ts, its own process) sends requests pre-signed by this process
// before each run, each used once (replay protection), one lane per connection.
//   tsx --conditions=@subnetkit/source bench/wires.ts          # the bench
//   tsx --conditions=@subnetkit/source bench/wires.ts serve    # the axon it spawns
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifySignature } from '@subnetkit/wallet';
import { pino } from 'pino';
import {
  axonMessage,
  createAxon,
  requestMessage,
  verifyWrapped,
  type WireName,
} from '../src/index.js';
import { btauthPayload, epistulaMessage, fiberMessage, fiberNonce } from '../src/wires/index.js';
import { sha256Hex } from '../src/wires/shared.js';
import { fmt, here, type LoadResult, load, median, rate, spawnReady, TSX } from './harness.js';
import { alice, bob, Dummy, signedRequests, signedWireRequests } from './signed-requests.js';

const WIRES: WireName[] = ['synapse', 'btauth', 'epistula', 'fiber'];
/**
 * btauth's and Epistula's freshness windows on the bench axon (defaults: 10 s back). A run's
 * requests are signed before it starts, so the last one sent is up to the signing time, the
 * load generator's start-up and the run old; a wider window changes no per-request work.
 */
const WINDOW_MS = 60_000;
/** The cores the axon's crypto runs on: its event loop (`verifyWorkers: 0`). */
const AXON_CORES = 1;

if (process.argv[2] === 'serve') {
  const axon = createAxon(
    {
      keypair: bob,
      host: '127.0.0.1',
      port: 0,
      verifyWorkers: 0,
      rateLimit: false,
      maxConcurrency: 1024,
      maxQueue: 4096,
      maxConnections: 4096,
      wires: WIRES,
      btauth: { scheme: 'sr25519', window: { maxAgeMs: WINDOW_MS, skewMs: 2_000 } },
      epistula: { maxAgeMs: WINDOW_MS },
    },
    { logger: pino({ level: 'silent' }) },
  ).attach(Dummy, { forward: (i) => ({ dummy_output: i.dummy_input * 2 }) });
  await axon.start();
  process.stdout.write(`PORT ${axon.port}\n`);
  process.on('SIGTERM', () => void axon.stop({ graceMs: 100 }).then(() => process.exit(0)));
} else {
  await bench();
}

async function bench(): Promise<void> {
  const cfg = {
    durationMs: Number(process.env.BENCH_DURATION_MS ?? 3000),
    warmupMs: 700,
    connections: 32,
  };
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
  const CORES = availableParallelism();
  const loads = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const tmp = mkdtempSync(join(tmpdir(), 'transport-bench-wires-'));
  const { child: server, line } = await spawnReady(
    process.execPath,
    [...TSX, join(here, 'wires.ts'), 'serve'],
    'PORT',
  );
  process.on('exit', () => {
    server.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  });
  const axon = { port: Number(line), pid: server.pid };

  console.log(
    `# @subnetkit/transport wires bench — node ${process.version}, ${cfg.durationMs} ms per run, ` +
      `${cfg.connections} connections, ${ROUNDS} rounds\n` +
      `# one axon serving synapse, btauth, epistula and fiber (verifyWorkers: 0, rate limit off,\n` +
      `# btauth/Epistula windows ${WINDOW_MS / 1000} s back), the load generator and this process on\n` +
      `# the same ${CORES} cores, with whatever else the machine runs (load average ${loads()}).\n`,
  );

  // --- the crypto floor: what the axon must do per request, in a tight loop ------------------
  const utf8 = new TextEncoder();
  const body = JSON.stringify({ dummy_input: 7 });
  const nonce = 1_752_076_800_000_000_000n;
  const sigOf = (m: Uint8Array) => ({ m, s: alice.sign(m) });
  const synapseJob = sigOf(
    utf8.encode(requestMessage(nonce, alice.ss58Address, bob.ss58Address, 'u', 'h'.repeat(64))),
  );
  const countersign = utf8.encode(axonMessage(nonce, alice.ss58Address, bob.ss58Address, 'a'));
  const jobs = {
    btauth: sigOf(
      btauthPayload({
        scheme: 'sr25519',
        method: 'POST',
        pathAndQuery: '/Dummy',
        body: utf8.encode(body),
        nonce,
        sender: alice.ss58Address,
        receiver: bob.ss58Address,
      }),
    ),
    epistula: sigOf(
      utf8.encode(
        epistulaMessage(sha256Hex(utf8.encode(body)), crypto.randomUUID(), '1', bob.ss58Address),
      ),
    ),
    fiber: sigOf(
      utf8.encode(fiberMessage(fiberNonce(nonce), bob.ss58Address, sha256Hex(utf8.encode(body)))),
    ),
  };
  /** One request's crypto on the axon: the same calls its pipeline makes. */
  const floorOp: Record<WireName, () => unknown> = {
    // verifyWrapped (the raw form holds at once) and the reply's countersignature.
    synapse: () => {
      verifyWrapped(synapseJob.m, synapseJob.s, alice.publicKey);
      return bob.sign(countersign);
    },
    // The signed wires verify with @subnetkit/wallet; their replies are not signed.
    btauth: () => verifySignature(jobs.btauth.m, jobs.btauth.s, alice.publicKey),
    epistula: () => verifySignature(jobs.epistula.m, jobs.epistula.s, alice.publicKey),
    fiber: () => verifySignature(jobs.fiber.m, jobs.fiber.s, alice.publicKey),
  };
  const opsPerSecond = (ms: number, op: () => unknown) => {
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) {
      for (let i = 0; i < 10; i++) op();
      n += 10;
    }
    return n / ((performance.now() - t0) / 1000);
  };
  // Best of three short samples: other work on the machine only slows a sample down.
  const floorRate = (wire: WireName) =>
    AXON_CORES * Math.max(...[0, 1, 2].map(() => opsPerSecond(200, floorOp[wire])));

  // --- the runs, interleaved by round --------------------------------------------------------
  const results: Record<string, LoadResult[]> = {};
  const floors: Record<string, number[]> = {};
  const ratios: Record<string, number[]> = {};
  const signing: Record<string, number[]> = {};
  const exhausted: Record<string, number> = {};
  const push = <T>(m: Record<string, T[]>, k: string, v: T) => {
    m[k] = [...(m[k] ?? []), v];
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const wire of WIRES) {
      const floor = floorRate(wire);
      // The axon cannot pass its crypto floor: 1.5 × floor × the run is enough to never run dry.
      const count =
        Math.ceil((floor * 1.5 * (cfg.warmupMs + cfg.durationMs)) / 1000) + 2 * cfg.connections;
      // Pre-signed here, before the load generator starts: outside the measured window.
      const t0 = performance.now();
      const requests =
        wire === 'synapse'
          ? signedRequests(count, cfg.connections)
          : signedWireRequests(wire, count, cfg.connections);
      push(signing, wire, performance.now() - t0);
      const file = join(tmp, `${wire}-${round}.json`);
      writeFileSync(file, requests);
      const r = load(axon, '/Dummy', cfg, { file });
      rmSync(file);
      if (((r as LoadResult & { total?: number }).total ?? 0) >= count - cfg.connections) {
        exhausted[wire] = (exhausted[wire] ?? 0) + 1;
      }
      push(results, wire, r);
      push(floors, wire, floor);
      push(ratios, wire, rate(r) / floor);
    }
  }
  server.kill();

  console.log(
    `## signed requests through the axon vs its crypto floor (× ${AXON_CORES} core), median of ${ROUNDS} rounds`,
  );
  const cols = (...xs: string[]) =>
    console.log(
      `  ${xs[0]!.padEnd(9)}${xs
        .slice(1)
        .map((x, i) => x.padStart([9, 11, 26, 12, 12, 13, 10][i]!))
        .join('')}`,
    );
  cols(
    'wire',
    'req/s',
    'CPU µs/req',
    'crypto floor /s (µs)',
    'axon/floor',
    'floor/CPU',
    'pre-sign ms',
    'non-200',
  );
  const floorWhat: Record<WireName, string> = {
    synapse: 'verify + countersign',
    btauth: 'verify',
    epistula: 'verify',
    fiber: 'verify',
  };
  for (const wire of WIRES) {
    const rs = results[wire]!;
    const cpu = rs.map((r) => r.cpuUsPerRequest).filter((x) => x !== undefined);
    const statuses: Record<string, number> = {};
    for (const r of rs)
      for (const [s, n] of Object.entries(r.statuses)) {
        if (s !== '200') statuses[s] = (statuses[s] ?? 0) + n;
      }
    const floor = median(floors[wire]!);
    cols(
      wire,
      fmt(median(rs.map(rate))),
      cpu.length ? fmt(median(cpu)) : '—',
      `${fmt(floor)} (${fmt(1e6 / floor)})`,
      fmt(median(ratios[wire]!), 2),
      cpu.length ? fmt(1e6 / floor / median(cpu), 2) : '—',
      fmt(median(signing[wire]!)),
      Object.keys(statuses).length ? JSON.stringify(statuses) : '0',
    );
  }
  console.log(
    `\n  crypto floor: the sr25519 work per request on the axon (${WIRES.map((w) => `${w}: ${floorWhat[w]}`).join(', ')}),\n` +
      `  best of 3 × 200 ms right before each run, × ${AXON_CORES} core; axon/floor is taken per round, then the median.\n` +
      `  CPU µs/req is the axon process's own CPU (all threads) per answered request, warm-up included;\n` +
      `  floor/CPU is the crypto's share of it: the axon/floor ratio it would reach with a core to itself.`,
  );
  for (const [wire, n] of Object.entries(exhausted)) {
    console.log(
      `  NOTE ${wire}: ${n} run(s) used up the pre-signed requests; their req/s is a lower bound`,
    );
  }
  console.log(`\n  load average at the end: ${loads()}`);
  process.exit(0);
}
