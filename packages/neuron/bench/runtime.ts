/**
 * Runtime costs a validator pays every step, each against a baseline measured in the same run:
 *   pnpm exec tsx --conditions=@subnetkit/source packages/neuron/bench/runtime.ts
 * Prints per-operation times and ratios; no assertions.
 */
import { createHmac } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pass } from '@subnetkit/scoring';
import { deriveSeed, EvidenceLog } from '../src/evidence/index.js';
import {
  createValidatorState,
  recordVerdicts,
  resyncHotkeys,
  saveValidatorState,
} from '../src/state/index.js';
import { selectMiners } from '../src/steps.js';

async function time(
  label: string,
  iterations: number,
  fn: (i: number) => unknown,
): Promise<number> {
  for (let i = 0; i < Math.min(10, iterations); i++) await fn(i);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn(i);
  const ns = Number(process.hrtime.bigint() - t0) / iterations;
  console.log(`${label.padEnd(52)} ${(ns / 1000).toFixed(2).padStart(10)} µs/op`);
  return ns;
}

function ratio(what: string, a: number, b: number) {
  console.log(`  → ${what}: ${(a / b).toFixed(2)}×\n`);
}

const dir = await mkdtemp(join(tmpdir(), 'neuron-bench-'));
try {
  const n = 4096;
  const hotkeys = Array.from({ length: n }, (_, i) => `5Hotkey${i.toString().padStart(40, '0')}`);
  let state = resyncHotkeys(
    createValidatorState({ netuid: 1, hotkey: 'me', alpha: 0.1 }),
    hotkeys,
  ).state;
  state = recordVerdicts(
    state,
    hotkeys.map((_, uid) => ({ uid, verdict: pass(Math.random()) })),
  ).state;
  const statePath = join(dir, 'state.json');
  console.log(`state with ${n} uids: ${JSON.stringify(state).length} bytes`);
  const atomic = await time('saveValidatorState (validate+temp+fsync+rename)', 50, () =>
    saveValidatorState(statePath, state),
  );
  const plain = await time('baseline: JSON.stringify + writeFile (no fsync)', 50, () =>
    writeFile(join(dir, 'plain.json'), JSON.stringify(state, null, 1)),
  );
  ratio('atomic durable save vs plain write', atomic, plain);

  const log = new EvidenceLog({ dir: join(dir, 'evidence') });
  const record = {
    step: 1,
    uid: 1,
    hotkey: hotkeys[1]!,
    taskId: 'abcd-1',
    seed: 'ab'.repeat(32),
    commitment: 'cd'.repeat(32),
    answerDigest: 'ef'.repeat(32),
    statusCode: 200,
    latencyMs: 12,
    verdict: { status: 'pass' as const, score: 1, components: { exact: 1 }, reasons: [] },
    alpha: 0.1,
    sample: 1,
    before: 0,
    after: 0.1,
    samplesBefore: 0,
  };
  const appendNs = await time('EvidenceLog.appendScore', 5000, () => log.appendScore(record));
  await log.close();
  const raw = await open(join(dir, 'raw.jsonl'), 'a');
  const rawNs = await time('baseline: FileHandle.write of the same JSON line', 5000, () =>
    raw.write(
      `${JSON.stringify({ v: 1, kind: 'score', time: new Date().toISOString(), ...record })}\n`,
    ),
  );
  await raw.close();
  ratio('evidence append vs raw write', appendNs, rawNs);

  const secret = new Uint8Array(32).fill(3);
  const seedNs = await time('deriveSeed (HMAC + commitment + checks)', 20000, (i) =>
    deriveSeed(secret, { netuid: 1, step: i, uid: i % 256, counter: i, epoch: 'ab'.repeat(16) }),
  );
  const hmacNs = await time('baseline: one HMAC-SHA256 over 64 bytes', 20000, (i) =>
    createHmac('sha256', secret).update(Buffer.alloc(64, i)).digest('hex'),
  );
  ratio('deriveSeed vs one HMAC', seedNs, hmacNs);

  const view = {
    hotkeys,
    axons: hotkeys.map((_, i) => ({ ip: `10.0.${i >> 8}.${i & 255}`, port: 8091 })),
  };
  let called: number[] = [];
  const selNs = await time(`selectMiners (${n} uids, sample 256)`, 2000, () => {
    called = selectMiners(view, { sampleSize: 256, called }).called;
  });
  const sortNs = await time(`baseline: sort ${n} random numbers`, 2000, () =>
    Array.from({ length: n }, Math.random).sort((a, b) => a - b),
  );
  ratio('selection vs a sort of the uids', selNs, sortNs);
} finally {
  await rm(dir, { recursive: true, force: true });
}
