import { describe, expect, it } from 'vitest';
import { reencode, seedOf } from '../fixtures.test-util.js';
import { buildTaskSpec } from '../prompt/grammar.js';
import { renderProcedural } from '../render/procedural.js';
import { decodeImage } from './decode.js';
import { type GreyImage, toGrey } from './grey.js';
import { dHash, hammingDistance, NearDuplicateIndex, pHash } from './phash.js';

async function grey(bytes: Uint8Array): Promise<GreyImage> {
  const result = await decodeImage(bytes);
  if (!result.ok) throw new Error(result.failure.reason);
  return toGrey(result.image);
}

/** The distance the index is searched with in the tests (and the README's recommendation). */
const NEAR = 8;

describe('perceptual hashes', () => {
  it('computes Hamming distances', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('0123456789abcdef', '0123456789abcdef')).toBe(0);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(() => hammingDistance('xyz', '0000000000000000')).toThrow(/16 hex digits/);
  });

  it('hashes are stable across resizing and recompression, and far apart for other images', async () => {
    const originals: GreyImage[] = [];
    const copies: GreyImage[] = [];
    for (let i = 0; i < 6; i++) {
      const seed = seedOf(300 + i);
      const spec = buildTaskSpec(seed);
      const png = await renderProcedural(spec, seed);
      originals.push(await grey(png));
      const w = Math.round(spec.width * 0.8);
      const h = Math.round(spec.height * 0.8);
      copies.push(await grey(await reencode(png, 'jpeg', { quality: 60, width: w, height: h })));
    }
    for (let i = 0; i < originals.length; i++) {
      expect(hammingDistance(pHash(originals[i]!), pHash(copies[i]!))).toBeLessThanOrEqual(4);
      expect(hammingDistance(dHash(originals[i]!), dHash(originals[i]!))).toBe(0);
      for (let j = 0; j < originals.length; j++) {
        if (i === j) continue;
        expect(hammingDistance(pHash(originals[i]!), pHash(copies[j]!))).toBeGreaterThan(NEAR);
      }
    }
  });
});

describe('NearDuplicateIndex', () => {
  it('finds a copy and a slightly altered copy across tasks, not a different image', async () => {
    const index = new NearDuplicateIndex();
    const seed = seedOf(1);
    const png = await renderProcedural(buildTaskSpec(seed), seed);
    index.add(pHash(await grey(png)), { taskId: 'task-1', minerUid: 7 });
    for (let i = 2; i < 24; i++) {
      const s = seedOf(i);
      index.add(pHash(await grey(await renderProcedural(buildTaskSpec(s), s))), {
        taskId: `task-${i}`,
        minerUid: i,
      });
    }
    expect(index.size).toBe(23);

    const copy = index.findNear(pHash(await grey(png)), NEAR, { excludeTaskId: 'task-99' });
    expect(copy).toMatchObject([{ taskId: 'task-1', minerUid: 7, distance: 0 }]);

    const altered = await reencode(png, 'webp', { quality: 50, width: 400, height: 300 });
    const near = index.findNear(pHash(await grey(altered)), NEAR);
    expect(near.map((m) => m.taskId)).toEqual(['task-1']);

    // The same task's own entry is not a replay.
    expect(index.findNear(pHash(await grey(png)), NEAR, { excludeTaskId: 'task-1' })).toEqual([]);

    const other = seedOf(5000);
    const different = await renderProcedural(buildTaskSpec(other), other);
    expect(index.findNear(pHash(await grey(different)), NEAR)).toEqual([]);
  });

  it('grows past its initial capacity and returns matches nearest first', () => {
    const index = new NearDuplicateIndex();
    for (let i = 0; i < 3000; i++) {
      index.add(i.toString(16).padStart(16, '0'), { taskId: `t${i}`, minerUid: i % 256 });
    }
    const matches = index.findNear('0000000000000000', 1);
    expect(matches[0]).toMatchObject({ taskId: 't0', distance: 0 });
    expect(matches.slice(1).every((m) => m.distance === 1)).toBe(true);
    expect(matches.map((m) => m.hash)).toContain('0000000000000800');
    expect(matches).toHaveLength(1 + 12); // 0 and the 12 powers of two below 3000
  });
});
