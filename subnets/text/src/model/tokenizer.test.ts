import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextSubnetError } from '../errors.js';
import { loadReferenceModel } from './load.js';
import { regenerate } from './sampling.js';
import {
  buildVocab,
  createTokenizer,
  EOS_ID,
  EOS_TOKEN,
  normalizeText,
  pretokenize,
  UNK_ID,
  UNK_TOKEN,
} from './tokenizer.js';

/** A vocabulary full of the cases the decoder must space apart. */
const TRICKY = [
  UNK_TOKEN,
  EOS_TOKEN,
  'mr',
  'mr.',
  'mrs',
  'st',
  'u',
  's',
  'a',
  'm',
  'u.s.',
  'a.m.',
  '.',
  ',',
  ';',
  ':',
  '!',
  '?',
  '(',
  ')',
  '$',
  '%',
  '&',
  '/',
  '+',
  '-',
  '--',
  "don't",
  'the',
  '3',
  '000',
  'nation',
];

describe('pretokenize', () => {
  it('lowercases, keeps abbreviations and inner apostrophes, splits punctuation and numbers', () => {
    expect(
      pretokenize('Mr. Speaker, the U.S. economy grew 3.5% — don’t doubt it (really)!'),
    ).toEqual([
      'mr.',
      'speaker',
      ',',
      'the',
      'u.s.',
      'economy',
      'grew',
      '3',
      '.',
      '5',
      '%',
      '--',
      "don't",
      'doubt',
      'it',
      '(',
      'really',
      ')',
      '!',
    ]);
  });

  it('turns each newline into <eos> and drops quotes, brackets and other symbols', () => {
    expect(pretokenize('"Hello" [world]\n\nnext')).toEqual([
      'hello',
      'world',
      EOS_TOKEN,
      EOS_TOKEN,
      'next',
    ]);
  });

  it('strips accents and maps dashes to --', () => {
    expect(normalizeText('Café–bar')).toBe('cafe -- bar');
    expect(pretokenize('well-being --- ok')).toEqual(['well', '-', 'being', '--', 'ok']);
  });
});

describe('createTokenizer', () => {
  const tok = createTokenizer(TRICKY);
  const id = (t: string) => tok.idOf(t);

  it('maps words outside the vocabulary to <unk> and newlines to <eos>', () => {
    expect(tok.encode('the zebra\nnation')).toEqual([id('the'), UNK_ID, EOS_ID, id('nation')]);
  });

  it('decodes with the documented spacing rules', () => {
    expect(
      tok.decode([id('the'), id('nation'), id(','), id('('), id('the'), id(')'), id('.')]),
    ).toBe('the nation, (the).');
    expect(tok.decode([id('$'), id('3'), id(','), id('000'), id('%')])).toBe('$3, 000%');
    expect(tok.decode([id('the'), id('-'), id('nation')])).toBe('the-nation');
    expect(tok.decode([id('the'), EOS_ID, id('nation')])).toBe('the\nnation');
    expect(tok.decode([UNK_ID, id('.')])).toBe('<unk>.');
  });

  it('spaces tokens apart where gluing them would read differently', () => {
    expect(tok.decode([id('mr'), id('.')])).toBe('mr .');
    expect(tok.decode([id('mr.'), id('.')])).toBe('mr..');
    expect(tok.decode([id('-'), id('-')])).toBe('- -');
    expect(tok.decode([id('--'), id('-')])).toBe('-- -');
    expect(tok.decode([id('a'), id('.'), id('m'), id('.')])).toBe('a. m.');
  });

  it('round-trips every id sequence: encode(decode(ids)) = ids', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: TRICKY.length - 1 }), { maxLength: 40 }),
        (ids) => {
          expect(tok.encode(tok.decode(ids))).toEqual(ids);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('pieces concatenate to decode', () => {
    const ids = [id('mr'), id('.'), id('the'), id('('), id('3'), id(')'), EOS_ID, id('-'), id('-')];
    let text = '';
    ids.forEach((t, i) => {
      text += tok.piece(i === 0 ? undefined : ids[i - 1], t);
    });
    expect(text).toBe(tok.decode(ids));
  });

  it('rejects ids outside the vocabulary and a vocabulary without its specials', () => {
    expect(() => tok.decode([TRICKY.length])).toThrow(TextSubnetError);
    expect(() => createTokenizer(['the', UNK_TOKEN])).toThrow(/vocab must start/);
    expect(() => createTokenizer([UNK_TOKEN, EOS_TOKEN, 'a', 'a'])).toThrow(/twice/);
  });

  it('builds the vocabulary by count, then alphabetically', () => {
    const counts = new Map([
      ['b', 3],
      ['a', 3],
      ['c', 5],
      ['d', 1],
    ]);
    expect(buildVocab(counts, 5)).toEqual([UNK_TOKEN, EOS_TOKEN, 'c', 'a', 'b']);
  });
});

describe('the reference tokenizer', () => {
  const model = loadReferenceModel();
  const tok = model.tokenizer;

  it('round-trips random id sequences over the whole vocabulary', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: tok.size - 1 }), { maxLength: 60 }), (ids) => {
        expect(tok.encode(tok.decode(ids))).toEqual(ids);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips generated text', () => {
    for (let i = 0; i < 5; i++) {
      const g = regenerate({
        model,
        prompt: 'The economy',
        seed: new Uint8Array(32).fill(i),
        topK: 40,
        maxTokens: 200,
      });
      const visible = g.tokens.filter((t) => t !== EOS_ID);
      expect(tok.decode(visible)).toBe(g.text);
      expect(tok.encode(g.text)).toEqual(visible);
    }
  });
});
