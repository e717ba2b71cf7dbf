// A/B of axon server builds: `ab-axon.ts <benchDirA> <benchDirB> …` starts each directory's
// axon-server.ts (verifyWorkers from AB_WORKERS, default 2) and alternates signed and unsigned
// runs over AB_ROUNDS rounds. Server CPU per request (all threads, /proc) is the figure to
// compare on a shared machine; req/s is printed too.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fmt, type LoadResult, load, median, rate, spawnReady, TSX } from './harness.js';
import { signedRequests } from './signed-requests.js';

const dirs = process.argv.slice(2).map((d) => resolve(d));
const ROUNDS = Number(process.env.AB_ROUNDS ?? 4);
const WORKERS = Number(process.env.AB_WORKERS ?? 2);
const cfg = { durationMs: Number(process.env.AB_MS ?? 2000), warmupMs: 500, connections: 32 };
const tmp = mkdtempSync(join(tmpdir(), 'ab-axon-'));
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});
const servers = [];
for (const dir of dirs) {
  const { child, line } = await spawnReady(
    process.execPath,
    [...TSX, join(dir, 'axon-server.ts'), JSON.stringify({ workers: WORKERS })],
    'PORT',
  );
  children.push(child);
  servers.push({ port: Number(line), pid: child.pid });
}
// Bare node:http echo, the unsigned path's anchor (as in bench/run.ts).
const echo = spawn(
  process.execPath,
  [
    '-e',
    "require('node:http').createServer((q,s)=>{const c=[];q.on('data',d=>c.push(d));q.on('end',()=>{const b=Buffer.concat(c);s.writeHead(200,{'content-type':'application/json','content-length':b.length});s.end(b)})}).listen(0,'127.0.0.1',function(){console.log('PORT '+this.address().port)})",
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
children.push(echo);
const echoPort = await new Promise<number>((resolve) =>
  echo.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).split(' ')[1]))),
);
const bare = { port: echoPort, pid: echo.pid };
const plain = {
  headers: { 'content-type': 'application/json' },
  body: '{"name":"Synapse","timeout":12.0}',
};
/** CPU seconds of a process's main thread (the event loop) alone, from /proc. */
const mainThreadSeconds = (pid: number | undefined) => {
  const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
/** `load`, plus the event loop's own CPU per answered request (µs, warm-up included). */
const measure = (
  server: { port: number; pid: number | undefined },
  path: string,
  extra: Record<string, unknown>,
) => {
  const t0 = mainThreadSeconds(server.pid);
  const r = load(server, path, cfg, extra);
  const t1 = mainThreadSeconds(server.pid);
  const total = (r as LoadResult & { total: number }).total;
  return { r, mainUs: ((t1 - t0) * 1e6) / total };
};
const cpu: Record<string, number[]> = {};
const main: Record<string, number[]> = {};
const rps: Record<string, number[]> = {};
const add = (k: string, m: { r: LoadResult; mainUs: number }) => {
  cpu[k] = [...(cpu[k] ?? []), m.r.cpuUsPerRequest ?? Number.NaN];
  main[k] = [...(main[k] ?? []), m.mainUs];
  rps[k] = [...(rps[k] ?? []), rate(m.r)];
};
for (let round = 0; round < ROUNDS; round++) {
  add('bare -1', measure(bare, '/Synapse', plain));
  const order = round % 2 === 0 ? servers.map((_, i) => i) : servers.map((_, i) => i).reverse();
  for (const i of order) {
    const file = join(tmp, `s-${i}-${round}.json`);
    writeFileSync(file, signedRequests(8000, cfg.connections));
    add(`signed ${i}`, measure(servers[i]!, '/Dummy', { file }));
    add(`unsigned ${i}`, measure(servers[i]!, '/Synapse', plain));
  }
}
console.log(
  `# load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; ${WORKERS} workers`,
);
for (const k of Object.keys(cpu)) {
  const i = Number(k.split(' ')[1]);
  console.log(
    `${k.padEnd(12)} ${dirs[i] ?? 'bare node:http'}  CPU µs/req median ${fmt(median(cpu[k]!))} least ${fmt(Math.min(...cpu[k]!))}` +
      `  [${cpu[k]!.map((x) => fmt(x)).join(' ')}]  event loop ${fmt(median(main[k]!))} µs/req` +
      ` [${main[k]!.map((x) => fmt(x)).join(' ')}]  req/s median ${fmt(median(rps[k]!))}`,
  );
}
process.exit(0);
