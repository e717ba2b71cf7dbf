// The $NACL key derivation (Argon2i v1.3, libsodium OPSLIMIT_SENSITIVE = 8 passes,
// MEMLIMIT_SENSITIVE = 512 MiB, one lane) that creating or unlocking an encrypted coldkey
// costs: ours (argon2iKdf, @node-rs/argon2) against libsodium itself (PyNaCl, Debian
// python3-nacl), alternated in the same run. Each derivation runs in a fresh process so that
// its peak RSS is its own; CPU time per derivation is the figure compared (steadier than wall
// time on a shared machine). Other JS paths run once each for comparison, when available.
//
//   pnpm --filter @subnetkit/wallet run bench:argon2
//   ARGON2_BENCH_RUNS=5                 derivations per side for the target (default 3)
//   ARGON2_CANDIDATES=/some/dir         a directory whose node_modules has any of argon2,
//                                       libsodium-wrappers-sumo, hash-wasm, sodium-native
//   ARGON2_BENCH_NOBLE=1                add @noble/hashes (pure JS: ~7x libsodium's CPU, ~20 s)
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ARGON2I_SENSITIVE, NACL_SALT } from '../src/keyfile-crypto.js';
import { PYTHON } from '../src/python.test-util.js';

const RUNS = Number(process.env.ARGON2_BENCH_RUNS ?? 3);
const GOAL = 1.1;
const { opsLimit, memLimitBytes } = ARGON2I_SENSITIVE;
const PASSWORD_HEX = Buffer.from('correct horse ⚡ battery staple', 'utf8').toString('hex');

interface Measurement {
  key: string;
  wallMs: number;
  cpuMs: number;
  peakRssMiB: number;
  baseRssMiB: number;
}

const OTHERS: { name: string; label: string }[] = [
  { name: 'argon2-npm', label: 'argon2 (npm, native; the previous path)' },
  { name: 'sodium-native', label: 'sodium-native (libsodium, native addon)' },
  { name: 'libsodium-wrappers-sumo', label: 'libsodium-wrappers-sumo (wasm)' },
  { name: 'hash-wasm', label: 'hash-wasm argon2i (wasm)' },
  ...(process.env.ARGON2_BENCH_NOBLE === '1'
    ? [{ name: 'noble-argon2i', label: '@noble/hashes argon2i (pure JS)' }]
    : []),
];

const PYNACL = `
import json, resource, sys, time
import nacl
from nacl.pwhash import argon2i
ops, mem, password = int(sys.argv[1]), int(sys.argv[2]), bytes.fromhex(sys.argv[3])
salt = bytes.fromhex(sys.argv[4])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu, wall = time.process_time(), time.perf_counter()
key = argon2i.kdf(32, password, salt, opslimit=ops, memlimit=mem)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"key": key.hex(), "wallMs": wall * 1e3, "cpuMs": cpu * 1e3,
                  "peakRssMiB": peak / 1024, "baseRssMiB": base / 1024, "version": nacl.__version__}))
`;

function runJson(command: string, args: string[]): Promise<Measurement & { missing?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${command} ${args[0]} exited ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}'));
    });
  });
}

const worker = fileURLToPath(new URL('./argon2-worker.ts', import.meta.url));
const cost = [String(opsLimit), String(memLimitBytes), PASSWORD_HEX];
const runWorker = (name: string) =>
  runJson(process.execPath, [...process.execArgv, worker, name, ...cost]);
const runLibsodium = () =>
  runJson(PYTHON!, ['-c', PYNACL, ...cost, Buffer.from(NACL_SALT).toString('hex')]);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (x: number) => Math.round(x).toLocaleString('en-US');
const mib = (x: number) => Math.round(x).toString();
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

interface Row {
  label: string;
  runs: Measurement[];
}

function summary({ runs }: Row) {
  return {
    cpuMs: median(runs.map((r) => r.cpuMs)),
    wallMs: median(runs.map((r) => r.wallMs)),
    peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
    argonRssMiB: median(runs.map((r) => r.peakRssMiB - r.baseRssMiB)),
  };
}

const loadBefore = load();
console.log(
  `Argon2i $NACL key: ${opsLimit} passes, ${memLimitBytes / 2 ** 20} MiB, 1 lane, 32 bytes ` +
    `(load average before: ${loadBefore}; ${RUNS} alternated runs per side for the target)`,
);
if (!PYTHON) {
  console.log('libsodium reference missing: apt-get install -y python3 python3-nacl');
  console.log(
    `TARGET argon2i n/a <=${GOAL.toFixed(2)} missed libsodium reference (python3-nacl) not installed`,
  );
  process.exit(0);
}

const libsodium: Row = { label: 'libsodium (PyNaCl)', runs: [] };
const ours: Row = { label: 'ours: argon2iKdf (@node-rs/argon2)', runs: [] };
for (let i = 0; i < RUNS; i++) {
  // Alternate which side goes first, so neither always follows the other's page-cache churn.
  const pair = i % 2 === 0 ? [libsodium, ours] : [ours, libsodium];
  for (const row of pair) row.runs.push(await (row === ours ? runWorker('ours') : runLibsodium()));
}
const reference = libsodium.runs[0]!.key;
const version = (libsodium.runs[0] as Measurement & { version?: string }).version;
libsodium.label = `libsodium (PyNaCl ${version})`;
for (const r of ours.runs) {
  if (r.key !== reference) throw new Error(`ours derived ${r.key}, libsodium ${reference}`);
}

const rows: Row[] = [libsodium, ours];
const skipped: string[] = [];
for (const { name, label } of OTHERS) {
  const result = await runWorker(name);
  if (result.missing) skipped.push(name);
  else rows.push({ label, runs: [result] });
}

const base = summary(libsodium);
const width = Math.max(...rows.map((r) => r.label.length));
console.log(
  `${'candidate'.padEnd(width)}  runs  cpu ms  ×lib   wall ms  ×lib  peak RSS  +RSS MiB  key`,
);
for (const row of rows) {
  const s = summary(row);
  const same = row.runs.every((r) => r.key === reference);
  console.log(
    `${row.label.padEnd(width)}  ${String(row.runs.length).padStart(4)}  ` +
      `${ms(s.cpuMs).padStart(6)}  ${(s.cpuMs / base.cpuMs).toFixed(2).padStart(4)}  ` +
      `${ms(s.wallMs).padStart(8)}  ${(s.wallMs / base.wallMs).toFixed(2).padStart(4)}  ` +
      `${mib(s.peakRssMiB).padStart(8)}  ${mib(s.argonRssMiB).padStart(8)}  ` +
      `${same ? 'same as libsodium' : 'DIFFERS'}`,
  );
}
if (skipped.length > 0) {
  console.log(
    `not installed (set ARGON2_CANDIDATES to a directory that has them): ${skipped.join(', ')}`,
  );
}
console.log(
  '+RSS is the peak RSS minus the process before the derivation: the Argon2 memory itself ' +
    `(${memLimitBytes / 2 ** 20} MiB of blocks, the cost btcli chose); the rest of peak RSS is the runtime.`,
);

const mine = summary(ours);
const ratio = mine.cpuMs / base.cpuMs;
console.log(`load average after: ${load()}`);
console.log(
  `TARGET argon2i ${ratio.toFixed(2)} <=${GOAL.toFixed(2)} ${ratio <= GOAL ? 'met' : 'missed'} ` +
    `ours ${ms(mine.cpuMs)} ms CPU per SENSITIVE derivation vs libsodium (PyNaCl) ${ms(base.cpuMs)} ms ` +
    `(median of ${RUNS}; wall ${ms(mine.wallMs)} vs ${ms(base.wallMs)} ms; peak RSS ` +
    `${mib(mine.peakRssMiB)} vs ${mib(base.peakRssMiB)} MiB, +${mib(mine.argonRssMiB)} vs ` +
    `+${mib(base.argonRssMiB)} MiB for Argon2; load ${loadBefore})`,
);
