import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { extractionScore } from '../metrics/index.js';
import { createExtractionTask, type ExtractionMode } from '../tasks/extraction.js';
import {
  datesIn,
  extractFields,
  htmlToText,
  parseExtractionMessages,
  readPage,
  solveExtraction,
} from './extraction.js';

const seed = (i: number): Uint8Array =>
  new Uint8Array(createHash('sha256').update(`solver/extraction/${i}`).digest());

function meanScore(mode: ExtractionMode): number {
  let total = 0;
  for (let i = 0; i < 100; i++) {
    const task = createExtractionTask(seed(i), { mode });
    // Only the messages, frozen copies: the answer key stays with the task.
    const messages = Object.freeze(task.messages.map((m) => Object.freeze({ ...m })));
    total += extractionScore(solveExtraction(messages), task.expected).score;
  }
  return total / 100;
}

describe('solveExtraction over 100 seeded tasks per mode', () => {
  it('extract: mean extractionScore ≥ 0.8', () => {
    // Measured when written: 1.000.
    expect(meanScore('extract')).toBeGreaterThanOrEqual(0.8);
  });

  it('summary: mean extractionScore ≥ 0.5', () => {
    // Measured when written: ~0.79 (coverage ~1, ROUGE-L ~0.45–0.7 by page kind).
    expect(meanScore('summary')).toBeGreaterThanOrEqual(0.5);
  });

  it('answers with exactly the asked keys, as one JSON object', () => {
    for (let i = 0; i < 20; i++) {
      const task = createExtractionTask(seed(i), { mode: 'extract' });
      const got = JSON.parse(solveExtraction(task.messages)) as Record<string, unknown>;
      expect(Object.keys(got)).toEqual(task.fields.map((f) => f.name));
    }
  });

  it('keeps summaries inside the asked word window', () => {
    for (let i = 0; i < 30; i++) {
      const task = createExtractionTask(seed(i), { mode: 'summary' });
      const n = solveExtraction(task.messages).split(/\s+/).length;
      expect(n).toBeGreaterThanOrEqual(10);
      expect(n).toBeLessThanOrEqual(40);
    }
  });
});

describe('look-alike values', () => {
  const fields = [
    {
      name: 'price',
      type: 'number' as const,
      description: 'the current price in dollars, a number',
    },
    { name: 'date', type: 'string' as const, description: 'the date it takes place, YYYY-MM-DD' },
    {
      name: 'rescued',
      type: 'number' as const,
      description: 'how many people were rescued, a number',
    },
  ];

  it('skips the old price, last year’s date and the previous call-out', () => {
    const page = [
      '# Thing',
      '',
      "Last year's fair, held on 11 May 2026, drew 3,600 visitors. Was $60.00.",
      'Now $48.20 (was $53.99). On the previous call-out, 9 people were rescued.',
      'Join us on Wednesday 13 October 2027. The crew brought 15 people ashore, all rescued.',
    ].join('\n');
    expect(extractFields(page, fields)).toEqual({ price: 48.2, date: '2027-10-13', rescued: 15 });
  });

  it('reads HTML rows as label/value lines and unescapes entities', () => {
    const html =
      '<!doctype html><html><head><title>T</title></head><body><nav><a>Home</a></nav><main>' +
      '<h1>Ann &amp; Co Lamp</h1><dl><dt>Item number</dt><dd>AN-1234</dd></dl></main>' +
      '<footer>© Ann</footer></body></html>';
    const view = readPage(html);
    expect(view.heading).toBe('Ann & Co Lamp');
    expect(view.rows).toEqual([{ label: 'Item number', value: 'AN-1234' }]);
    expect(htmlToText(html)).not.toContain('Home');
    expect(datesIn('17 April 2027, April 18, 2027 and 2027-04-19')).toEqual([
      '2027-04-17',
      '2027-04-18',
      '2027-04-19',
    ]);
  });
});

describe('malformed messages', () => {
  it('throws INVALID_ARGUMENT naming what is missing', () => {
    expect(() => solveExtraction([{ role: 'user', content: 'Extract "a" please' }])).toThrow(
      /no page between <<< and >>>/,
    );
    expect(() =>
      parseExtractionMessages([{ role: 'user', content: 'Page:\n<<<\nx\n>>>\n\nDo something.' }]),
    ).toThrow(/neither fields .* nor a summary/);
    expect(() => solveExtraction('nope' as never)).toThrow(/^messages: must be an array/);
  });
});
