// createImageValidator: tasks from seeds, every way an answer's image_b64 can be wrong, the
// image kept with its sniffed media type, and copies across miners (checks inline, no OCR).
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { reencode } from '../fixtures.test-util.js';
import { ProceduralBackend } from '../miner/backend.js';
import { MAX_IMAGE_BYTES } from '../protocol.js';
import { inlineChecker } from './checker.js';
import { createImageValidator } from './validator.js';

const checker = inlineChecker({ ocr: 'none' });
afterAll(() => checker.close());

type Validator = ReturnType<typeof createImageValidator>;
type Task = Awaited<ReturnType<Validator['createTask']>>;
type TaskSeedArg = Parameters<Validator['createTask']>[0];

let counter = 0;
function seedOf(seed = randomBytes(32).toString('hex'), uid = 1): TaskSeedArg {
  counter += 1;
  return {
    netuid: 7,
    step: 3,
    uid,
    counter,
    epoch: '0123456789abcdef0123456789abcdef',
    seed,
    commitment: 'f'.repeat(64),
    taskId: `01234567-${counter}`,
  };
}

const createTask = (v: Validator, seed: TaskSeedArg) =>
  v.createTask(seed, seed.uid, {} as Parameters<Validator['createTask']>[2]) as Task;

interface Kept {
  bytes: Uint8Array | string;
  meta: { mediaType: string; role?: string };
}

function ctxOf(seed: TaskSeedArg, uid: number, kept: Kept[] = []) {
  return {
    seed,
    uid,
    hotkey: `5Hotkey${uid}`,
    step: 3,
    neuron: {},
    latencyMs: 200,
    timeoutS: 12,
    keep: async (bytes: Uint8Array | string, meta: Kept['meta']) => {
      kept.push({ bytes, meta });
      return null;
    },
  } as unknown as Parameters<Validator['score']>[2];
}

const response = (image_b64: string | null | undefined) =>
  ({
    ok: image_b64 !== undefined,
    output: image_b64 === undefined ? undefined : { image_b64 },
  }) as unknown as Parameters<Validator['score']>[1];

async function honest(task: Task): Promise<Uint8Array> {
  return new ProceduralBackend().generate({
    prompt: task.input.prompt,
    spec: task.input.spec,
    renderSeed: new Uint8Array(Buffer.from(task.input.render_seed, 'hex')),
  });
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('createImageValidator', () => {
  describe('createTask', () => {
    const v = createImageValidator({ checker });

    it('is deterministic for a seed', () => {
      const seed = randomBytes(32).toString('hex');
      const a = createTask(v, seedOf(seed, 1));
      const b = createTask(createImageValidator({ checker }), seedOf(seed, 2));
      expect(b).toEqual(a);
      expect(a.input.prompt.length).toBeGreaterThan(0);
      expect(a.private).toEqual({ spec: a.input.spec, renderSeed: a.input.render_seed });
    });

    it('differs between seeds', () => {
      const tasks = Array.from({ length: 8 }, () => createTask(v, seedOf()));
      expect(new Set(tasks.map((t) => t.input.render_seed)).size).toBe(8);
      expect(new Set(tasks.map((t) => JSON.stringify(t.input.spec))).size).toBeGreaterThan(1);
      expect(new Set(tasks.map((t) => t.input.prompt)).size).toBeGreaterThan(1);
    });

    it('sends a render seed that is not the task seed', () => {
      for (let i = 0; i < 8; i++) {
        const seed = seedOf();
        const task = createTask(v, seed);
        expect(task.input.render_seed).toMatch(/^[0-9a-f]{64}$/);
        expect(task.input.render_seed).not.toBe(seed.seed);
      }
    });
  });

  describe('score', () => {
    const v = createImageValidator({ checker });
    const seed = seedOf();
    const task = createTask(v, seed);

    it('passes the honest image and keeps it as image/png', async () => {
      const png = await honest(task);
      const kept: Kept[] = [];
      const verdict = await v.score(task, response(b64(png)), ctxOf(seed, 4, kept));
      expect(verdict.status).toBe('pass');
      expect(verdict.score as number).toBeGreaterThan(0.9);
      expect(verdict.evidence.latencyMs).toBe(200);
      expect(kept).toHaveLength(1);
      expect(kept[0]?.meta).toEqual({ mediaType: 'image/png', role: 'image' });
      expect(Buffer.from(kept[0]?.bytes as Uint8Array).equals(Buffer.from(png))).toBe(true);
    });

    it('keeps a JPEG as image/jpeg and a WebP as image/webp', async () => {
      const png = await honest(task);
      for (const [format, mediaType] of [
        ['jpeg', 'image/jpeg'],
        ['webp', 'image/webp'],
      ] as const) {
        const kept: Kept[] = [];
        const bytes = await reencode(png, format, { quality: 90 });
        // A validator of its own: the registry has not seen this image yet.
        const fresh = createImageValidator({ checker });
        const verdict = await fresh.score(task, response(b64(bytes)), ctxOf(seed, 5, kept));
        expect(kept.map((k) => k.meta.mediaType)).toEqual([mediaType]);
        expect(Buffer.from(kept[0]?.bytes as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
        expect(verdict.status, format).toBe('pass');
      }
    });

    const cases: [string, string | null | undefined, string][] = [
      ['no output at all (the query failed)', undefined, 'no image in the answer'],
      ['image_b64: null', null, 'no image in the answer'],
      ["image_b64: ''", '', 'no image in the answer'],
      ['text that is not base64', 'here is your image!', 'image_b64 is not base64'],
      ['base64 with a bad length', 'iVBORw0KGgo', 'image_b64 is not base64'],
      [
        'a too-large image',
        Buffer.alloc(MAX_IMAGE_BYTES + 3).toString('base64'),
        `the image is ${MAX_IMAGE_BYTES + 3} bytes, more than ${MAX_IMAGE_BYTES}`,
      ],
    ];
    for (const [name, value, reason] of cases) {
      it(`${name}: fail "${reason.slice(0, 40)}", nothing kept`, async () => {
        const kept: Kept[] = [];
        const verdict = await v.score(task, response(value), ctxOf(seed, 4, kept));
        expect(verdict.status).toBe('fail');
        expect(verdict.score).toBe(0);
        expect(verdict.reasons[0]).toBe(reason);
        expect(verdict.components).toEqual({ dimensions: 0 });
        expect(kept).toEqual([]);
      });
    }

    it('base64 of bytes that are no image: fail as undecodable, kept as octet-stream', async () => {
      const kept: Kept[] = [];
      const garbage = new TextEncoder().encode('GIF? no: just some text, padded to 3n.');
      const verdict = await v.score(task, response(b64(garbage)), ctxOf(seed, 4, kept));
      expect(verdict.status).toBe('fail');
      expect(verdict.score).toBe(0);
      expect(verdict.reasons[0]).toMatch(/^the image does not decode: UNSUPPORTED_FORMAT: /);
      expect(kept.map((k) => k.meta)).toEqual([
        { mediaType: 'application/octet-stream', role: 'image' },
      ]);
    });

    it('a truncated PNG: fail as undecodable (CORRUPT), kept as image/png', async () => {
      const kept: Kept[] = [];
      const png = await honest(task);
      const cut = png.subarray(0, 3 * Math.floor(png.length / 6));
      const verdict = await v.score(task, response(b64(cut)), ctxOf(seed, 4, kept));
      expect(verdict.status).toBe('fail');
      expect(verdict.reasons[0]).toMatch(/^the image does not decode: CORRUPT: /);
      expect(kept.map((k) => k.meta.mediaType)).toEqual(['image/png']);
    });
  });

  describe('copies', () => {
    it('a second miner answering the same image for its own task fails as a copy', async () => {
      const v = createImageValidator({ checker });
      const seedA = seedOf(undefined, 11);
      const seedB = seedOf(undefined, 12);
      const taskA = createTask(v, seedA);
      const taskB = createTask(v, seedB);
      const image = b64(await honest(taskA));
      const first = await v.score(taskA, response(image), ctxOf(seedA, 11));
      expect(first.status).toBe('pass');
      // The same miner answering the same task again (a retry) is no copy.
      const again = await v.score(taskA, response(image), ctxOf(seedA, 11));
      expect(again.status).toBe('pass');
      // B sends A's image, re-sized to its own task if the sizes differ, so only the copy check
      // can catch it.
      const { width, height } = taskB.input.spec;
      const resent =
        taskA.input.spec.width === width && taskA.input.spec.height === height
          ? image
          : b64(await reencode(Buffer.from(image, 'base64'), 'png', { width, height }));
      const second = await v.score(taskB, response(resent), ctxOf(seedB, 12));
      expect(second.status).toBe('fail');
      expect(second.score).toBe(0);
      expect(second.reasons[0]).toContain(`uid 11's answer to task ${seedA.taskId}`);
      expect(second.evidence.copyOf).toMatchObject({ uid: 11, taskId: seedA.taskId });
    });

    it('a wrong-size answer is not remembered, so it cannot make a later honest one a copy', async () => {
      const v = createImageValidator({ checker });
      let taskB: Task | undefined;
      let seedB: TaskSeedArg | undefined;
      const seedA = seedOf(undefined, 21);
      const taskA = createTask(v, seedA);
      while (!taskB) {
        const s = seedOf(undefined, 22);
        const t = createTask(v, s);
        if (t.input.spec.width !== taskA.input.spec.width) {
          taskB = t;
          seedB = s;
        }
      }
      const imageB = b64(await honest(taskB));
      // Miner 21 sends B's image (the wrong size) for its task A ...
      const wrong = await v.score(taskA, response(imageB), ctxOf(seedA, 21));
      expect(wrong.status).toBe('fail');
      expect(wrong.reasons[0]).toMatch(/^wrong size: /);
      // ... and miner 22 answering task B honestly with it still passes.
      const right = await v.score(taskB, response(imageB), ctxOf(seedB!, 22));
      expect(right.status).toBe('pass');
    });
  });
});
