// Transport benchmarks, printed with ratios measured in this one run (no timing assertions).
//   1. sr25519 costs: schnorrkel-wasm (the verifier pool's library) and the wallet's, one thread
//   2. axon: signed requests verified and countersigned (inline and with worker pools) vs the
//      crypto floor (cores / (verify + sign)); the unsigned path (401) vs bare node:http;
//      FastAPI+uvicorn echo when installed
//   3. dendrite: fan-out to 256 local axons vs the slowest handler, and the dendrite's CPU per
//      call vs an aiohttp client doing the same fan-out (bench/fanout-report.ts)
// Servers and the load generator run in separate processes, but on the same cores.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_VERIFY_WORKERS } from '../src/axon/options.js';
import { concurrentPairs, schnorrkel, walletCrypto } from './crypto-floor.js';
import { fanoutSection } from './fanout-report.js';
import {
  fmt,
  freePort,
  here,
  type LoadResult,
  load,
  median,
  rate,
  report,
  spawnReady,
  TSX,
  waitForPort,
} from './harness.js';
import { signedRequests } from './signed-requests.js';

const cfg = {
  durationMs: Number(process.env.BENCH_DURATION_MS ?? 3000),
  warmupMs: 700,
  connections: 32,
};
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CORES = availableParallelism();
const load1 = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

const tmp = mkdtempSync(join(tmpdir(), 'transport-bench-'));
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

console.log(
  `# @subnetkit/transport bench — node ${process.version}, ${cfg.durationMs} ms per run, ` +
    `${cfg.connections} connections, ${ROUNDS} rounds\n` +
    `# ${CORES} cores, SHARED: the load generator, the server under test and (for the fan-out)\n` +
    `# the 256 axons and the dendrite all run on these ${CORES} cores, with whatever else the\n` +
    `# machine runs (load average ${load1()} at the start).\n`,
);

// --- 1. sr25519 costs ----------------------------------------------------------------------------
console.log('## sr25519 (one thread; best of 6 samples, wall and CPU µs per operation)');
const skVerify = schnorrkel.verify();
const skSign = schnorrkel.sign();
const wcVerify = walletCrypto.verify();
const wcSign = walletCrypto.sign();
const cost = (c: { us: number; cpuUs: number }) =>
  `${fmt(1e6 / c.us).padStart(6)} /s  (${fmt(c.us)} µs, ${fmt(c.cpuUs)} µs CPU)`;
report('schnorrkel-wasm verify (verifier pool)', cost(skVerify));
report('schnorrkel-wasm sign (verifier pool countersignature)', cost(skSign));
report('@polkadot/wasm-crypto verify (the pool before)', cost(wcVerify));
report('Keypair.sign (wallet)', cost(wcSign));

// --- 2. HTTP servers --------------------------------------------------------------------------
// Other work on the machine shifts absolute numbers, so every server stays up and the runs are
// interleaved in rounds; each figure is the median over the rounds, each ratio the median of
// its per-round ratios (both sides measured back to back). The CPU columns are the server's
// own CPU per answered request (all its threads) and the load generator's.
console.log('\n## axon throughput (load generator in a separate process, median of rounds)');
const echoPort = await freePort();
const echo = spawn(
  process.execPath,
  [
    '-e',
    `require('node:http').createServer((q,s)=>{const c=[];q.on('data',d=>c.push(d));q.on('end',()=>{const b=Buffer.concat(c);s.writeHead(200,{'content-type':'application/json','content-length':b.length});s.end(b)})}).listen(${echoPort},'127.0.0.1')`,
  ],
  { stdio: 'ignore' },
);
children.push(echo);
await waitForPort(echoPort);
const servers: Record<string, { port: number; pid: number | undefined }> = {
  bare: { port: echoPort, pid: echo.pid },
};
const pingBody = '{"name":"Synapse","timeout":12.0}';
const plain = { headers: { 'content-type': 'application/json' }, body: pingBody };

const pyOk =
  spawnSync('/usr/bin/python3', ['-c', 'import fastapi, uvicorn'], { encoding: 'utf8' }).status ===
  0;
if (pyOk) {
  const port = await freePort();
  const py = spawn('/usr/bin/python3', [join(here, 'echo_fastapi.py'), String(port)], {
    stdio: 'ignore',
  });
  children.push(py);
  await waitForPort(port);
  servers.fastapi = { port, pid: py.pid };
} else {
  console.log('  (FastAPI+uvicorn leg skipped: python3-fastapi / python3-uvicorn not installed)');
}
const WORKERS = [...new Set([0, 1, 2, DEFAULT_VERIFY_WORKERS])].sort();
for (const workers of WORKERS) {
  const { child, line } = await spawnReady(
    process.execPath,
    [...TSX, join(here, 'axon-server.ts'), JSON.stringify({ workers })],
    'PORT',
  );
  children.push(child);
  servers[`axon${workers}`] = { port: Number(line), pid: child.pid };
}
const results: Record<string, LoadResult[]> = {};
const run = (key: string, server: string, path: string, extra: Record<string, unknown>) => {
  const r = load(servers[server]!, path, cfg, extra);
  results[key] = [...(results[key] ?? []), r];
  return r;
};
// Pre-signed requests, each used once: enough for the fastest server this machine could run.
// (A lane that runs out stops; the rate is taken up to the last answer, so it stays right.)
const perRun = Math.ceil(
  ((cfg.durationMs + cfg.warmupMs) / 1000) * ((CORES * 1e6) / (skVerify.us + skSign.us)),
);
const ratios: Record<string, number[]> = {};
const addRatio = (key: string, v: number) => {
  ratios[key] = [...(ratios[key] ?? []), v];
};
const floors: number[] = [];
const floorOf = (v: number, s: number) => (CORES * 1e6) / (v + s);
for (let round = 0; round < ROUNDS; round++) {
  const bare = run('bare', 'bare', '/Synapse', plain);
  const ping = run('ping', `axon${DEFAULT_VERIFY_WORKERS}`, '/Synapse', plain);
  addRatio('ping/bare', rate(ping) / rate(bare));
  if (servers.fastapi) run('fastapi', 'fastapi', '/Synapse', plain);
  // The crypto floor of this round: cores / (verify + sign), timed just before its runs.
  const floor = floorOf(schnorrkel.verify(3).us, schnorrkel.sign(3).us);
  floors.push(floor);
  for (const workers of WORKERS) {
    const file = join(tmp, `signed-${workers}-${round}.json`);
    writeFileSync(file, signedRequests(perRun, cfg.connections));
    const r = run(`signed${workers}`, `axon${workers}`, '/Dummy', { file });
    addRatio(`signed${workers}`, rate(r) / floor);
  }
}
for (const c of children) c.kill();
const together = await concurrentPairs(CORES);

const medRate = (key: string) => median(results[key]!.map(rate));
const medOf = (key: string, f: (r: LoadResult) => number | undefined) => {
  const xs = results[key]!.map(f).filter((x): x is number => x !== undefined);
  return xs.length ? median(xs) : undefined;
};
const medCpu = (key: string) => medOf(key, (r) => r.cpuUsPerRequest);
const medGen = (key: string) => medOf(key, (r) => r.loadgenCpuUsPerRequest);
const statuses = (key: string) => {
  const all: Record<string, number> = {};
  for (const r of results[key]!)
    for (const [s, n] of Object.entries(r.statuses)) all[s] = (all[s] ?? 0) + n;
  return all;
};
const line = (label: string, key: string, note = '') => {
  const cpu = medCpu(key);
  const gen = medGen(key);
  report(
    label,
    `${fmt(medRate(key)).padStart(6)} req/s` +
      (cpu !== undefined ? `  ${fmt(cpu).padStart(5)} µs server CPU/req` : '') +
      (gen !== undefined ? `  ${fmt(gen).padStart(4)} µs loadgen CPU/req` : '') +
      note,
  );
};
const modeName = (w: number) =>
  w === 0
    ? 'inline'
    : `${w} worker${w > 1 ? 's' : ''}${w === DEFAULT_VERIFY_WORKERS ? ' (default)' : ''}`;
line('bare node:http echo', 'bare');
if (results.fastapi) line('FastAPI + uvicorn echo (1 worker)', 'fastapi');
line('axon, unsigned (always 401, no crypto)', 'ping', `  ${JSON.stringify(statuses('ping'))}`);
for (const workers of WORKERS) {
  const bad = Object.entries(statuses(`signed${workers}`)).filter(([s]) => s !== '200');
  line(
    `axon, signed + verified + countersigned, ${modeName(workers)}`,
    `signed${workers}`,
    bad.length ? `  non-200: ${JSON.stringify(Object.fromEntries(bad))}` : '',
  );
}
const floor = median(floors);
report(
  `crypto floor: ${CORES} cores / (verify + sign), schnorrkel-wasm`,
  `${fmt(floor).padStart(6)} req/s  (median of the rounds)`,
);
report(
  `  the same, ${CORES} threads looping verify + sign at once`,
  `${fmt(together).padStart(6)} pairs/s  (what the machine gave just now)`,
);

// --- 3. dendrite fan-out -------------------------------------------------------------------
// bench/fanout-report.ts: fan-out time vs the slowest handler, dendrite CPU per call vs aiohttp.
await fanoutSection();

// --- summary ------------------------------------------------------------------------------------
console.log('\n## axon ratios (issue 18)');
const pq = median(ratios['ping/bare']!);
const bareCpu = medCpu('bare');
const pingCpu = medCpu('ping');
const target = (id: string, ratio: number, goal: string, met: boolean, what: string) =>
  console.log(`TARGET ${id} ${ratio.toFixed(2)} ${goal} ${met ? 'met' : 'missed'} ${what}`);
target(
  'axon-unsigned',
  pq,
  '>=0.60',
  pq >= 0.6,
  `unsigned axon (401) ${fmt(medRate('ping'))} req/s vs bare node:http ${fmt(medRate('bare'))} req/s` +
    (bareCpu !== undefined && pingCpu !== undefined
      ? ` (server CPU ${fmt(pingCpu)} vs ${fmt(bareCpu)} µs/req: ${fmt(bareCpu / pingCpu, 2)} by CPU)`
      : '') +
    `, load ${load1()}`,
);
const sq = median(ratios[`signed${DEFAULT_VERIFY_WORKERS}`]!);
const sCpu = medCpu(`signed${DEFAULT_VERIFY_WORKERS}`);
const sGen = medGen(`signed${DEFAULT_VERIFY_WORKERS}`);
const cryptoUs = skVerify.cpuUs + skSign.cpuUs;
target(
  'axon-signed',
  sq,
  '>=0.80',
  sq >= 0.8,
  `signed axon (${modeName(DEFAULT_VERIFY_WORKERS)}) ${fmt(medRate(`signed${DEFAULT_VERIFY_WORKERS}`))} req/s vs crypto floor ${fmt(floor)} req/s (${CORES} cores / (verify + sign), schnorrkel-wasm)` +
    (sCpu !== undefined
      ? `; server CPU ${fmt(sCpu)} µs/req of which crypto ${fmt(cryptoUs)}`
      : '') +
    (sGen !== undefined ? `, load generator ${fmt(sGen)} µs/req on the same cores` : '') +
    `, load ${load1()}`,
);
for (const w of WORKERS) {
  console.log(
    `  ${`signed axon, ${modeName(w)} / crypto floor`.padEnd(62)} ${fmt(median(ratios[`signed${w}`]!), 2).padStart(6)}`,
  );
}
if (sCpu !== undefined && sGen !== undefined) {
  // On saturated cores req/s ≈ cores / (all CPU per request): this is the ratio that CPU allows.
  console.log(
    `  ${'  crypto / (server + load generator CPU per request)'.padEnd(62)} ${fmt(cryptoUs / (sCpu + sGen), 2).padStart(6)}  (the ratio the CPU spent allows on saturated cores)`,
  );
}
if (results.fastapi) {
  const best = Math.max(...WORKERS.map((w) => medRate(`signed${w}`)));
  console.log(
    `  ${'signed axon (best mode) / FastAPI echo (unsigned)'.padEnd(62)} ${fmt(best / medRate('fastapi'), 2).padStart(6)}  (info)`,
  );
}
const best = WORKERS.reduce((a, b) => (medRate(`signed${b}`) > medRate(`signed${a}`) ? b : a));
console.log(`\n  load average at the end: ${load1()}`);
console.log(
  `  fastest verification mode here: ${best === 0 ? 'inline (verifyWorkers: 0)' : `${best} worker threads`}`,
);
process.exit(0);
