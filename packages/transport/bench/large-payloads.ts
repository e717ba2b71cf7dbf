// Large payloads: MB/s of a signed axon round-trip (dendrite → axon echoing a base64 field of
// the same size) against a bare node:http JSON echo of the same bodies, in one run.
//   bench/large-payloads.ts                 the report (spawns both servers)
//   bench/large-payloads.ts server <kind>   one server, kind = axon | bare (prints PORT n)
// The servers run in their own processes; the client runs here, on the same cores.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { request } from 'undici';
import { z } from 'zod';
import { Axon } from '../src/axon/index.js';
import { Dendrite } from '../src/dendrite/index.js';
import { defineSynapse } from '../src/wire.js';
import { cpuSeconds, fmt, here, median, spawnReady, TSX } from './harness.js';
import { alice, bob } from './signed-requests.js';

/** What a media subnet does: a base64 field in, a base64 field of the same size out. */
const Echo = defineSynapse({
  name: 'Echo',
  input: { data: z.string() },
  output: { echo: z.string().nullable() },
  hashFields: ['data'],
});

const MB = 1_000_000;
const SIZES = [
  { mb: 1, iterations: 8 },
  { mb: 5, iterations: 5 },
  { mb: 20, iterations: 3 },
];

async function serve(kind: string): Promise<void> {
  let port: number;
  if (kind === 'axon') {
    // Default limits (32 MiB bodies) and verification mode; no rate limit for the bench.
    const axon = new Axon(
      { keypair: bob, host: '127.0.0.1', port: 0, rateLimit: false },
      { logger: pino({ level: 'silent' }) },
    );
    axon.attach(Echo, { forward: (i) => ({ echo: i.data }) });
    await axon.start();
    port = axon.port;
  } else {
    // The same JSON work without the protocol: parse, echo the field, answer.
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        body.echo = body.data;
        const out = Buffer.from(JSON.stringify(body));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': out.length });
        res.end(out);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  }
  process.stdout.write(`PORT ${port}\n`);
  process.on('SIGTERM', () => process.exit(0));
}

/** Peak resident set of a process (VmHWM), MiB; undefined without /proc. */
function peakRssMiB(pid: number | undefined): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

interface Sample {
  seconds: number;
  cpu?: number;
}

async function report(): Promise<void> {
  const load0 = loadavg();
  const start = (kind: string) =>
    spawnReady(
      process.execPath,
      [...TSX, join(here, 'large-payloads.ts'), 'server', kind],
      'PORT ',
    );
  const axonProc = await start('axon');
  const bareProc = await start('bare');
  const axonPort = Number(axonProc.line);
  const barePort = Number(bareProc.line);
  const dendrite = new Dendrite(
    // The reply repeats the input: 20 MB in + 20 MB echoed ≈ 40 MB, over the default 16 MiB.
    { keypair: alice, maxResponseBytes: 64 * 1024 * 1024 },
    { logger: pino({ level: 'silent' }) },
  );
  const target = { ip: '127.0.0.1', port: axonPort, hotkey: bob.ss58Address };

  const timed = async (pid: number | undefined, run: () => Promise<void>): Promise<Sample> => {
    const c0 = cpuSeconds(pid);
    const t0 = performance.now();
    await run();
    const seconds = (performance.now() - t0) / 1000;
    const c1 = cpuSeconds(pid);
    return c0 !== undefined && c1 !== undefined ? { seconds, cpu: c1 - c0 } : { seconds };
  };
  const viaAxon = (data: string) => async () => {
    const r = await dendrite.call(target, Echo, { data }, { timeout: 120 });
    if (!r.ok || r.output?.echo?.length !== data.length) {
      throw new Error(
        `axon round-trip failed: ${r.dendrite.status_code} ${r.dendrite.status_message}`,
      );
    }
  };
  const viaBare = (data: string) => async () => {
    const res = await request(`http://127.0.0.1:${barePort}/Echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data, echo: null }),
    });
    const body = JSON.parse(await res.body.text()) as { echo?: string };
    if (res.statusCode !== 200 || body.echo?.length !== data.length) {
      throw new Error(`bare round-trip failed: ${res.statusCode}`);
    }
  };

  const rows: string[][] = [];
  for (const { mb, iterations } of SIZES) {
    const data = randomBytes((mb * MB * 3) / 4).toString('base64');
    await viaAxon(data)();
    await viaBare(data)();
    const axon: Sample[] = [];
    const bare: Sample[] = [];
    for (let i = 0; i < iterations; i++) {
      axon.push(await timed(axonProc.child.pid, viaAxon(data)));
      bare.push(await timed(bareProc.child.pid, viaBare(data)));
    }
    const ta = median(axon.map((s) => s.seconds));
    const tb = median(bare.map((s) => s.seconds));
    const cpuA = axon.every((s) => s.cpu !== undefined) ? median(axon.map((s) => s.cpu!)) : NaN;
    const cpuB = bare.every((s) => s.cpu !== undefined) ? median(bare.map((s) => s.cpu!)) : NaN;
    rows.push([
      `${mb} MB`,
      String(iterations),
      fmt(mb / ta, 1),
      fmt(mb / tb, 1),
      fmt(tb / ta, 2),
      fmt(ta * 1000),
      fmt(tb * 1000),
      Number.isNaN(cpuA) ? '—' : fmt(cpuA * 1000),
      Number.isNaN(cpuB) ? '—' : fmt(cpuB * 1000),
    ]);
  }
  const load1 = loadavg();
  const rssA = peakRssMiB(axonProc.child.pid);
  const rssB = peakRssMiB(bareProc.child.pid);
  await dendrite.close();
  axonProc.child.kill('SIGTERM');
  bareProc.child.kill('SIGTERM');

  const head = [
    'body field',
    'iter.',
    'axon MB/s',
    'bare MB/s',
    'axon/bare',
    'axon ms',
    'bare ms',
    'axon CPU ms',
    'bare CPU ms',
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  console.log('\nLarge payloads: signed axon round-trip vs bare node:http JSON echo');
  console.log(
    `  ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}, ` +
      `load average ${load0.map((l) => l.toFixed(1)).join(' ')} before, ` +
      `${load1.map((l) => l.toFixed(1)).join(' ')} after`,
  );
  console.log(
    '  MB/s = base64 field MB / round-trip time (median); the field goes out once and comes back\n' +
      '  twice (the reply repeats the input, as the SDK does). CPU ms = server CPU per round-trip.',
  );
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log(
    `  peak RSS: axon ${rssA === undefined ? '—' : fmt(rssA)} MiB, bare ${rssB === undefined ? '—' : fmt(rssB)} MiB`,
  );
}

if (process.argv[2] === 'server') await serve(process.argv[3] ?? 'bare');
else await report();
