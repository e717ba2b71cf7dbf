import { appendFile, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fail, pass, unverifiable, type Verdict } from '@subnetkit/scoring';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createValidatorState, recordVerdicts, resyncHotkeys } from '../state/validator-state.js';
import { canonicalJson, digestAnswer } from './digest.js';
import { EVIDENCE_FILE, EvidenceLog, evidenceFiles, type ScoreRecordInput } from './log.js';
import { explainScore, readEvidence } from './reader.js';
import { deriveSeed } from './seeds.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'neuron-evidence-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const secret = new Uint8Array(32).fill(7);
const epoch = 'ab'.repeat(16);

function input(
  uid: number,
  step: number,
  overrides: Partial<ScoreRecordInput> = {},
): ScoreRecordInput {
  const seed = deriveSeed(secret, { netuid: 1, step, uid, counter: step * 10 + uid, epoch });
  return {
    step,
    uid,
    hotkey: `hk${uid}`,
    taskId: seed.taskId,
    seed: seed.seed,
    commitment: seed.commitment,
    answerDigest: digestAnswer({ out: step * 2 }),
    statusCode: 200,
    latencyMs: 12,
    verdict: { status: 'pass', score: 1, components: {}, reasons: [] },
    alpha: 0.1,
    sample: 1,
    before: 0,
    after: 0.1,
    samplesBefore: 0,
    ...overrides,
  };
}

describe('digest', () => {
  it('is independent of key order and keeps bigint/bytes/non-finite apart', () => {
    expect(digestAnswer({ a: 1, b: [2, { d: 3, c: 4 }] })).toBe(
      digestAnswer({ b: [2, { c: 4, d: 3 }], a: 1 }),
    );
    expect(canonicalJson({ z: undefined, n: 5n, b: new Uint8Array([1, 255]), x: Number.NaN })).toBe(
      '{"b":{"$bytes":"01ff"},"n":"5","x":"NaN"}',
    );
    expect(digestAnswer(1)).not.toBe(digestAnswer('1'));
    // sha256 of the 4 bytes `null`, as `printf null | sha256sum` gives.
    expect(digestAnswer(null)).toBe(
      '74234e98afe7498fb5daf1f36ac2d78acc339464f950703b8c019892f982b90b',
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });
});

describe('EvidenceLog', () => {
  it('appends JSONL records (0600) that read back in order', async () => {
    const log = new EvidenceLog({ dir }, { now: () => Date.UTC(2030, 0, 1) });
    await log.appendScore(input(1, 1));
    await log.appendReset({ step: 2, uid: 1, previousHotkey: 'hk1', hotkey: 'new' });
    await log.appendScore(input(2, 2, { verdict: { ...pass(0.5), evidence: { big: 3n } } }));
    await log.close();
    expect((await stat(join(dir, EVIDENCE_FILE))).mode & 0o777).toBe(0o600);
    const records = [];
    for await (const r of readEvidence(dir)) records.push(r);
    expect(records.map((r) => [r.kind, r.uid])).toEqual([
      ['score', 1],
      ['reset', 1],
      ['score', 2],
    ]);
    expect(records[0]!.time).toBe('2030-01-01T00:00:00.000Z');
    expect(records[2]).toMatchObject({ verdict: { evidence: { big: '3' } } });
    const only2 = [];
    for await (const r of readEvidence(dir, { uid: 2 })) only2.push(r);
    expect(only2).toHaveLength(1);
    await expect(log.appendScore(input(1, 3))).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
  });

  it('refuses to reveal a seed before the deadline', async () => {
    let now = 1000;
    const log = new EvidenceLog({ dir }, { now: () => now });
    await expect(log.appendScore({ ...input(1, 1), deadline: 5000 })).rejects.toThrow(
      /before its deadline \(4000 ms left\)/,
    );
    now = 5000;
    await expect(log.appendScore({ ...input(1, 1), deadline: 5000 })).resolves.toMatchObject({
      seed: expect.any(String),
    });
    const rec = await log.appendScore({ ...input(1, 2), deadline: 1e12, seed: null });
    expect(rec).not.toHaveProperty('deadline');
    await log.close();
  });

  it('rotates by size without losing or reordering a line, and keeps maxFiles', async () => {
    let now = Date.UTC(2030, 0, 1);
    const log = new EvidenceLog({ dir, maxBytes: 2048 }, { now: () => now++ });
    await Promise.all(Array.from({ length: 40 }, (_, i) => log.appendScore(input(i % 4, i))));
    await log.close();
    const files = await evidenceFiles(dir);
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) expect((await stat(f)).size).toBeLessThanOrEqual(2048);
    const steps = [];
    for await (const r of readEvidence(dir)) steps.push(r.step);
    expect(steps).toEqual(Array.from({ length: 40 }, (_, i) => i));

    const dir2 = join(dir, 'capped');
    const capped = new EvidenceLog(
      { dir: dir2, maxBytes: 2048, maxFiles: 2 },
      { now: () => now++ },
    );
    for (let i = 0; i < 40; i++) await capped.appendScore(input(0, i));
    await capped.close();
    const kept = await readdir(dir2);
    expect(kept).toHaveLength(3);
    expect(kept).toContain(EVIDENCE_FILE);
  });

  it('continues an existing file after a restart and skips a torn last line', async () => {
    const a = new EvidenceLog({ dir });
    await a.appendScore(input(1, 1));
    await a.close();
    await appendFile(join(dir, EVIDENCE_FILE), '{"v":1,"kind":"sco');
    const b = new EvidenceLog({ dir });
    await b.appendScore(input(1, 2));
    await b.close();
    const bad: number[] = [];
    const steps = [];
    for await (const r of readEvidence(dir, { onMalformed: (_f, n) => bad.push(n) })) {
      steps.push(r.step);
    }
    expect(steps).toEqual([1, 2]);
    expect(bad).toEqual([2]);
    expect((await readFile(join(dir, EVIDENCE_FILE), 'utf8')).split('\n')).toHaveLength(4);
  });
});

describe('explainScore', () => {
  async function simulate(log: EvidenceLog, verdicts: Array<[number, Verdict]>, hotkeys: string[]) {
    let state = resyncHotkeys(
      createValidatorState({ netuid: 1, hotkey: 'me', alpha: 0.2 }),
      hotkeys,
    ).state;
    for (const [step, [uid, verdict]] of verdicts.entries()) {
      const r = recordVerdicts(state, [{ uid, verdict }], { step });
      state = r.state;
      const c = r.changes[0]!;
      await log.appendScore(
        input(uid, step, {
          hotkey: c.hotkey,
          verdict: {
            status: verdict.status,
            score: verdict.score,
            components: verdict.components,
            reasons: verdict.reasons,
          },
          alpha: c.alpha,
          sample: c.sample,
          before: c.before,
          after: c.after,
          samplesBefore: c.samplesBefore,
        }),
      );
    }
    return state;
  }

  it('replays the EMA of the logged verdicts to the state score', async () => {
    const log = new EvidenceLog({ dir });
    const state = await simulate(
      log,
      [
        [0, pass(1, { components: { quality: 1, latency: 0.5 } })],
        [1, pass(0.4)],
        [0, fail('wrong digits', { components: { quality: 0 } })],
        [0, unverifiable('reference model offline')],
        [0, pass(0.9, { components: { quality: 0.9, latency: null } })],
      ],
      ['hk0', 'hk1'],
    );
    await log.close();
    const e = await explainScore(dir, 0);
    expect(e.complete).toBe(true);
    expect(e.inconsistencies).toEqual([]);
    expect(e.records).toHaveLength(4);
    expect(e.counts).toEqual({ pass: 2, fail: 1, unverifiable: 1 });
    expect(e.recomputed).toBeCloseTo(state.scores.scores[0]!, 12);
    expect(e.logged).toBe(state.scores.scores[0]);
    expect(e.componentMeans).toEqual({ quality: (1 + 0 + 0.9) / 3, latency: 0.5 });
    expect(e.text).toContain('wrong digits');
    expect(e.text).toContain('reference model offline');
    expect(e.text).toContain('history complete');
  });

  it('starts again after a reset and reports gaps and bad arithmetic', async () => {
    const log = new EvidenceLog({ dir });
    await log.appendScore(input(3, 1, { before: 0, after: 0.1 }));
    await log.appendReset({ step: 2, uid: 3, previousHotkey: 'hk3', hotkey: 'hk3b' });
    await log.appendScore(input(3, 3, { hotkey: 'hk3b', before: 0, after: 0.1 }));
    // Missing record: this one starts from 0.5 instead of 0.1.
    await log.appendScore(
      input(3, 4, { hotkey: 'hk3b', before: 0.5, after: 0.55, samplesBefore: 3 }),
    );
    // Wrong arithmetic.
    await log.appendScore(
      input(3, 5, { hotkey: 'hk3b', before: 0.55, after: 0.9, samplesBefore: 4 }),
    );
    await log.close();
    const e = await explainScore(dir, 3);
    expect(e.hotkey).toBe('hk3b');
    expect(e.records.map((r) => r.step)).toEqual([3, 4, 5]);
    expect(e.inconsistencies).toHaveLength(2);
    expect(e.inconsistencies[0]).toContain('records missing');
    expect(e.inconsistencies[1]).toContain('0.9 was logged');
  });

  it('says when the history does not reach back to a reset', async () => {
    const log = new EvidenceLog({ dir });
    await log.appendScore(input(5, 9, { before: 0.3, after: 0.37, samplesBefore: 12 }));
    await log.close();
    const e = await explainScore(dir, 5);
    expect(e.complete).toBe(false);
    expect(e.start).toBe(0.3);
    expect(e.text).toContain('history partial');
    const none = await explainScore(dir, 6);
    expect(none.records).toEqual([]);
    expect(none.logged).toBeNull();
  });
});
