import { describe, expect, it } from 'vitest';
import { TextSubnetError } from '../errors.js';
import { loadReferenceModel } from './load.js';
import {
  checkRegeneration,
  type GenerateOptions,
  generate,
  inSupport,
  promptContext,
  promptTokens,
  regenerate,
  resolveParams,
  sampleStep,
  seededUniform,
} from './sampling.js';
import { EOS_ID } from './tokenizer.js';

const model = loadReferenceModel();
const seed = (byte: number) => new Uint8Array(32).fill(byte);
const base: GenerateOptions = {
  model,
  prompt: 'The state of our union is',
  seed: seed(1),
  temperature: 1,
  topK: 20,
  maxTokens: 120,
};
const bytesOf = (g: ReturnType<typeof regenerate>) => JSON.stringify(g);

describe('seededUniform', () => {
  it('is sha256 of the domain, seed and step, as 53 bits in [0, 1)', () => {
    // Pinned from an independent Python implementation of the documented rule (hashlib).
    expect(seededUniform(seed(0), 0)).toBe(0.4648533294347196);
    expect(seededUniform(seed(0), 1)).toBe(0.5992462574022113);
    for (let i = 0; i < 200; i++) {
      const u = seededUniform(seed(9), i);
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      expect(Number.isInteger(u * 2 ** 53)).toBe(true);
    }
    expect(() => seededUniform(new Uint8Array(31), 0)).toThrow(TextSubnetError);
  });
});

describe('generate', () => {
  it('is reproducible byte for byte from the seed, and another seed gives another text', () => {
    const a = regenerate(base);
    const b = regenerate(base);
    expect(bytesOf(a)).toBe(bytesOf(b));
    const c = regenerate({ ...base, seed: seed(2) });
    expect(c.text).not.toBe(a.text);
  });

  it('streams tokens whose pieces, logprobs and usage add up', () => {
    const steps = [...generate({ ...base, logprobs: 3 })];
    const g = regenerate({ ...base, logprobs: 3 });
    expect(steps).toEqual(g.steps);
    expect(steps.map((s) => s.text).join('')).toBe(g.text);
    const context = promptContext(model, base.prompt);
    for (const step of steps) {
      expect(step.logprob).toBe(model.logprob(context, step.token));
      expect(step.top).toEqual(
        model.topK(context, 3).map((t) => ({ token: t.token, logprob: t.logprob })),
      );
      expect(step.top[0]?.logprob).toBeGreaterThanOrEqual(step.logprob);
      context.push(step.token);
    }
    // The same with the whole vocabulary as support (ranks read lazily) and with more
    // logprobs than the top-k holds.
    for (const options of [
      { ...base, topK: 0, logprobs: 4 },
      { ...base, topK: 2, logprobs: 6 },
      { ...base, temperature: 0, logprobs: 2 },
    ]) {
      const ctx = promptContext(model, base.prompt);
      for (const step of regenerate({ ...options, maxTokens: 30 }).steps) {
        const expected = model.topK(ctx, options.logprobs);
        expect(step.top).toEqual(expected.map((t) => ({ token: t.token, logprob: t.logprob })));
        ctx.push(step.token);
      }
    }
    const prompt = promptTokens(model, base.prompt);
    expect(g.usage).toEqual({
      promptTokens: prompt.length,
      completionTokens: g.tokens.length,
      totalTokens: prompt.length + g.tokens.length,
    });
  });

  it('ends at <eos> (finish "stop") or at maxTokens (finish "length")', () => {
    let stopped = false;
    let lengthCut = false;
    for (let i = 0; i < 12 && !(stopped && lengthCut); i++) {
      const g = regenerate({ ...base, seed: seed(i), maxTokens: 60 });
      if (g.finishReason === 'stop') {
        stopped = true;
        expect(g.tokens.at(-1)).toBe(EOS_ID);
        expect(g.tokens.indexOf(EOS_ID)).toBe(g.tokens.length - 1);
      } else {
        lengthCut = true;
        expect(g.tokens).toHaveLength(60);
        expect(g.tokens).not.toContain(EOS_ID);
      }
    }
    expect(stopped && lengthCut).toBe(true);
  });

  it('topK 1 and temperature 0 are greedy: the argmax at every step', () => {
    const greedy = regenerate({ ...base, topK: 1, maxTokens: 40 });
    const zero = regenerate({ ...base, temperature: 0, topK: 0, seed: seed(5), maxTokens: 40 });
    expect(zero.tokens).toEqual(greedy.tokens);
    const context = promptContext(model, base.prompt);
    for (const t of greedy.tokens) {
      expect(t).toBe(model.topK(context, 1)[0]?.token);
      context.push(t);
    }
  });

  it('a temperature near 0 samples like greedy', () => {
    const greedy = regenerate({ ...base, temperature: 0, maxTokens: 40 });
    for (let i = 0; i < 4; i++) {
      const cold = regenerate({ ...base, temperature: 0.01, seed: seed(i), maxTokens: 40 });
      expect(cold.tokens).toEqual(greedy.tokens);
    }
  });

  it('a high temperature flattens the distribution (reaches lower ranks)', () => {
    const ranks = (temperature: number) => {
      let total = 0;
      let n = 0;
      for (let i = 0; i < 6; i++) {
        const g = regenerate({ ...base, temperature, seed: seed(40 + i), maxTokens: 50 });
        const context = promptContext(model, base.prompt);
        for (const t of g.tokens) {
          total += model.rank(context, t, 20);
          n++;
          context.push(t);
        }
      }
      return total / n;
    };
    expect(ranks(3)).toBeGreaterThan(ranks(0.5));
  });

  it('topP cuts the tail: a tiny topP is greedy, topP 0.5 stays in the nucleus', () => {
    const greedy = regenerate({ ...base, temperature: 0, maxTokens: 30 });
    expect(regenerate({ ...base, topK: 0, topP: 1e-9, maxTokens: 30 }).tokens).toEqual(
      greedy.tokens,
    );
    const params = resolveParams({ temperature: 1, topK: 0, topP: 0.5 });
    for (let i = 0; i < 3; i++) {
      const g = regenerate({ ...base, ...params, seed: seed(60 + i), maxTokens: 30 });
      const context = promptContext(model, base.prompt);
      for (const t of g.tokens) {
        // The token's rank is within the smallest prefix holding half the mass.
        const top = model.topK(context, 400);
        let mass = 0;
        let r = 0;
        while (r < top.length && mass < 0.5) mass += (top[r++] as { prob: number }).prob;
        expect(top.slice(0, r).map((x) => x.token)).toContain(t);
        expect(inSupport(model, context, params, t)).toBe(true);
        context.push(t);
      }
    }
  });

  it('topK keeps the k most probable tokens only', () => {
    const params = resolveParams({ temperature: 2, topK: 3 });
    const context = promptContext(model, base.prompt);
    const top3 = model.topK(context, 3).map((x) => x.token);
    const seen = new Set<number>();
    for (let u = 0; u < 1; u += 0.01) seen.add(sampleStep(model, context, params, u).token);
    expect([...seen].sort()).toEqual([...top3].sort());
    expect(inSupport(model, context, params, model.topK(context, 4)[3]?.token as number)).toBe(
      false,
    );
  });

  it('accepts chat messages (each followed by <eos>) and token prompts', () => {
    const messages = { messages: [{ role: 'user', content: 'How is the economy?' }] };
    const ids = promptTokens(model, messages);
    expect(ids.at(-1)).toBe(EOS_ID);
    expect(regenerate({ ...base, prompt: messages }).tokens).toEqual(
      regenerate({ ...base, prompt: { tokens: ids } }).tokens,
    );
  });

  it('rejects bad parameters with the field at fault', () => {
    const field = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as TextSubnetError).field;
      }
      return undefined;
    };
    expect(field(() => regenerate({ ...base, temperature: -1 }))).toBe('temperature');
    expect(field(() => regenerate({ ...base, topK: 1.5 }))).toBe('topK');
    expect(field(() => regenerate({ ...base, topP: 0 }))).toBe('topP');
    expect(field(() => regenerate({ ...base, maxTokens: 0 }))).toBe('maxTokens');
    expect(field(() => regenerate({ ...base, seed: new Uint8Array(8) }))).toBe('seed');
    expect(field(() => regenerate({ ...base, prompt: { tokens: [9999] } }))).toBe('prompt');
  });
});

/**
 * The README's sampling algorithm written plainly over the dense distribution (a full sort),
 * as another implementation would: sampleStep must pick the same token for every u.
 */
function plainStep(dist: Float64Array, p: ReturnType<typeof resolveParams>, u: number): number {
  const ranked = [...dist.keys()].sort(
    (a, b) => (dist[b] as number) - (dist[a] as number) || a - b,
  );
  if (p.temperature === 0) return ranked[0] as number;
  const kept = p.topK === 0 ? ranked : ranked.slice(0, p.topK);
  const logMax = Math.log(dist[ranked[0] as number] as number);
  const q = new Map<number, number>();
  for (const t of kept) {
    const pt = dist[t] as number;
    q.set(t, p.temperature === 1 ? pt : Math.exp((Math.log(pt) - logMax) / p.temperature));
  }
  let z = 0;
  for (const t of [...kept].sort((a, b) => a - b)) z += q.get(t) as number;
  let nucleus = kept;
  let mass = z;
  if (p.topP < 1) {
    let running = 0;
    let i = 0;
    for (; i < kept.length; i++) {
      running += q.get(kept[i] as number) as number;
      if (running >= p.topP * z) break;
    }
    nucleus = kept.slice(0, Math.min(i + 1, kept.length));
    mass = running;
  }
  const r = u * mass;
  let running = 0;
  for (const t of nucleus) {
    running += q.get(t) as number;
    if (running > r) return t;
  }
  return nucleus.at(-1) as number;
}

describe('sampleStep', () => {
  it('follows the documented algorithm (checked against a plain dense implementation)', () => {
    const sets = [
      { temperature: 1, topK: 20 },
      { temperature: 0.7, topK: 50, topP: 0.9 },
      { temperature: 1.5, topK: 0, topP: 0.8 },
      { temperature: 1, topK: 0 },
      { temperature: 0.5, topK: 0 },
      { temperature: 0 },
    ];
    const contexts = [
      promptContext(model, 'The state of our union is'),
      promptContext(model, 'god bless america.'),
      promptContext(model, 'zebra'),
    ];
    for (const set of sets) {
      const params = resolveParams(set);
      for (const context of contexts) {
        const dist = model.distribution(context);
        const us = [
          0,
          0.5,
          0.999,
          1 - 2 ** -53,
          ...Array.from({ length: 25 }, (_, i) => seededUniform(seed(3), i)),
        ];
        for (const u of us) {
          expect(sampleStep(model, context, params, u).token, JSON.stringify(set)).toBe(
            plainStep(dist, params, u),
          );
        }
      }
    }
  });
});

describe('checkRegeneration', () => {
  it('accepts the exact regeneration and finds the first changed token', () => {
    const g = regenerate(base);
    const check = (tokens: readonly number[]) =>
      checkRegeneration({ model, prompt: base.prompt, seed: base.seed, params: base, tokens });
    expect(check(g.tokens)).toEqual({ match: true, firstMismatch: -1, expected: undefined });
    const changed = [...g.tokens];
    changed[5] = changed[5] === 2 ? 3 : 2;
    expect(check(changed)).toEqual({ match: false, firstMismatch: 5, expected: g.tokens[5] });
    expect(check(g.tokens.slice(0, 10)).firstMismatch).toBe(10);
    expect(check([...g.tokens, 2]).match).toBe(false);
    expect(
      checkRegeneration({
        model,
        prompt: base.prompt,
        seed: seed(99),
        params: base,
        tokens: g.tokens,
      }).match,
    ).toBe(false);
  });
});
