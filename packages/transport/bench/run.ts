// Transport benchmarks, printed with ratios measured in this one run (no timing assertions).
//   1. raw sr25519 verify rate (wasm, one thread)
//   2. axon: signed requests verified (inline and with worker pools) vs bare node:http echo vs
//      FastAPI+uvicorn echo; the unsigned ping path (401 fast path) vs bare node:http
//   3. dendrite: fan-out to 256 local axons vs the slowest single axon
// Servers and the load generator run in separate processes (2 cores here: one each).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sr25519Verify } from '@polkadot/wasm-crypto';
import { Keypair } from '@subnetkit/wallet';
import { pino } from 'pino';
import { z } from 'zod';
import {
  computeBodyHash,
  Dendrite,
  defineSynapse,
  encodeSynapseBody,
  encodeSynapseHeaders,
  NonceClock,
  PROTOCOL_VERSION,
  requestMessage,
  requestValues,
} from '../src/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const TSX = ['--conditions=@subnetkit/source', '--import', 'tsx'];
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3000);
const WARMUP_MS = 700;
const CONNECTIONS = 32;

const alice = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const Dummy = defineSynapse({
  name: 'Dummy',
  input: { dummy_input: z.int() },
  output: { dummy_output: z.int().nullable() },
  hashFields: ['dummy_input'],
});

const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const rows: [string, string][] = [];
function report(label: string, value: string) {
  rows.push([label, value]);
  console.log(`  ${label.padEnd(52)} ${value}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Spawns a child and resolves with the first stdout line matching `prefix`. */
function spawnReady(
  cmd: string,
  args: string[],
  prefix: string,
  timeoutMs = 20_000,
): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: join(here, '..') });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} did not start: ${stderr}`)), timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(prefix)) {
        clearTimeout(timer);
        resolve({ child, line: line.slice(prefix.length).trim() });
      }
    });
    child.on('exit', (code) => reject(new Error(`${cmd} exited ${code}: ${stderr}`)));
  });
}

async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const { request } = await import('undici');
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const res = await request(`http://127.0.0.1:${port}/Synapse`, { method: 'POST', body: '{}' });
      await res.body.dump();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`port ${port} never answered`);
}

interface LoadResult {
  count: number;
  seconds: number;
  statuses: Record<string, number>;
}

function load(port: number, path: string, extra: Record<string, unknown>): LoadResult {
  const cfg = {
    url: `http://127.0.0.1:${port}`,
    path,
    connections: CONNECTIONS,
    durationMs: DURATION_MS,
    warmupMs: WARMUP_MS,
    ...extra,
  };
  const r = spawnSync(process.execPath, [...TSX, join(here, 'loadgen.ts'), JSON.stringify(cfg)], {
    encoding: 'utf8',
    cwd: join(here, '..'),
    maxBuffer: 16 << 20,
  });
  if (r.status !== 0) throw new Error(`loadgen failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as LoadResult;
}

const rate = (r: LoadResult) => r.count / r.seconds;

/** Pre-signed requests: one (uuid, increasing nonce) lane per connection. */
function signedRequests(total: number): string {
  const clock = new NonceClock();
  const perLane = Math.ceil(total / CONNECTIONS);
  const lanes = [];
  for (let c = 0; c < CONNECTIONS; c++) {
    const uuid = `bench-${process.pid}-${Date.now()}-${c}`;
    const lane = [];
    for (let k = 0; k < perLane; k++) {
      const input = { dummy_input: k };
      const values = requestValues(Dummy, input);
      const bodyHash = computeBodyHash(Dummy, values);
      const nonce = clock.next();
      const sig = alice.sign(
        requestMessage(nonce, alice.ss58Address, bob.ss58Address, uuid, bodyHash),
      );
      const dendrite = {
        ip: '127.0.0.1',
        version: PROTOCOL_VERSION,
        nonce,
        uuid,
        hotkey: alice.ss58Address,
        signature: `0x${Buffer.from(sig).toString('hex')}`,
      };
      const axon = { ip: '127.0.0.1', port: 0, hotkey: bob.ss58Address };
      const env = { timeout: 60, dendrite, axon };
      lane.push({
        headers: {
          ...encodeSynapseHeaders(Dummy, values, { ...env, bodyHash }),
          'content-type': 'application/json',
        },
        body: encodeSynapseBody(Dummy, values, env),
      });
    }
    lanes.push(lane);
  }
  return JSON.stringify(lanes);
}

const tmp = mkdtempSync(join(tmpdir(), 'transport-bench-'));
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

console.log(
  `# @subnetkit/transport bench — ${cpus().length} cores, node ${process.version}, ${DURATION_MS} ms per run, ${CONNECTIONS} connections, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);

// --- 1. raw verify rate -----------------------------------------------------------------------
console.log('## sr25519 verification');
const msg = new TextEncoder().encode(
  requestMessage(1n, alice.ss58Address, bob.ss58Address, 'u', 'h'.repeat(64)),
);
const sig = alice.sign(msg);
let verified = 0;
const vStart = performance.now();
while (performance.now() - vStart < 1000) {
  for (let i = 0; i < 100; i++) if (sr25519Verify(sig, msg, alice.publicKey)) verified++;
}
const rawVerify = verified / ((performance.now() - vStart) / 1000);
report('raw wasm sr25519 verify (1 thread)', `${fmt(rawVerify)} /s`);
let signed = 0;
const sStart = performance.now();
while (performance.now() - sStart < 500) {
  for (let i = 0; i < 20; i++) {
    alice.sign(msg);
    signed++;
  }
}
report(
  'sr25519 sign via Keypair (1 thread)',
  `${fmt(signed / ((performance.now() - sStart) / 1000))} /s`,
);

// --- 2. HTTP servers --------------------------------------------------------------------------
// Other work on the machine shifts absolute numbers, so every server stays up and the runs are
// interleaved in rounds; each figure is the median over the rounds.
console.log('\n## axon throughput (load generator in a separate process, median of rounds)');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
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
const pingBody = '{"name":"Synapse","timeout":12.0}';
const plain = { headers: { 'content-type': 'application/json' }, body: pingBody };

const pyOk =
  spawnSync('/usr/bin/python3', ['-c', 'import fastapi, uvicorn'], { encoding: 'utf8' }).status ===
  0;
let fastapiPort: number | undefined;
if (pyOk) {
  fastapiPort = await freePort();
  const py = spawn('/usr/bin/python3', [join(here, 'echo_fastapi.py'), String(fastapiPort)], {
    stdio: 'ignore',
  });
  children.push(py);
  await waitForPort(fastapiPort);
} else {
  console.log('  (FastAPI+uvicorn leg skipped: python3-fastapi / python3-uvicorn not installed)');
}
const axonPorts: Record<number, number> = {};
for (const workers of [0, 1, 2]) {
  const { child, line } = await spawnReady(
    process.execPath,
    [...TSX, join(here, 'axon-server.ts'), JSON.stringify({ workers })],
    'PORT',
  );
  children.push(child);
  axonPorts[workers] = Number(line);
}
const samples: Record<string, number[]> = {};
const statusNotes: Record<string, Record<string, number>> = {};
const sample = (key: string, r: LoadResult) => {
  samples[key] = [...(samples[key] ?? []), rate(r)];
  const notes = statusNotes[key] ?? {};
  statusNotes[key] = notes;
  for (const [s, n] of Object.entries(r.statuses)) notes[s] = (notes[s] ?? 0) + n;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const perRun = Math.ceil((DURATION_MS + WARMUP_MS) / 1000) * 3000;
const verifyRate = (ms: number) => {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms)
    for (let i = 0; i < 20; i++) if (sr25519Verify(sig, msg, alice.publicKey)) n++;
  return n / ((performance.now() - t0) / 1000);
};
// Ratios are taken per round (each pair measured back to back), then the median.
const ratioSamples: Record<string, number[]> = {};
const addRatio = (key: string, v: number) => {
  ratioSamples[key] = [...(ratioSamples[key] ?? []), v];
};
for (let round = 0; round < ROUNDS; round++) {
  sample('bare', load(echoPort, '/Synapse', plain));
  sample('ping', load(axonPorts[0]!, '/Synapse', plain));
  addRatio('ping/bare', samples.ping!.at(-1)! / samples.bare!.at(-1)!);
  if (fastapiPort) sample('fastapi', load(fastapiPort, '/Synapse', plain));
  for (const workers of [0, 1, 2]) {
    // Pre-signed requests, each used once (a fresh file per run: nonces must be new).
    const file = join(tmp, `signed-${workers}-${round}.json`);
    writeFileSync(file, signedRequests(perRun));
    const raw = verifyRate(500);
    sample(`signed${workers}`, load(axonPorts[workers]!, '/Dummy', { file }));
    addRatio(
      `signed${workers}`,
      samples[`signed${workers}`]!.at(-1)! / (raw * Math.max(1, workers)),
    );
  }
}
const bareRate = median(samples.bare!);
const pingRate = median(samples.ping!);
const fastapiRate = samples.fastapi ? median(samples.fastapi) : undefined;
report('bare node:http echo', `${fmt(bareRate)} req/s`);
if (fastapiRate) report('FastAPI + uvicorn echo (1 worker)', `${fmt(fastapiRate)} req/s`);
report(
  'axon, unsigned ping (always 401, no crypto)',
  `${fmt(pingRate)} req/s  ${JSON.stringify(statusNotes.ping)}`,
);
const signedRates: Record<number, number> = {};
for (const workers of [0, 1, 2]) {
  signedRates[workers] = median(samples[`signed${workers}`]!);
  const bad = Object.entries(statusNotes[`signed${workers}`]!).filter(([s]) => s !== '200');
  report(
    `axon, signed + verified + countersigned, ${workers === 0 ? 'inline' : `${workers} worker${workers > 1 ? 's' : ''}`}`,
    `${fmt(signedRates[workers]!)} req/s${bad.length ? `  non-200: ${JSON.stringify(Object.fromEntries(bad))}` : ''}`,
  );
}
for (const c of children) c.kill();
const rawVerifyAfter = (() => {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 1000)
    for (let i = 0; i < 100; i++) if (sr25519Verify(sig, msg, alice.publicKey)) n++;
  return n / ((performance.now() - t0) / 1000);
})();
report('raw wasm sr25519 verify again (after the HTTP runs)', `${fmt(rawVerifyAfter)} /s`);

// --- 3. dendrite fan-out -----------------------------------------------------------------------
console.log('\n## dendrite fan-out (256 axons in one separate process)');
const fanRatios: [number, number, number][] = [];
for (const SLOWEST_MS of [100, 1000]) {
  const { child: fan, line: axonsLine } = await spawnReady(
    process.execPath,
    [...TSX, join(here, 'fanout-server.ts'), '256', String(SLOWEST_MS)],
    'AXONS',
    60_000,
  );
  children.push(fan);
  const axons = (JSON.parse(axonsLine) as { port: number; delayMs: number }[]).map((a) => ({
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
  const fanout: number[] = [];
  let failures = 0;
  for (let i = 0; i < 5; i++) {
    let t = performance.now();
    const one = await dendrite.call(slowest, Dummy, { dummy_input: i });
    single.push(performance.now() - t);
    if (!one.ok) failures++;
    t = performance.now();
    const all = await dendrite.query(axons, Dummy, { dummy_input: i }, { timeout: 30 });
    fanout.push(performance.now() - t);
    failures += all.filter((r) => !r.ok).length;
  }
  await dendrite.close();
  fan.kill();
  const singleMs = median(single);
  const fanMs = median(fanout);
  fanRatios.push([SLOWEST_MS, singleMs, fanMs]);
  report(`slowest single axon (handler ${SLOWEST_MS} ms), median of 5`, `${fmt(singleMs, 1)} ms`);
  report(
    `query 256 axons (handlers ${SLOWEST_MS / 2}–${SLOWEST_MS} ms), median of 5`,
    `${fmt(fanMs, 1)} ms${failures ? `  (${failures} failed results)` : ''}`,
  );
}

// --- summary ------------------------------------------------------------------------------------
const best = Math.max(...Object.values(signedRates));
const bestWorkers = Number(Object.entries(signedRates).find(([, v]) => v === best)![0]);
console.log('\n## ratios (targets from issue 4)');
const line = (label: string, value: number, target: string, ok: boolean) =>
  console.log(
    `  ${label.padEnd(60)} ${fmt(value, 2).padStart(6)}  target ${target}  ${ok ? 'MET' : 'NOT MET'}`,
  );
for (const w of Object.keys(signedRates)) {
  const n = Math.max(1, Number(w));
  const q = median(ratioSamples[`signed${w}`]!);
  line(
    `signed axon (${w === '0' ? 'inline' : `${w} workers`}) / (raw verify × ${n})`,
    q,
    '≥ 0.80',
    q >= 0.8,
  );
}
const pq = median(ratioSamples['ping/bare']!);
line('unsigned ping path / bare node:http', pq, '≥ 0.50', pq >= 0.5);
if (fastapiRate) line('signed axon (best) / FastAPI echo', best / fastapiRate, '(info)', true);
for (const [slow, singleMs, fanMs] of fanRatios) {
  line(
    `256-axon fan-out / slowest single axon (${slow} ms handlers)`,
    fanMs / singleMs,
    '< 2.00',
    fanMs / singleMs < 2,
  );
}
console.log(
  `\n  load average at the end: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log(
  `  fastest verification mode here: ${bestWorkers === 0 ? 'inline (verifyWorkers: 0)' : `${bestWorkers} worker threads`}`,
);
process.exit(0);
