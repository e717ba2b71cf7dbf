import { describe, expect, it } from 'vitest';
import { TextSubnetError } from '../errors.js';
import { createCorpus, loadReferenceCorpus } from './corpus.js';
import { buildDefaultReferenceModel, loadReferenceModel } from './load.js';
import {
  buildReferenceModel,
  deserializeReferenceModel,
  type ReferenceModel,
  trainingStream,
} from './ngram.js';
import { promptContext } from './sampling.js';
import { EOS_ID, UNK_ID } from './tokenizer.js';

const tiny = createCorpus([
  { year: 1, name: 'a', text: 'the cat sat on the mat. the dog sat on the log. the cat ran.' },
  { year: 2, name: 'b', text: 'a dog ran on the mat. the cat sat. the dog sat on the cat.' },
]);

/** Token ids of a text after the implicit BOS. */
const ctxOf = (model: ReferenceModel, text: string) => promptContext(model, text);

function sum(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** The dense distribution ranked the model's way: probability descending, id ascending. */
function denseRanking(dist: Float64Array): number[] {
  return [...dist.keys()].sort((a, b) => (dist[b] as number) - (dist[a] as number) || a - b);
}

describe('buildReferenceModel on a tiny corpus', () => {
  const model = buildReferenceModel(tiny, { order: 3, vocabSize: 16, passageMinTokens: 1 });

  it('computes the interpolated modified Kneser-Ney formula (checked against a plain bigram version)', () => {
    const bigram = buildReferenceModel(tiny, { order: 2, vocabSize: 16, passageMinTokens: 1 });
    const V = bigram.vocabSize;
    const stream = Array.from(trainingStream(tiny, bigram.tokenizer, 1));
    const discounts = (counts: number[]): [number, number, number] => {
      const n = [1, 2, 3, 4].map((k) => counts.filter((c) => c === k).length);
      const [n1, n2, n3, n4] = n as [number, number, number, number];
      if (n.some((x) => x === 0)) return [0.5, 1, 1.5];
      const y = n1 / (n1 + 2 * n2);
      const d = [1 - (2 * y * n2) / n1, 2 - (3 * y * n3) / n2, 3 - (4 * y * n4) / n3];
      // A discount outside (0, k] falls back to its default.
      return d.map((v, i) => (v > 0 && v <= i + 1 ? v : [0.5, 1, 1.5][i])) as [
        number,
        number,
        number,
      ];
    };
    const disc = (d: [number, number, number], c: number) =>
      c === 1 ? d[0] : c === 2 ? d[1] : d[2];
    const pairs = new Map<string, number>();
    for (let i = 1; i < stream.length; i++) {
      const k = `${stream[i - 1]} ${stream[i]}`;
      pairs.set(k, (pairs.get(k) ?? 0) + 1);
    }
    const left = new Map<number, number>();
    for (const k of pairs.keys()) {
      const w = Number(k.split(' ')[1]);
      left.set(w, (left.get(w) ?? 0) + 1);
    }
    const d1 = discounts([...left.values()]);
    const total1 = [...left.values()].reduce((a, b) => a + b, 0);
    const gamma1 = [...left.values()].reduce((a, c) => a + disc(d1, c), 0) / total1;
    const p1 = (w: number) =>
      ((left.get(w) ?? 0) > 0 ? (left.get(w)! - disc(d1, left.get(w)!)) / total1 : 0) + gamma1 / V;
    const d2 = discounts([...pairs.values()]);
    for (const v of [EOS_ID, bigram.tokenizer.idOf('the'), bigram.tokenizer.idOf('cat')]) {
      const row = [...pairs.entries()].filter(([k]) => Number(k.split(' ')[0]) === v);
      const total = row.reduce((a, [, c]) => a + c, 0);
      const gamma = row.reduce((a, [, c]) => a + disc(d2, c), 0) / total;
      const dist = bigram.distribution([v]);
      for (let w = 0; w < V; w++) {
        const c = pairs.get(`${v} ${w}`) ?? 0;
        const expected = (c > 0 ? (c - disc(d2, c)) / total : 0) + gamma * p1(w);
        expect(Math.abs((dist[w] as number) - expected)).toBeLessThan(1e-15);
      }
    }
    // The unigram level uses continuation counts: "sat" (5 times, after 2 distinct words) gets
    // the same p1 as any other word seen after 2 distinct words.
    const tok = bigram.tokenizer;
    expect(left.get(tok.idOf('sat'))).toBe(2);
    expect(
      Math.abs((bigram.distribution([])[tok.idOf('sat')] as number) - p1(tok.idOf('sat'))),
    ).toBeLessThan(1e-15);
  });

  it('backs off to the lower order for an unseen context', () => {
    const tok = model.tokenizer;
    // "mat dog" never occurs: the trigram level is skipped, the bigram context is "dog".
    const unseen = model.distribution([tok.idOf('mat'), tok.idOf('dog')]);
    const lower = model.distribution([tok.idOf('dog')]);
    expect(Array.from(unseen)).toEqual(Array.from(lower));
    // A context of <unk> only falls back to the unigram distribution.
    expect(Array.from(model.distribution([UNK_ID, UNK_ID]))).toEqual(
      Array.from(model.distribution([])),
    );
  });

  it('gives every in-vocabulary token a positive probability', () => {
    for (const ctx of [[], [EOS_ID], ctxOf(model, 'the cat'), ctxOf(model, 'sat on the')]) {
      const dist = model.distribution(ctx);
      expect(Math.min(...dist)).toBeGreaterThan(0);
      expect(Math.abs(sum(dist) - 1)).toBeLessThan(1e-12);
    }
  });

  it('gives the same rankings whether contexts are sorted lazily or precomputed', () => {
    const lazy = buildReferenceModel(tiny, { order: 3, vocabSize: 16, passageMinTokens: 1 });
    const eager = buildReferenceModel(tiny, { order: 3, vocabSize: 16, passageMinTokens: 1 });
    eager.precompute();
    for (const text of ['the cat', 'sat on the', 'dog', '']) {
      expect(eager.topK(ctxOf(eager, text), 12)).toEqual(lazy.topK(ctxOf(lazy, text), 12));
    }
  });

  it('rejects bad options and tokens', () => {
    expect(() => buildReferenceModel(tiny, { order: 5 })).toThrow(TextSubnetError);
    expect(() => buildReferenceModel(tiny, { vocabSize: 9000 })).toThrow(/vocabSize/);
    expect(() => model.probability([], 16)).toThrow(/outside/);
    expect(() => model.distribution([99])).toThrow(/context/);
  });
});

describe('the reference model', () => {
  const model = loadReferenceModel();
  const contexts = [
    [],
    [EOS_ID],
    ctxOf(model, 'we must work together to'),
    ctxOf(model, 'the state of our union is strong.'),
    ctxOf(model, 'god bless america.'),
    ctxOf(model, 'of the'),
    ctxOf(model, 'zebra quagga okapi'),
    ctxOf(model, 'i ask the congress to'),
  ];

  it('is a 4-gram model over 8192 tokens trained on the CC0 State of the Union corpus', () => {
    expect(model.order).toBe(4);
    expect(model.vocabSize).toBe(8192);
    expect(model.info.corpus.license).toMatch(/CC0/);
    expect(model.info.trainingTokens).toBeGreaterThan(500_000);
    expect(model.versionHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('has distributions that sum to 1 within 1e-12 and no zero probability', () => {
    for (const ctx of contexts) {
      const dist = model.distribution(ctx);
      expect(Math.abs(sum(dist) - 1)).toBeLessThan(1e-12);
      expect(Math.min(...dist)).toBeGreaterThan(0);
    }
  });

  it('agrees bit for bit between point queries, the dense distribution and the ranked stream', () => {
    for (const ctx of contexts) {
      const dist = model.distribution(ctx);
      for (const t of [0, 1, 2, 17, 100, 4000, 8191])
        expect(model.probability(ctx, t)).toBe(dist[t]);
      const ranking = denseRanking(dist).slice(0, 300);
      const stream = model.ranked(ctx);
      for (const t of ranking) {
        expect(stream.next()).toBe(true);
        expect(stream.token).toBe(t);
        expect(stream.prob).toBe(dist[t]);
      }
      const top = model.topK(ctx, 20);
      expect(top.map((x) => x.token)).toEqual(ranking.slice(0, 20));
      expect(top[0]?.logprob).toBe(Math.log(dist[ranking[0] as number] as number));
      expect(model.rank(ctx, ranking[7] as number, 20)).toBe(7);
      expect(model.rank(ctx, ranking[25] as number, 20)).toBe(-1);
    }
  });

  it('streams the whole vocabulary in order', () => {
    const ctx = contexts[2] as number[];
    const dist = model.distribution(ctx);
    const stream = model.ranked(ctx);
    const seen = new Set<number>();
    let prev = Number.POSITIVE_INFINITY;
    let prevToken = -1;
    while (stream.next()) {
      expect(stream.prob).toBe(dist[stream.token]);
      expect(stream.prob < prev || (stream.prob === prev && stream.token > prevToken)).toBe(true);
      prev = stream.prob;
      prevToken = stream.token;
      seen.add(stream.token);
    }
    expect(seen.size).toBe(model.vocabSize);
  });

  it('gives <eos> a high probability after a closing formula and a tiny one mid-sentence', () => {
    expect(model.probability(ctxOf(model, 'god bless america.'), EOS_ID)).toBeGreaterThan(0.5);
    expect(model.probability(ctxOf(model, 'and the'), EOS_ID)).toBeLessThan(1e-4);
  });

  it('is deterministic: an in-memory build, the loaded model and a serialize round trip agree', () => {
    const built = buildDefaultReferenceModel();
    expect(built.versionHash).toBe(model.versionHash);
    const again = deserializeReferenceModel(built.serialize());
    expect(again.versionHash).toBe(model.versionHash);
    for (const ctx of contexts) {
      expect(Array.from(again.distribution(ctx))).toEqual(Array.from(model.distribution(ctx)));
    }
    expect(loadReferenceCorpus().sha256).toBe(model.info.corpus.sha256);
  });

  it('rejects bytes that are no model', () => {
    const bytes = model.serialize();
    expect(() => deserializeReferenceModel(new Uint8Array(20))).toThrow(/magic/);
    expect(() => deserializeReferenceModel(bytes.subarray(0, bytes.length - 3))).toThrow(
      TextSubnetError,
    );
    const withTail = new Uint8Array(bytes.length + 1);
    withTail.set(bytes);
    expect(() => deserializeReferenceModel(withTail)).toThrow(/trailing/);
  });
});
