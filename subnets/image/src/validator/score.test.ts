// scoreImage on crafted check results (each path pinned exactly) and on real ones: a task
// rendered by the procedural backend, checked inline (no OCR, and once with PaddleOCR).
import { afterAll, describe, expect, it } from 'vitest';
import type { ImageCheckResult } from '../checks/check-image.js';
import { fontsAvailable, reencode, solidImage, specOf } from '../fixtures.test-util.js';
import { ProceduralBackend } from '../miner/backend.js';
import { PALETTE } from '../prompt/palette.js';
import type { ImageTaskSpec } from '../prompt/spec.js';
import { inlineChecker } from './checker.js';
import { FACET_WEIGHTS, LATENCY, MIN_QUALITY, type ScoreInputs, scoreImage } from './score.js';
import { imageTask } from './task.js';

const TIMEOUT_MS = 10_000;
const fonts = await fontsAvailable();
const checker = inlineChecker({ ocr: 'none' });
afterAll(() => checker.close());

/** A check result with every facet right (crafted), with `patch` over it. */
function crafted(spec: ImageTaskSpec, patch: Partial<ImageCheckResult> = {}): ImageCheckResult {
  return {
    decoded: true,
    components: {
      dimensions: 1,
      background: 1,
      shapeColours: 1,
      colourShare: 1,
      shapeCounts: 1,
      shapeKinds: 1,
      ...(spec.text ? { text: 1 } : {}),
    },
    partial: [],
    evidence: {
      decode: { format: 'png', width: spec.width, height: spec.height, bytes: 1234 },
      hashes: { pHash: '0123456789abcdef', dHash: 'fedcba9876543210' },
    },
    timings: { total: 12 },
    ...patch,
  };
}

const score = (inputs: Partial<ScoreInputs> & Pick<ScoreInputs, 'spec' | 'result'>) =>
  scoreImage({ copy: null, latencyMs: 100, timeoutMs: TIMEOUT_MS, ...inputs });

/** The first task (by counter seed) that asks for text, or does not. */
function taskWith(text: boolean) {
  for (let i = 1; i < 1000; i++) {
    const t = imageTask({ seed: i.toString(16).padStart(64, '0') });
    if (Boolean(t.input.spec.text) === text) return t;
  }
  throw new Error('no such task');
}

async function render(t: ReturnType<typeof imageTask>): Promise<Uint8Array> {
  return new ProceduralBackend().generate({
    prompt: t.input.prompt,
    spec: t.input.spec,
    renderSeed: new Uint8Array(Buffer.from(t.input.render_seed, 'hex')),
  });
}

const check = (bytes: Uint8Array, spec: ImageTaskSpec) => checker.check({ bytes, spec });

describe('scoreImage on crafted results', () => {
  const spec = specOf();

  it('every facet right, fast: pass with score 1 and the components', () => {
    const v = score({ spec, result: crafted(spec) });
    expect(v.status).toBe('pass');
    expect(v.score).toBe(1);
    expect(v.components).toMatchObject({ dimensions: 1, quality: 1, latency: 1, text: 1 });
    expect(v.reasons).toEqual([]);
    expect(v.evidence.latencyMs).toBe(100);
  });

  it('undecodable: fail 0 naming the decode code and reason', () => {
    const v = score({
      spec,
      result: crafted(spec, {
        decoded: false,
        components: {},
        evidence: {},
        failure: { code: 'TOO_MANY_PIXELS', reason: '30000×30000 is over the cap' },
      }),
    });
    expect(v.status).toBe('fail');
    expect(v.score).toBe(0);
    expect(v.components).toEqual({ dimensions: 0 });
    expect(v.reasons[0]).toBe(
      'the image does not decode: TOO_MANY_PIXELS: 30000×30000 is over the cap',
    );
  });

  it('wrong size: fail 0 with both sizes', () => {
    const v = score({
      spec,
      result: crafted(spec, {
        components: { ...crafted(spec).components, dimensions: 0 },
        evidence: { decode: { format: 'jpeg', width: 1024, height: 1024, bytes: 99 } },
      }),
    });
    expect(v.status).toBe('fail');
    expect(v.score).toBe(0);
    expect(v.reasons[0]).toBe('wrong size: 1024×1024, asked for 512×512');
  });

  it('a copy: fail 0 naming the uid and the task', () => {
    const copy = { taskId: '0badcafe-17', uid: 42, pHashDistance: 2, dHashDistance: 5 };
    const v = score({ spec, result: crafted(spec), copy });
    expect(v.status).toBe('fail');
    expect(v.score).toBe(0);
    expect(v.components).toEqual({ dimensions: 1, original: 0 });
    expect(v.reasons[0]).toContain('uid 42');
    expect(v.reasons[0]).toContain('task 0badcafe-17');
    expect(v.reasons[0]).toContain('2 bits');
    expect(v.evidence.copyOf).toEqual(copy);
  });

  it('quality below MIN_QUALITY: fail with the graded score and the low facets', () => {
    const result = crafted(spec, {
      components: {
        dimensions: 1,
        background: 1,
        shapeColours: 0,
        colourShare: 0.2,
        shapeCounts: 0,
        shapeKinds: 1,
        text: 0.4,
      },
    });
    const v = score({ spec, result });
    // (0.2·1 + 0.15·0 + 0.1·0.2 + 0.2·0 + 0.1·1 + 0.25·0.4) / 1.0
    expect(v.components.quality).toBeCloseTo(0.42, 10);
    expect(v.components.quality).toBeLessThan(MIN_QUALITY);
    expect(v.status).toBe('fail');
    expect(v.score).toBeCloseTo(0.42, 10);
    expect(v.reasons[0]).toContain('facets 0.42 of 1');
    expect(v.reasons[0]).toContain('shapeColours 0.00');
    expect(v.reasons[0]).toContain('shapeCounts 0.00');
    expect(v.reasons[0]).toContain('text 0.40');
    expect(v.reasons[0]).not.toContain('background');
  });

  it('just above MIN_QUALITY passes with that score', () => {
    const result = crafted(spec, {
      components: { ...crafted(spec).components, shapeCounts: 0, shapeKinds: 0.5 },
    });
    const v = score({ spec, result });
    // 1 − 0.2 − 0.05
    expect(v.status).toBe('pass');
    expect(v.score).toBeCloseTo(0.75, 10);
  });

  it('a partial facet is left out: null, a "partial:" reason, the rest weighted alone', () => {
    const components = { ...crafted(spec).components, colourShare: 0.5 };
    delete components.text;
    const result = crafted(spec, {
      components,
      partial: [{ component: 'text', reason: 'no OCR engine configured' }],
    });
    const v = score({ spec, result });
    const others = 1 - (FACET_WEIGHTS.text ?? 0);
    expect(v.components.text).toBeNull();
    expect(v.reasons).toContain('partial: text not checked here (no OCR engine configured)');
    expect(v.evidence.partial).toEqual(result.partial);
    expect(v.components.quality).toBeCloseTo(1 - 0.05 / others, 10);
    // The same image with the text scored 0 instead would be lower: the gap is not a zero.
    const zero = score({ spec, result: crafted(spec, { components: { ...components, text: 0 } }) });
    expect(zero.components.quality as number).toBeLessThan(v.components.quality as number);
  });

  it('a task without text ignores any text component', () => {
    const plain = specOf({ text: null });
    const result = crafted(plain, { components: { ...crafted(plain).components, text: 0 } });
    const v = score({ spec: plain, result });
    expect(v.score).toBe(1);
    expect(v.components).not.toHaveProperty('text');
  });

  describe('latency', () => {
    const at = (latencyMs: number) =>
      score({ spec, result: crafted(spec), latencyMs, timeoutMs: TIMEOUT_MS });

    it('is 1 up to a quarter of the timeout and 0.5 at the timeout', () => {
      expect(LATENCY.targetShare).toBe(0.25);
      for (const ms of [0, 1, 1000, 2499, 2500]) {
        expect(at(ms).components.latency, `${ms} ms`).toBe(1);
        expect(at(ms).score).toBe(1);
      }
      expect(at(2600).components.latency).toBeLessThan(1);
      expect(at(TIMEOUT_MS).components.latency).toBeCloseTo(0.5, 10);
      expect(at(TIMEOUT_MS).score).toBeCloseTo(0.5, 10);
      expect(at(3 * TIMEOUT_MS).components.latency).toBeCloseTo(0.5, 10);
    });

    it('falls monotonically between', () => {
      let previous = 1;
      for (let ms = 2500; ms <= TIMEOUT_MS; ms += 125) {
        const latency = at(ms).components.latency as number;
        expect(latency, `${ms} ms`).toBeLessThanOrEqual(previous);
        expect(latency).toBeGreaterThanOrEqual(0.5 - 1e-12);
        previous = latency;
      }
      expect(at(6000).components.latency as number).toBeLessThan(1);
      expect(at(6000).components.latency as number).toBeGreaterThan(0.5);
    });

    it('multiplies the quality: a slow right answer still passes, scaled', () => {
      const result = crafted(spec, { components: { ...crafted(spec).components, text: 0.6 } });
      const fast = score({ spec, result, latencyMs: 0 });
      const slow = score({ spec, result, latencyMs: TIMEOUT_MS });
      expect(slow.status).toBe('pass');
      expect(slow.score).toBeCloseTo((fast.score as number) * 0.5, 10);
    });
  });
});

describe('scoreImage on real checks', () => {
  it('an honest render of a task without text passes ≥ 0.95', async () => {
    const t = taskWith(false);
    const result = await check(await render(t), t.input.spec);
    const v = score({ spec: t.input.spec, result });
    expect(v.status).toBe('pass');
    expect(v.score).toBeGreaterThanOrEqual(0.95);
    expect(v.components.dimensions).toBe(1);
    expect(v.reasons).toEqual([]);
  });

  it('bytes that are no image fail naming the decode code', async () => {
    const t = taskWith(false);
    const garbage = await check(new TextEncoder().encode('definitely not a PNG'), t.input.spec);
    const v = score({ spec: t.input.spec, result: garbage });
    expect(v.status).toBe('fail');
    expect(v.score).toBe(0);
    expect(v.reasons[0]).toMatch(/^the image does not decode: UNSUPPORTED_FORMAT: /);
    const png = await render(t);
    const truncated = await check(png.subarray(0, 200), t.input.spec);
    expect(score({ spec: t.input.spec, result: truncated }).reasons[0]).toMatch(
      /^the image does not decode: CORRUPT: /,
    );
  });

  it('the right image at the wrong size fails "wrong size" with both sizes', async () => {
    const t = taskWith(false);
    const { width, height } = t.input.spec;
    const resized = await reencode(await render(t), 'png', { width: width + 64, height });
    const v = score({ spec: t.input.spec, result: await check(resized, t.input.spec) });
    expect(v.status).toBe('fail');
    expect(v.score).toBe(0);
    expect(v.reasons[0]).toBe(`wrong size: ${width + 64}×${height}, asked for ${width}×${height}`);
  });

  it('a plain background of the right size is below MIN_QUALITY: fail, graded > 0', async () => {
    const t = taskWith(false);
    const { width, height, background } = t.input.spec;
    const flat = await solidImage(width, height, PALETTE[background]);
    const v = score({ spec: t.input.spec, result: await check(flat, t.input.spec) });
    expect(v.status).toBe('fail');
    expect(v.components.background).toBe(1);
    expect(v.components.quality as number).toBeLessThan(MIN_QUALITY);
    expect(v.score as number).toBeGreaterThan(0);
    expect(v.score).toBeCloseTo(v.components.quality as number, 10);
    expect(v.reasons[0]).toMatch(/^not the image asked for: facets 0\.\d\d of 1 \(low: .*shape/);
  });

  it('ocr "none" on a task with text: text null, a partial: reason, scored on the rest', async () => {
    const t = taskWith(true);
    const result = await check(await render(t), t.input.spec);
    expect(result.partial.map((p) => p.component)).toEqual(['text']);
    const v = score({ spec: t.input.spec, result });
    expect(v.status).toBe('pass');
    expect(v.components.text).toBeNull();
    expect(v.reasons.some((r) => r.startsWith('partial: text not checked here'))).toBe(true);
    // The quality is the weighted mean of the facets that were checked, text left out.
    let weighted = 0;
    let total = 0;
    for (const [name, weight] of Object.entries(FACET_WEIGHTS)) {
      if (name === 'text') continue;
      weighted += weight * (result.components[name as keyof typeof result.components] ?? 0);
      total += weight;
    }
    expect(v.components.quality).toBeCloseTo(weighted / total, 12);
    expect(v.score).toBeGreaterThanOrEqual(0.95);
  });

  it.skipIf(!fonts)(
    'with PaddleOCR the text of an honest render is read: pass ≥ 0.95, text 1',
    async () => {
      const paddle = inlineChecker({ ocr: 'paddle' });
      try {
        const t = taskWith(true);
        const result = await paddle.check({ bytes: await render(t), spec: t.input.spec });
        const v = score({ spec: t.input.spec, result });
        expect(result.partial).toEqual([]);
        expect(v.status).toBe('pass');
        expect(v.components.text).toBe(1);
        expect(v.score).toBeGreaterThanOrEqual(0.95);
        expect(v.reasons).toEqual([]);
      } finally {
        await paddle.close();
      }
    },
  );
});
