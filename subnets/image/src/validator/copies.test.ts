// CopyRegistry on real hashes of procedural renders: replays (own or another miner's),
// re-encoded and resized copies, the same task never a copy, no false positive among 150
// different tasks, and the memory bound.
import { sha256 } from '@noble/hashes/sha2.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../checks/decode.js';
import { toGrey } from '../checks/grey.js';
import { dHash, pHash } from '../checks/phash.js';
import { ImageSubnetError } from '../errors.js';
import { reencode } from '../fixtures.test-util.js';
import { ProceduralBackend } from '../miner/backend.js';
import {
  COPY_MAX_DHASH_DISTANCE,
  COPY_MAX_PHASH_DISTANCE,
  type CopyMatch,
  CopyRegistry,
} from './copies.js';
import { imageTask } from './task.js';

const backend = new ProceduralBackend();

/** Reproducible pseudo-random task seeds (a failure names a seed that can be rerun). */
const seedHex = (i: number) =>
  Buffer.from(sha256(new TextEncoder().encode(`copies.test/${i}`))).toString('hex');

async function render(seed: string) {
  const t = imageTask({ seed });
  const png = await backend.generate({
    prompt: t.input.prompt,
    spec: t.input.spec,
    renderSeed: new Uint8Array(Buffer.from(t.input.render_seed, 'hex')),
  });
  return { spec: t.input.spec, png };
}

async function hashes(bytes: Uint8Array) {
  const decoded = await decodeImage(bytes);
  if (!decoded.ok) throw new Error(`does not decode: ${decoded.failure.reason}`);
  const grey = toGrey(decoded.image);
  return { pHash: pHash(grey), dHash: dHash(grey) };
}

const N = 150;
/** N different random tasks, rendered honestly, and their hashes. */
const tasks: {
  seed: string;
  png: Uint8Array;
  size: string;
  h: Awaited<ReturnType<typeof hashes>>;
}[] = [];

beforeAll(async () => {
  for (let i = 0; i < N; i++) {
    const seed = seedHex(i);
    const { spec, png } = await render(seed);
    tasks.push({ seed, png, size: `${spec.width}x${spec.height}`, h: await hashes(png) });
  }
});

const task = (i: number) => tasks[i]!;

describe('CopyRegistry', () => {
  it('catches a replay of the same image for another task, by the same or another miner', () => {
    const registry = new CopyRegistry();
    const { h } = task(0);
    expect(registry.checkAndAdd({ taskId: 'aa-1', uid: 7, ...h })).toBeNull();
    // Its own earlier answer, replayed for its next task.
    expect(registry.checkAndAdd({ taskId: 'aa-2', uid: 7, ...h })).toEqual({
      taskId: 'aa-1',
      uid: 7,
      pHashDistance: 0,
      dHashDistance: 0,
    } satisfies CopyMatch);
    // Another miner copying it for its own task.
    const other = registry.checkAndAdd({ taskId: 'aa-3', uid: 9, ...h });
    expect(other).not.toBeNull();
    expect(other?.uid).toBe(7);
    expect(['aa-1', 'aa-2']).toContain(other?.taskId);
    expect(registry.size).toBe(3);
  });

  it('catches a copy re-encoded as JPEG q60 and resized to another task size', async () => {
    const original = task(0);
    const other = tasks.find((t) => t.size !== original.size);
    expect(other, 'a task of another size').toBeDefined();
    const [width, height] = other!.size.split('x').map(Number);
    const copyBytes = await reencode(original.png, 'jpeg', { quality: 60, width, height });
    const registry = new CopyRegistry();
    expect(registry.checkAndAdd({ taskId: 'bb-1', uid: 1, ...original.h })).toBeNull();
    const match = registry.checkAndAdd({ taskId: 'bb-2', uid: 2, ...(await hashes(copyBytes)) });
    expect(match).toMatchObject({ taskId: 'bb-1', uid: 1 });
    expect(match!.pHashDistance).toBeLessThanOrEqual(COPY_MAX_PHASH_DISTANCE);
    expect(match!.dHashDistance).toBeLessThanOrEqual(COPY_MAX_DHASH_DISTANCE);
  });

  it('the same image for the same task is not a copy (a retry, or one task shared by miners)', () => {
    const registry = new CopyRegistry();
    const { h } = task(1);
    expect(registry.checkAndAdd({ taskId: 'cc-1', uid: 3, ...h })).toBeNull();
    expect(registry.checkAndAdd({ taskId: 'cc-1', uid: 3, ...h })).toBeNull();
    expect(registry.checkAndAdd({ taskId: 'cc-1', uid: 4, ...h })).toBeNull();
    // ... but for another task it still is.
    expect(registry.checkAndAdd({ taskId: 'cc-2', uid: 4, ...h })?.taskId).toBe('cc-1');
  });

  it(`gives no false positive among ${N} honest answers to different random tasks`, () => {
    const registry = new CopyRegistry();
    const found: string[] = [];
    for (let i = 0; i < N; i++) {
      const match = registry.checkAndAdd({ taskId: `dd-${i}`, uid: i % 16, ...task(i).h });
      if (match) found.push(`seed ${task(i).seed} matched ${match.taskId}`);
    }
    expect(found).toEqual([]);
    expect(registry.size).toBe(N);
    // The hashes do differ between tasks (the registry was not vacuously empty-handed).
    expect(new Set(tasks.map((t) => t.h.pHash)).size).toBe(N);
  });

  it('keeps at most `memory` answers, forgetting the oldest', () => {
    const registry = new CopyRegistry({ memory: 10 });
    for (let i = 0; i < 30; i++) {
      registry.checkAndAdd({ taskId: `ee-${i}`, uid: i, ...task(i).h });
      expect(registry.size).toBeLessThanOrEqual(10);
    }
    expect(registry.size).toBeGreaterThan(0);
    // The oldest are gone: replaying them for a new task is no longer caught ...
    expect(registry.checkAndAdd({ taskId: 'ff-0', uid: 99, ...task(0).h })).toBeNull();
    expect(registry.checkAndAdd({ taskId: 'ff-5', uid: 99, ...task(5).h })).toBeNull();
    // ... the most recent are still remembered.
    expect(registry.checkAndAdd({ taskId: 'ff-29', uid: 99, ...task(29).h })).toMatchObject({
      taskId: 'ee-29',
      uid: 29,
    });
    expect(registry.checkAndAdd({ taskId: 'ff-28', uid: 99, ...task(28).h })).toMatchObject({
      taskId: 'ee-28',
      uid: 28,
    });
    expect(registry.size).toBeLessThanOrEqual(10);
  });

  it('keeps the bound for every memory size, even 1', () => {
    for (const memory of [1, 2, 3, 7]) {
      const registry = new CopyRegistry({ memory });
      for (let i = 0; i < 12; i++) {
        registry.checkAndAdd({ taskId: `gg-${memory}-${i}`, uid: 0, ...task(i).h });
        expect(registry.size, `memory ${memory}, after ${i + 1}`).toBeLessThanOrEqual(memory);
      }
      // The last answer is always remembered.
      expect(registry.checkAndAdd({ taskId: `hh-${memory}`, uid: 1, ...task(11).h })?.taskId).toBe(
        `gg-${memory}-11`,
      );
    }
  });

  it('refuses a memory that is not a positive integer', () => {
    for (const memory of [0, -5, 2.5, Number.NaN]) {
      let error: unknown;
      try {
        new CopyRegistry({ memory });
      } catch (e) {
        error = e;
      }
      expect(error, `memory ${memory}`).toBeInstanceOf(ImageSubnetError);
      expect((error as ImageSubnetError).code).toBe('INVALID_ARGUMENT');
      expect((error as ImageSubnetError).field).toBe('memory');
    }
  });
});
