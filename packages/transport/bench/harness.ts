// Bench plumbing: child processes, the load generator, CPU accounting, medians and printing.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const here = fileURLToPath(new URL('.', import.meta.url));
export const TSX = ['--conditions=@subnetkit/source', '--import', 'tsx'];

export const fmt = (n: number, d = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export function report(label: string, value: string): void {
  console.log(`  ${label.padEnd(56)} ${value}`);
}

export const median = (xs: readonly number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Spawns a child and resolves with the first stdout line starting with `prefix`. */
export function spawnReady(
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

export async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
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

/**
 * CPU seconds (user + system, all threads) a process has used so far, from /proc; undefined
 * where /proc is missing (then the CPU columns are left out).
 */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

export interface LoadResult {
  count: number;
  seconds: number;
  statuses: Record<string, number>;
  /** Server CPU per answered request (µs), over warm-up and run; undefined without /proc. */
  cpuUsPerRequest?: number;
  /** The load generator's own CPU per answered request (µs), over warm-up and run. */
  loadgenCpuUsPerRequest?: number;
}

export interface LoadConfig {
  connections: number;
  durationMs: number;
  warmupMs: number;
}

/**
 * Runs the load generator (its own process) against a server and measures the server's CPU
 * over the run. `extra` holds `headers`/`body` or a `file` of pre-signed requests.
 */
export function load(
  server: { port: number; pid: number | undefined },
  path: string,
  cfg: LoadConfig,
  extra: Record<string, unknown>,
): LoadResult {
  const job = { url: `http://127.0.0.1:${server.port}`, path, ...cfg, ...extra };
  const cpu0 = cpuSeconds(server.pid);
  const r = spawnSync(process.execPath, [...TSX, join(here, 'loadgen.ts'), JSON.stringify(job)], {
    encoding: 'utf8',
    cwd: join(here, '..'),
    maxBuffer: 16 << 20,
  });
  const cpu1 = cpuSeconds(server.pid);
  if (r.status !== 0) throw new Error(`loadgen failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as LoadResult & {
    total: number;
    cpuUs?: number;
  };
  if (cpu0 !== undefined && cpu1 !== undefined && out.total > 0) {
    out.cpuUsPerRequest = ((cpu1 - cpu0) * 1e6) / out.total;
  }
  if (out.cpuUs !== undefined && out.total > 0) out.loadgenCpuUsPerRequest = out.cpuUs / out.total;
  return out;
}

export const rate = (r: LoadResult) => r.count / r.seconds;
