// A/B of axon server builds: `ab-axon.ts <benchDirA> <benchDirB> …` starts each directory's
// axon-server.ts (verifyWorkers from AB_WORKERS, default 2) and alternates signed and unsigned
// runs over AB_ROUNDS rounds. Server CPU per request (all threads, /proc) is the figure to
// compare on a shared machine; req/s is printed too.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fmt, load, median, rate, spawnReady, TSX } from './harness.js';
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
const cpu: Record<string, number[]> = {};
const rps: Record<string, number[]> = {};
const add = (k: string, c: number | undefined, r: number) => {
  cpu[k] = [...(cpu[k] ?? []), c ?? Number.NaN];
  rps[k] = [...(rps[k] ?? []), r];
};
for (let round = 0; round < ROUNDS; round++) {
  const b = load(bare, '/Synapse', cfg, plain);
  add('bare -1', b.cpuUsPerRequest, rate(b));
  const order = round % 2 === 0 ? servers.map((_, i) => i) : servers.map((_, i) => i).reverse();
  for (const i of order) {
    const file = join(tmp, `s-${i}-${round}.json`);
    writeFileSync(file, signedRequests(8000, cfg.connections));
    const s = load(servers[i]!, '/Dummy', cfg, { file });
    add(`signed ${i}`, s.cpuUsPerRequest, rate(s));
    const u = load(servers[i]!, '/Synapse', cfg, plain);
    add(`unsigned ${i}`, u.cpuUsPerRequest, rate(u));
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
      `  [${cpu[k]!.map((x) => fmt(x)).join(' ')}]  req/s median ${fmt(median(rps[k]!))}`,
  );
}
process.exit(0);
