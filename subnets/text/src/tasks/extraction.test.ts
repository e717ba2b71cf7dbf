import { SEED_BYTES } from '@subnetkit/neuron/random';
import { describe, expect, it } from 'vitest';
import { extractionScore } from '../metrics/score.js';
import { countWords } from '../metrics/text.js';
import { createExtractionTask, type ExtractionTask, PAGE_KINDS } from './extraction.js';

function seedOf(n: number): Uint8Array {
  const s = new Uint8Array(SEED_BYTES);
  new DataView(s.buffer).setUint32(4, n);
  return s;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "2027-04-09" → "9 April 2027", as the pages write dates. */
function dmy(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[m! - 1]} ${y}`;
}

const extracts: ExtractionTask[] = PAGE_KINDS.flatMap((page, k) =>
  Array.from({ length: 30 }, (_, i) =>
    createExtractionTask(seedOf(100 * k + i), { page, mode: 'extract' }),
  ),
);
const summaries: ExtractionTask[] = PAGE_KINDS.flatMap((page, k) =>
  Array.from({ length: 20 }, (_, i) =>
    createExtractionTask(seedOf(5000 + 100 * k + i), { page, mode: 'summary' }),
  ),
);

describe('createExtractionTask', () => {
  it('is deterministic per seed, and different seeds give different pages', () => {
    expect(createExtractionTask(seedOf(1))).toEqual(createExtractionTask(seedOf(1)));
    const contents = new Set([...extracts, ...summaries].map((t) => t.page.content));
    expect(contents.size).toBe(extracts.length + summaries.length);
    const free = Array.from({ length: 60 }, (_, i) => createExtractionTask(seedOf(9000 + i)));
    expect(new Set(free.map((t) => t.mode))).toEqual(new Set(['extract', 'summary']));
    expect(new Set(free.map((t) => t.page.kind))).toEqual(new Set(PAGE_KINDS));
    expect(new Set(free.map((t) => t.page.format))).toEqual(new Set(['html', 'text']));
  });

  it('renders HTML or plain text as asked', () => {
    const html = createExtractionTask(seedOf(2), { format: 'html' }).page.content;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toMatch(/<h1>[^<]+<\/h1>/);
    const text = createExtractionTask(seedOf(2), { format: 'text' }).page.content;
    expect(text).not.toMatch(/[<>]/);
  });

  it('asks for 3+ fields whose expected values the page states', () => {
    for (const t of extracts) {
      expect(t.expected.mode).toBe('extract');
      if (t.expected.mode !== 'extract') continue;
      const keys = Object.keys(t.expected.object);
      expect(keys.length).toBeGreaterThanOrEqual(3);
      expect(t.fields.map((f) => f.name)).toEqual(keys);
      for (const [key, value] of Object.entries(t.expected.object)) {
        expect(t.messages[1]!.content).toContain(`"${key}"`);
        const c = t.page.content;
        if (typeof value === 'boolean') expect(c).toContain(value ? 'In stock' : 'Out of stock');
        else if (key === 'date') expect(c).toContain(dmy(String(value)));
        else if (key === 'price') expect(c).toContain(`Now $${(value as number).toFixed(2)}`);
        else expect(c, `${key}=${String(value)}`).toContain(String(value));
      }
    }
  });

  it('places look-alike values next to the real ones (an old price, last year’s date)', () => {
    const product = createExtractionTask(seedOf(3), { page: 'product', mode: 'extract' });
    expect(product.page.content).toMatch(/\(was \$[\d,]+\.\d\d\)/);
    const event = createExtractionTask(seedOf(3), { page: 'event', mode: 'extract' });
    expect(event.page.content.match(/\d{1,2} [A-Z][a-z]+ \d{4}/g)!.length).toBeGreaterThanOrEqual(
      3,
    );
  });

  it('scores the expected object 1 and penalises wrong, missing and extra fields', () => {
    for (const t of extracts) {
      if (t.expected.mode !== 'extract') continue;
      const object = t.expected.object;
      const keys = Object.keys(object);
      expect(
        extractionScore(`\`\`\`json\n${JSON.stringify(object)}\n\`\`\``, t.expected).score,
      ).toBe(1);
      const wrong = { ...object, [keys[0]!]: 'something else' };
      expect(extractionScore(JSON.stringify(wrong), t.expected).score).toBeCloseTo(
        (keys.length - 1) / keys.length,
        12,
      );
      const { [keys[1]!]: _dropped, ...missing } = object;
      expect(extractionScore(JSON.stringify(missing), t.expected).score).toBeCloseTo(
        (keys.length - 1) / keys.length,
        12,
      );
      const extra = { ...object, note: 'x' };
      expect(extractionScore(JSON.stringify(extra), t.expected).score).toBeCloseTo(
        keys.length / (keys.length + 1),
        12,
      );
      expect(extractionScore(t.page.content, t.expected).score).toBeLessThan(0.5);
    }
  });

  it('the old price on the page is a wrong price', () => {
    const amount = (re: RegExp, c: string) => Number(c.match(re)![1]!.replace(/,/g, ''));
    let checked = 0;
    for (const t of extracts) {
      if (t.expected.mode !== 'extract' || !('price' in t.expected.object)) continue;
      const old = amount(/\(was \$([\d,]+\.\d\d)\)/, t.page.content);
      const now = amount(/Now \$([\d,]+\.\d\d)/, t.page.content);
      expect(t.expected.object.price).toBeCloseTo(now, 9);
      const withOld = { ...t.expected.object, price: old };
      const r = extractionScore(JSON.stringify(withOld), t.expected);
      expect(r.evidence).toMatchObject({ wrong: ['price'] });
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('summary tasks: the reference fits its window and scores ~1, a pasted page ~0', () => {
    for (const t of summaries) {
      expect(t.expected.mode).toBe('summary');
      if (t.expected.mode !== 'summary') continue;
      const words = countWords(t.expected.reference);
      expect(words).toBeGreaterThanOrEqual(t.expected.minWords);
      expect(words).toBeLessThanOrEqual(t.expected.maxWords);
      const ref = extractionScore(t.expected.reference, t.expected);
      expect(ref.components.coverage).toBe(1);
      expect(ref.score).toBeCloseTo(1, 12);
      expect(extractionScore(t.page.content, t.expected).score).toBeLessThan(0.1);
      expect(extractionScore('A page about something.', t.expected).score).toBeLessThan(0.2);
      expect(t.messages[0]!.content).toMatch(/one or two plain sentences/);
      expect(t.messages[1]!.content).toContain(t.page.content);
      expect(t.messages[1]!.content).not.toContain(t.expected.reference);
    }
  });

  it('rejects a bad seed or option naming the field', () => {
    expect(() => createExtractionTask(new Uint8Array(1))).toThrow(/^seed: /);
    expect(() => createExtractionTask(seedOf(1), { mode: 'qa' as never })).toThrow(/^mode: /);
    expect(() => createExtractionTask(seedOf(1), { page: 'blog' as never })).toThrow(/^page: /);
    expect(() => createExtractionTask(seedOf(1), { format: 'pdf' as never })).toThrow(/^format: /);
  });
});
