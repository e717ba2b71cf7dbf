import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fail, pass, unverifiable } from '@subnetkit/scoring';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isNeuronError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import {
  createValidatorState,
  loadValidatorState,
  recordVerdicts,
  resyncHotkeys,
  STATE_VERSION,
  saveValidatorState,
  type ValidatorState,
} from './validator-state.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'neuron-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function synced(hotkeys: string[], alpha = 0.5): ValidatorState {
  const s = createValidatorState({ netuid: 3, hotkey: 'me', alpha });
  return resyncHotkeys(s, hotkeys).state;
}

describe('save / load', () => {
  it('round-trips every float64 score exactly, with mode 0600 and no temp file left', async () => {
    let s = synced(['a', 'b', 'c', 'd']);
    const tricky = [0.1 + 0.2, Number.MIN_VALUE, 1 - Number.EPSILON, 1 / 3];
    s = { ...s, scores: { ...s.scores, scores: tricky }, step: 17, lastWeightsBlock: 1234 };
    const path = join(dir, 'nested', 'state.json');
    await saveValidatorState(path, s);
    const { state } = await loadValidatorState(path, { expect: { netuid: 3, hotkey: 'me' } });
    expect(state!.scores.scores).toEqual(tricky);
    expect(Float64Array.from(state!.scores.scores)).toEqual(Float64Array.from(tricky));
    expect(state!.step).toBe(17);
    expect(state!.lastWeightsBlock).toBe(1234);
    expect(state!.savedAt).not.toBeNull();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'nested'))).toEqual(['state.json']);
  });

  it('returns null when there is no file', async () => {
    expect(await loadValidatorState(join(dir, 'none.json'))).toEqual({ state: null });
  });

  it('never touches the old file when the new state cannot be written', async () => {
    const path = join(dir, 'state.json');
    const s = synced(['a']);
    await saveValidatorState(path, s);
    const before = await readFile(path, 'utf8');
    const bad = { ...s, scores: { ...s.scores, scores: [Number.NaN] } };
    await expect(saveValidatorState(path, bad)).rejects.toThrow(
      /refusing to save.*scores\.scores\.0/,
    );
    const inf = { ...s, scores: { ...s.scores, scores: [Number.POSITIVE_INFINITY] } };
    await expect(saveValidatorState(path, inf)).rejects.toThrow(/scores\.scores\.0/);
    const withBigint = { ...s, extra: { x: 1n } };
    await expect(saveValidatorState(path, withBigint)).rejects.toThrow(/BigInt/);
    expect(await readFile(path, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('concurrent saves leave one complete state', async () => {
    const path = join(dir, 'state.json');
    const states = Array.from({ length: 8 }, (_, i) => ({ ...synced(['a', 'b']), step: i }));
    await Promise.all(states.map((s) => saveValidatorState(path, s)));
    const { state } = await loadValidatorState(path);
    expect(state!.step).toBeGreaterThanOrEqual(0);
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('a corrupt file is a clear error and stays where it was', async () => {
    const path = join(dir, 'state.json');
    await writeFile(path, '{"format":"subnetkit-validator-state","vers');
    const err = await loadValidatorState(path).catch((e) => e);
    expect(isNeuronError(err, 'STATE_CORRUPT')).toBe(true);
    expect(err.message).toContain('not valid JSON');
    expect(err.message).toContain('left in place');
    expect(await readFile(path, 'utf8')).toContain('subnetkit');
  });

  it('a schema violation is corrupt too, naming the field', async () => {
    const path = join(dir, 'state.json');
    const s = synced(['a', 'b']);
    await writeFile(path, JSON.stringify({ ...s, scores: { ...s.scores, samples: [0] } }));
    const err = await loadValidatorState(path).catch((e) => e);
    expect(err.code).toBe('STATE_CORRUPT');
    expect(err.message).toContain('scores');
    await writeFile(path, JSON.stringify({ ...s, step: -1 }));
    expect((await loadValidatorState(path).catch((e) => e)).message).toContain('step');
    await writeFile(path, JSON.stringify({ ...s, surprise: true }));
    expect((await loadValidatorState(path).catch((e) => e)).code).toBe('STATE_CORRUPT');
  });

  it('quarantine moves a corrupt file aside and reports it', async () => {
    const path = join(dir, 'state.json');
    await writeFile(path, 'garbage');
    const r = await loadValidatorState(path, {
      onCorrupt: 'quarantine',
      now: () => new Date('2030-01-02T03:04:05.678Z'),
    });
    expect(r.state).toBeNull();
    expect(r.quarantined).toBe(`${path}.corrupt-2030-01-02T03-04-05-678Z`);
    expect(r.error?.code).toBe('STATE_CORRUPT');
    expect(await readFile(r.quarantined!, 'utf8')).toBe('garbage');
    expect(await readdir(dir)).toEqual(['state.json.corrupt-2030-01-02T03-04-05-678Z']);
  });

  it('a newer format version is refused and never quarantined', async () => {
    const path = join(dir, 'state.json');
    await writeFile(path, JSON.stringify({ ...synced([]), version: STATE_VERSION + 1 }));
    const err = await loadValidatorState(path, { onCorrupt: 'quarantine' }).catch((e) => e);
    expect(err.code).toBe('STATE_VERSION');
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('a state of another netuid or hotkey is refused', async () => {
    const path = join(dir, 'state.json');
    await saveValidatorState(path, synced(['a']));
    const err = await loadValidatorState(path, { expect: { hotkey: 'other' } }).catch((e) => e);
    expect(err.code).toBe('STATE_MISMATCH');
    expect(err.details.field).toBe('hotkey');
  });
});

describe('the previous generation', () => {
  const path = () => join(dir, 'state.json');
  const withScore = (x: number) => {
    const s = synced(['a', 'b']);
    s.scores.scores[1] = x;
    return s;
  };

  it('every save keeps the state it replaces as state.json.prev', async () => {
    await saveValidatorState(path(), withScore(0.25));
    expect(await readdir(dir)).toEqual(['state.json']);
    await saveValidatorState(path(), withScore(0.5));
    const prev = JSON.parse(await readFile(`${path()}.prev`, 'utf8')) as ValidatorState;
    expect(prev.scores.scores[1]).toBe(0.25);
    expect((await stat(`${path()}.prev`)).mode & 0o777).toBe(0o600);
    expect((await loadValidatorState(path())).state!.scores.scores[1]).toBe(0.5);
  });

  it('a corrupt state falls back to the previous generation (the corrupt file kept aside)', async () => {
    await saveValidatorState(path(), withScore(0.25));
    await saveValidatorState(path(), withScore(0.5));
    await writeFile(path(), '{"format": "subnetkit-validator-st');
    const r = await loadValidatorState(path(), { onCorrupt: 'quarantine' });
    expect(r.fellBackTo).toBe(`${path()}.prev`);
    expect(r.quarantined).toMatch(/state\.json\.corrupt-/);
    expect(r.error?.code).toBe('STATE_CORRUPT');
    expect(r.state!.scores.scores[1]).toBe(0.25);
  });

  it('a corrupt file never replaces the last good generation', async () => {
    await saveValidatorState(path(), withScore(0.25));
    await saveValidatorState(path(), withScore(0.5));
    await writeFile(path(), 'garbage');
    await saveValidatorState(path(), withScore(0.75));
    const prev = JSON.parse(await readFile(`${path()}.prev`, 'utf8')) as ValidatorState;
    expect(prev.scores.scores[1]).toBe(0.25);
  });

  it('no usable previous generation: null (fresh start), and another owner is still refused', async () => {
    await writeFile(path(), 'garbage');
    await writeFile(`${path()}.prev`, 'also garbage');
    expect((await loadValidatorState(path(), { onCorrupt: 'quarantine' })).state).toBeNull();
    await saveValidatorState(path(), withScore(0.25));
    await saveValidatorState(path(), withScore(0.5));
    await writeFile(path(), 'garbage');
    const err = await loadValidatorState(path(), {
      onCorrupt: 'quarantine',
      expect: { hotkey: 'someone else' },
    }).catch((e) => e);
    expect(err.code).toBe('STATE_MISMATCH');
  });

  it('the warm-up flag round-trips', async () => {
    await saveValidatorState(path(), { ...withScore(0.1), warmup: true });
    expect((await loadValidatorState(path())).state!.warmup).toBe(true);
  });
});

describe('writeFileAtomic', () => {
  it('replaces content and keeps 0600 even over a looser file', async () => {
    const path = join(dir, 'f');
    await writeFile(path, 'old', { mode: 0o644 });
    await writeFileAtomic(path, 'new');
    expect(await readFile(path, 'utf8')).toBe('new');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});

describe('resyncHotkeys', () => {
  it('resets a uid whose hotkey changed, keeps the others, grows and shrinks', () => {
    let s = synced(['a', 'b', 'c']);
    s = recordVerdicts(s, [
      { uid: 0, verdict: pass(1) },
      { uid: 1, verdict: pass(1) },
      { uid: 2, verdict: pass(1) },
    ]).state;
    s = { ...s, cycle: [0, 1, 2] };
    expect(s.scores.scores).toEqual([0.5, 0.5, 0.5]);
    const r = resyncHotkeys(s, ['a', 'B', 'c', 'd']);
    expect(r.changed).toEqual([1]);
    expect(r.removed).toEqual([]);
    expect(r.state.scores.scores).toEqual([0.5, 0, 0.5, 0]);
    expect(r.state.scores.hotkeys).toEqual(['a', 'B', 'c', 'd']);
    expect(Object.keys(r.state.miners)).toEqual(['0', '2']);
    expect(r.state.cycle).toEqual([0, 2]);
    const shrunk = resyncHotkeys(r.state, ['a', 'B']);
    expect(shrunk.removed).toEqual([2, 3]);
    expect(shrunk.state.scores.scores).toEqual([0.5, 0]);
    expect(Object.keys(shrunk.state.miners)).toEqual(['0']);
    expect(shrunk.state.cycle).toEqual([0]);
    // The input state is untouched (pure).
    expect(s.scores.scores).toEqual([0.5, 0.5, 0.5]);
  });

  it('keeps scores across a save/load and a resync with the same hotkeys', async () => {
    const path = join(dir, 'state.json');
    const s = recordVerdicts(synced(['a', 'b']), [{ uid: 1, verdict: pass(0.8) }]).state;
    await saveValidatorState(path, s);
    const { state } = await loadValidatorState(path);
    const r = resyncHotkeys(state!, ['a', 'b']);
    expect(r.changed).toEqual([]);
    expect(r.state.scores.scores).toEqual([0, 0.4]);
  });
});

describe('recordVerdicts', () => {
  it('folds pass/fail into the EMA and never moves a score on unverifiable', () => {
    let s = synced(['a', 'b'], 0.25);
    let r = recordVerdicts(s, [
      { uid: 0, verdict: pass(1) },
      { uid: 1, verdict: pass(0.5) },
    ]);
    s = r.state;
    expect(s.scores.scores).toEqual([0.25, 0.125]);
    r = recordVerdicts(
      s,
      [
        { uid: 0, verdict: unverifiable('our model is down') },
        { uid: 1, verdict: fail('wrong answer') },
      ],
      { step: 4, now: 1000 },
    );
    expect(r.changes).toEqual([
      {
        uid: 0,
        hotkey: 'a',
        sample: 0.25,
        before: 0.25,
        after: 0.25,
        alpha: 0.25,
        samplesBefore: 1,
      },
      {
        uid: 1,
        hotkey: 'b',
        sample: 0,
        before: 0.125,
        after: 0.09375,
        alpha: 0.25,
        samplesBefore: 1,
      },
    ]);
    expect(r.state.miners['0']).toMatchObject({
      calls: 2,
      passes: 1,
      unverifiable: 1,
      lastStep: 4,
    });
    expect(r.state.miners['1']).toMatchObject({
      calls: 2,
      passes: 1,
      fails: 1,
      consecutiveFails: 1,
      lastStatus: 'fail',
      lastAt: 1000,
    });
    expect(r.state.scores.samples).toEqual([1, 2]);
  });

  it('refuses a uid the state has not synced', () => {
    const s = synced(['a']);
    expect(() => recordVerdicts(s, [{ uid: 1, verdict: pass(1) }])).toThrow(/resyncHotkeys/);
  });
});
