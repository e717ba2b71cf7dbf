import { describe, expect, it } from 'vitest';
import { type ExtractionExpected, extractionScore, qaScore } from './score.js';

const key = {
  canonical: '1887',
  variants: ['in 1887'],
  distractors: ['1893', '1902', '1764'],
};

const document =
  'The lighthouse at Varrow Point was built in 1887 by Mara Quillby. A second lighthouse, at ' +
  'Orlen Head, was built in 1893 by Tobin Ashley. The harbour at Varrow Point is shallow, and ' +
  'larger boats still wait for the tide. Local records from that period are patchy, and some ' +
  'accounts disagree on details. The bridge at Varrow Point was finished in 1902.';

describe('qaScore', () => {
  it('scores the canonical answer and its variants 1', () => {
    for (const pred of ['1887', '1887.', 'In 1887', ' in 1887 ']) {
      const r = qaScore(pred, key);
      expect(r.score).toBe(1);
      expect(r.components).toEqual({
        exact: 1,
        f1: 1,
        rougeL: 1,
        contains: 1,
        length: 1,
        hedge: 1,
      });
    }
  });

  it('gives a short sentence that contains the answer partial credit (hand-computed)', () => {
    // tokens [it, was, built, in, 1887]; best gold [in, 1887]: F1 = 2·(2/5)·1/(2/5 + 1) = 4/7;
    // ROUGE-L vs [in, 1887]: P = 2/5, R = 1, β = 1.2 → 2.44·0.4 / (1 + 1.44·0.4)
    const r = qaScore('It was built in 1887.', key);
    const rouge = (2.44 * 0.4) / (1 + 1.44 * 0.4);
    expect(r.components.exact).toBe(0);
    expect(r.components.f1).toBeCloseTo(4 / 7, 12);
    expect(r.components.rougeL).toBeCloseTo(rouge, 12);
    expect(r.components.contains).toBe(1);
    expect(r.score).toBeCloseTo(0.3 * (4 / 7) + 0.1 * rouge + 0.2, 12);
    expect(r.evidence.bestGold).toBe('in 1887');
  });

  it('a wrong answer scores 0, and so does hedging with a distractor', () => {
    expect(qaScore('1893', key).score).toBe(0);
    expect(qaScore('Mara Quillby', key).score).toBe(0);
    const hedge = qaScore('1887 or 1893', key);
    expect(hedge.components.contains).toBe(1);
    expect(hedge.components.hedge).toBe(0);
    expect(hedge.score).toBe(0);
    expect(hedge.evidence.distractorsNamed).toEqual(['1893']);
  });

  it('a copied document contains the answer but scores low', () => {
    const r = qaScore(document, key);
    expect(r.components.contains).toBe(1);
    expect(r.score).toBeLessThan(0.05);
    const copyWithoutDistractors = qaScore(
      'The lighthouse at Varrow Point was built in 1887 by Mara Quillby, and the harbour at ' +
        'Varrow Point is shallow, so larger boats still wait for the tide there.',
      key,
    );
    expect(copyWithoutDistractors.components.hedge).toBe(1);
    expect(copyWithoutDistractors.score).toBeLessThan(0.1);
  });

  it('padding lowers the score', () => {
    const scores = [0, 4, 8, 12].map((n) => qaScore(`1887${' indeed'.repeat(n)}`, key).score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]!).toBeLessThan(scores[i - 1]!);
  });

  it('accepts a distractor that sits inside an accepted answer', () => {
    const k = { canonical: '1,412 barrels', variants: ['1412'], distractors: ['412'] };
    expect(qaScore('1,412 barrels', k).score).toBe(1);
  });

  it('bounds a megabyte answer and rejects a malformed key naming the field', () => {
    const r = qaScore('1887 '.repeat(1_000_000), key);
    expect(r.score).toBe(0);
    expect(r.evidence.truncated).toBe(true);
    expect(qaScore('', key).score).toBe(0);
    expect(() => qaScore('x', { canonical: 3, variants: [] } as never)).toThrow(
      /^key\.canonical: /,
    );
    expect(() => qaScore('x', { canonical: 'a', variants: ['b', null] } as never)).toThrow(
      /^key\.variants\[1\]: /,
    );
    expect(() => qaScore('x', { canonical: 'the', variants: [] })).toThrow(/normalises to nothing/);
    expect(() => qaScore(undefined as never, key)).toThrow(/^pred: /);
  });
});

describe('extractionScore', () => {
  const extract: ExtractionExpected = {
    mode: 'extract',
    object: { name: 'Quillby Copper Kettle', price: 48.2, in_stock: true },
  };
  const summary: ExtractionExpected = {
    mode: 'summary',
    reference: 'The Quillby Copper Kettle costs $48.20, is made in Varrow and is in stock.',
    keyFacts: [
      { label: 'name', forms: ['Quillby Copper Kettle'] },
      { label: 'price', forms: ['$48.20'] },
      { label: 'made_in', forms: ['Varrow'] },
    ],
    minWords: 10,
    maxWords: 50,
  };

  it('extract: the field score, with the parse as a component', () => {
    const ok = extractionScore(
      '```json\n{"name": "Quillby Copper Kettle", "price": 48.2, "in_stock": true}\n```',
      extract,
    );
    expect(ok.score).toBe(1);
    expect(ok.components).toEqual({ fields: 1, parsed: 1 });
    const bad = extractionScore('{"name": "Quillby Kettle", "price": 48.2}', extract);
    expect(bad.score).toBeCloseTo(1 / 3, 12);
    expect(bad.evidence).toMatchObject({ mode: 'extract', wrong: ['name'], missing: ['in_stock'] });
    expect(extractionScore('no json', extract).components.parsed).toBe(0);
  });

  it('summary: the reference scores 1, a thin summary less, a pasted page ~0', () => {
    expect(extractionScore(summary.reference, summary).score).toBeCloseTo(1, 12);
    const thin = extractionScore(
      'This page describes a kettle that you can buy from a shop online.',
      summary,
    );
    expect(thin.components.coverage).toBe(0);
    expect(thin.score).toBeLessThan(0.3);
    const partial = extractionScore(
      'The Quillby Copper Kettle is a copper kettle sold online for 48.20 dollars today.',
      summary,
    );
    expect(partial.evidence).toMatchObject({
      factsFound: ['name', 'price'],
      factsMissing: ['made_in'],
    });
    expect(partial.score).toBeGreaterThan(thin.score);
    expect(partial.score).toBeLessThan(1);
    const page = `${summary.reference} ${'Customers also viewed other kettles and lamps. '.repeat(20)}`;
    const pasted = extractionScore(page, summary);
    expect(pasted.components.coverage).toBe(1);
    expect(pasted.score).toBe(0);
  });

  it('rejects a malformed answer key naming the field', () => {
    expect(() => extractionScore('x', { mode: 'other' } as never)).toThrow(/^expected\.mode: /);
    expect(() => extractionScore('x', { mode: 'extract', object: { a: [] } } as never)).toThrow(
      /^expected\.object\.a: /,
    );
    expect(() =>
      extractionScore('x', { ...summary, keyFacts: [{ label: 'a', forms: [] }] } as never),
    ).toThrow(/^expected\.keyFacts\[0\]\.forms: must not be empty/);
    expect(() => extractionScore('x', { ...summary, maxWords: 0 } as never)).toThrow(/^maxWords: /);
  });
});
