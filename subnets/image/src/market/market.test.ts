import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@subnetkit/neuron';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../checks/decode.js';
import { toGrey } from '../checks/grey.js';
import { hammingDistance, pHash } from '../checks/phash.js';
import { ProceduralBackend } from '../miner/backend.js';
import { createImageMiner } from '../miner/miner.js';
import { inlineChecker } from '../validator/checker.js';
import { COPY_MAX_PHASH_DISTANCE } from '../validator/copies.js';
import { imageTask } from '../validator/task.js';
import { createImageValidator } from '../validator/validator.js';
import {
  ADVERSARY_VARIANTS,
  type AdversaryVariant,
  adversaryConfigSchema,
  createAdversaryMiner,
} from './adversaries.js';
import { market } from './roster.js';

const honest = () => createImageMiner(new ProceduralBackend());
const adversary = (variant: AdversaryVariant) => createAdversaryMiner(variant, honest());
// The parts of the forward context the image miner reads.
const ctx = (signal = new AbortController().signal, timeout = 0.4) =>
  ({ backend: new ProceduralBackend(), signal, timeout }) as never;
const task = () => imageTask({ seed: randomBytes(32).toString('hex') });
const size = async (b64: string | null) => {
  const m = await sharp(Buffer.from(b64 ?? '', 'base64')).metadata();
  return [m.width, m.height];
};

describe('adversarial image miners', () => {
  const checker = inlineChecker({ ocr: 'none' });
  afterAll(() => checker.close());

  it('misbehave as described: blank, wrong size, a replay of the first image, late', async () => {
    const t = task();
    const { width, height } = t.private.spec;
    const blank = await adversary('blank').forward(t.input, ctx());
    const stats = await sharp(Buffer.from(blank.image_b64!, 'base64')).stats();
    expect(await size(blank.image_b64)).toEqual([width, height]);
    expect(stats.channels.every((c) => c.stdev === 0)).toBe(true);
    expect(await size((await adversary('wrong-size').forward(t.input, ctx())).image_b64)).toEqual([
      width + 64,
      height,
    ]);
    const copycat = adversary('copycat');
    const first = await copycat.forward(t.input, ctx());
    const other = task();
    const second = await copycat.forward(other.input, ctx());
    expect(await size(second.image_b64)).toEqual([
      other.private.spec.width,
      other.private.spec.height,
    ]);
    expect(second.image_b64).not.toBe((await honest().forward(other.input, ctx())).image_b64);
    // The same image for two tasks: one of its own, never the asked one.
    expect(first.image_b64).not.toBe((await honest().forward(t.input, ctx())).image_b64);
    const hashes = async (b64: string | null) => {
      const d = await decodeImage(new Uint8Array(Buffer.from(b64 ?? '', 'base64')));
      if (!d.ok) throw new Error(d.failure.reason);
      return pHash(toGrey(d.image));
    };
    expect(
      hammingDistance(await hashes(first.image_b64), await hashes(second.image_b64)),
    ).toBeLessThanOrEqual(COPY_MAX_PHASH_DISTANCE);
    const started = Date.now();
    await adversary('slow').forward(t.input, ctx(new AbortController().signal, 0.4));
    expect(Date.now() - started).toBeGreaterThanOrEqual(0.85 * 400 - 5);
    const controller = new AbortController();
    const slow = adversary('slow').forward(t.input, ctx(controller.signal, 10));
    controller.abort();
    await expect(slow).rejects.toThrow(/cancelled/);
  });

  it('each one scores below the honest miner on the same task', async () => {
    const validator = createImageValidator({ checker });
    const score = async (
      miner: ReturnType<typeof honest>,
      t: ReturnType<typeof task>,
      uid: number,
      latencyMs: number,
    ) => {
      const output = await miner.forward(t.input, ctx(new AbortController().signal, 0.4));
      const v = await validator.score(
        { input: t.input, private: t.private } as never,
        { ok: true, output } as never,
        {
          seed: { taskId: `t-${uid}-${t.input.render_seed.slice(0, 8)}`, seed: '' },
          uid,
          latencyMs,
          timeoutS: 2,
          keep: async () => null,
        } as never,
      );
      return v.score ?? 0;
    };
    const copycat = adversary('copycat');
    await score(copycat, task(), 9, 100); // the validator has seen its image once
    const t = task();
    const right = await score(honest(), t, 1, 100);
    expect(right).toBeGreaterThan(0.9);
    const others: Record<string, number> = {
      blank: await score(adversary('blank'), t, 2, 100),
      'wrong-size': await score(adversary('wrong-size'), t, 3, 100),
      copycat: await score(copycat, t, 9, 100),
      // the validator's clock: an answer at 85 % of the timeout
      slow: await score(adversary('slow'), t, 4, 1700),
    };
    expect(Object.keys(others).sort()).toEqual([...ADVERSARY_VARIANTS].sort());
    for (const [variant, s] of Object.entries(others)) {
      expect(s, variant).toBeLessThan(right * 0.75);
    }
  });

  it('--market.variant is required and checked; the image flags stay', () => {
    const load = (argv: string[]) => {
      const r = loadConfig(adversaryConfigSchema, { argv, env: {} });
      if (r.help) throw new Error('help');
      return r.config;
    };
    expect(load(['--market.variant', 'copycat']).market.variant).toBe('copycat');
    expect(load(['--market.variant', 'blank']).image.backend).toBe('procedural');
    expect(() => load([])).toThrow(/market\.variant/);
    expect(() => adversary('lazy' as AdversaryVariant)).toThrow(/market\.variant/);
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
