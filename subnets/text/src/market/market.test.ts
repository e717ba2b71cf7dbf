import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StreamObservation } from '@subnetkit/neuron';
import { describe, expect, it } from 'vitest';
import { ReferenceBackend } from '../miner/backend.js';
import { createTextMiner } from '../miner/miner.js';
import { loadReferenceModel } from '../model/load.js';
import { solveTask } from '../solver/index.js';
import { createTextValidator } from '../validator/validator.js';
import {
  ADVERSARY_VARIANTS,
  type AdversaryVariant,
  createAdversaryBackend,
} from './adversaries.js';
import { market } from './roster.js';

const model = loadReferenceModel();
const backend = () => new ReferenceBackend(model, { solve: solveTask });
const honest = () => createTextMiner(backend());
const adversary = (v: AdversaryVariant) => createTextMiner(createAdversaryBackend(v, backend()));
// Verified inference only, every answer regenerated.
const validator = createTextValidator(model, { regenerateShare: 1 }).tasks[0]!;

/** One task answered by `miner`, scored as the runtime would (the stream timed here). */
async function score(miner: ReturnType<typeof honest>, seed: string, timeoutS: number) {
  const task = await validator.createTask({ seed } as never, 1, {} as never);
  const started = performance.now();
  const chunks: string[] = [];
  let first: number | null = null;
  const ctx = { backend: miner.backend, signal: new AbortController().signal, timeout: timeoutS };
  for await (const c of (await miner.forward(task.input, ctx as never)) as AsyncIterable<string>) {
    first ??= performance.now() - started;
    chunks.push(c);
  }
  const stream: StreamObservation = {
    end: 'complete',
    reason: null,
    chunks,
    text: chunks.join(''),
    bytes: Buffer.byteLength(chunks.join('')),
    timeToFirstChunkMs: first,
    totalMs: performance.now() - started,
    chunksPerSecond: null,
    longestGapMs: 0,
  };
  const v = await validator.score(
    task as never,
    {} as never,
    {
      stream,
      timeoutS,
      seed: { seed },
    } as never,
  );
  return v;
}

describe('adversarial text miners', () => {
  it('each one scores below the honest miner on the same tasks', async () => {
    const seeds = Array.from({ length: 3 }, () => randomBytes(32).toString('hex'));
    const total = async (m: ReturnType<typeof honest>, timeoutS = 0.5) => {
      let sum = 0;
      const reasons: string[] = [];
      for (const s of seeds) {
        const v = await score(m, s, timeoutS);
        sum += v.score ?? 0;
        reasons.push(...v.reasons);
      }
      return { sum, reasons };
    };
    const right = await total(honest());
    expect(right.sum, right.reasons.join('; ')).toBeGreaterThan(2.7);
    for (const variant of ADVERSARY_VARIANTS) {
      const got = await total(adversary(variant));
      expect(got.sum, `${variant}: ${got.reasons.join('; ')}`).toBeLessThan(right.sum * 0.8);
    }
  });

  it('say why they failed: the audit or the regeneration names the cheat', async () => {
    const seed = randomBytes(32).toString('hex');
    const reason = async (v: AdversaryVariant) =>
      (await score(adversary(v), seed, 0.5)).reasons[0] ?? '';
    expect(await reason('random')).toMatch(/not the reference model's answer/);
    expect(await reason('impostor')).toMatch(/logprobMismatch|outsideSupport|not the seeded/);
    expect(await reason('padder')).toMatch(
      /not the seeded regeneration|eosAvoided|not the reference/,
    );
    const copycat = adversary('copycat');
    await score(copycat, randomBytes(32).toString('hex'), 0.5);
    expect((await score(copycat, seed, 0.5)).reasons[0]).toMatch(
      /not the reference model's answer/,
    );
  });
});

describe('market roster', () => {
  it('names processes that exist, one honest variant and every adversary', () => {
    const path = (u: URL | null) => (u === null ? null : fileURLToPath(u));
    expect(existsSync(path(market.validator.entry)!)).toBe(true);
    for (const m of market.miners) expect(existsSync(path(m.entry)!), m.variant).toBe(true);
    expect(market.miners.filter((m) => m.honest).map((m) => m.variant)).toEqual(['honest']);
    expect(
      market.miners
        .filter((m) => !m.honest)
        .map((m) => m.variant)
        .sort(),
    ).toEqual([...ADVERSARY_VARIANTS].sort());
  });
});
