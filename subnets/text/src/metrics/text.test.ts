import { describe, expect, it } from 'vitest';
import { TextSubnetError } from '../errors.js';
import {
  answerTokens,
  containsRun,
  countWords,
  exactMatch,
  lcsLength,
  lengthWindow,
  MAX_SCORED_CHARS,
  normalizeAnswer,
  rougeL,
  tokenF1,
} from './text.js';

describe('normalizeAnswer (SQuAD)', () => {
  it('lowercases, drops punctuation and articles, collapses whitespace', () => {
    expect(normalizeAnswer('  The Denver   Broncos! ')).toBe('denver broncos');
    expect(normalizeAnswer('An apple, a day.')).toBe('apple day');
    expect(normalizeAnswer('1,412 barrels')).toBe('1412 barrels');
    expect(normalizeAnswer('2027-04-17')).toBe('20270417');
    expect(normalizeAnswer('“Quoted” — text…')).toBe('quoted text');
  });

  it('keeps articles inside words and non-ASCII letters', () => {
    expect(normalizeAnswer('Theatre another Anthem')).toBe('theatre another anthem');
    expect(normalizeAnswer('Café Ōsaka')).toBe('café ōsaka');
    expect(normalizeAnswer('the')).toBe('');
  });
});

describe('exactMatch and tokenF1 (SQuAD examples, hand-computed)', () => {
  it('exact match after normalisation, against any gold', () => {
    expect(exactMatch('the Denver Broncos.', ['Denver Broncos'])).toBe(1);
    expect(exactMatch('Denver', ['Denver Broncos', 'Broncos'])).toBe(0);
    expect(exactMatch('broncos', ['Denver Broncos', 'Broncos'])).toBe(1);
  });

  it('token F1 is 2PR/(P+R) over token multisets, max over golds', () => {
    // pred [denver, broncos, won] vs gold [denver, broncos]: P = 2/3, R = 1 → 0.8
    expect(tokenF1('The Denver Broncos won', ['Denver Broncos'])).toBeCloseTo(0.8, 12);
    expect(tokenF1('The Denver Broncos won', ['Carolina Panthers', 'Denver Broncos'])).toBeCloseTo(
      0.8,
      12,
    );
    // pred [broncos, broncos] vs [denver, broncos]: one shared token, P = R = 1/2
    expect(tokenF1('Broncos Broncos', ['Denver Broncos'])).toBeCloseTo(0.5, 12);
    // pred [santa, clara] vs [levis, stadium, santa, clara, california]: P = 1, R = 2/5 → 4/7
    expect(tokenF1('Santa Clara', ["Levi's Stadium, Santa Clara, California"])).toBeCloseTo(
      4 / 7,
      12,
    );
    expect(tokenF1('Carolina', ['Denver Broncos'])).toBe(0);
  });

  it('empty answers: both empty is 1, one empty is 0', () => {
    expect(tokenF1('', ['the'])).toBe(1);
    expect(tokenF1('', ['Denver'])).toBe(0);
    expect(tokenF1('Denver', ['a'])).toBe(0);
  });

  it('rejects non-strings and empty gold lists naming the field', () => {
    expect(() => exactMatch(42 as unknown as string, ['x'])).toThrow(/^pred: must be a string/);
    expect(() => tokenF1('x', [])).toThrow(/^golds: must be a non-empty array/);
    expect(() => tokenF1('x', ['a', 3 as unknown as string])).toThrow(/^golds\[1\]: /);
    expect(() => tokenF1('x', [])).toThrow(TextSubnetError);
  });
});

describe('rougeL', () => {
  it('counts the longest common subsequence', () => {
    expect(lcsLength([...'ABCBDAB'], [...'BDCABA'])).toBe(4);
    expect(lcsLength([], ['a'])).toBe(0);
  });

  it('matches hand-computed F-measures', () => {
    // ref [police, killed, gunman], pred [police, kill, gunman]: LCS 2, P = R = 2/3
    expect(rougeL('police kill the gunman', 'police killed the gunman')).toBeCloseTo(2 / 3, 12);
    // pred [gunman, kill, police]: LCS 1, P = R = 1/3
    expect(rougeL('the gunman kill police', 'police killed the gunman')).toBeCloseTo(1 / 3, 12);
    // ref w1..w4, pred w1 w3: LCS 2, R = 1/2, P = 1; β = 1.2 → 2.44·0.5 / (0.5 + 1.44) = 0.62887
    expect(rougeL('w1 w3', 'w1 w2 w3 w4')).toBeCloseTo(1.22 / 1.94, 12);
    expect(rougeL('w1 w3', 'w1 w2 w3 w4', { beta: 1 })).toBeCloseTo(2 / 3, 12);
    expect(rougeL('same words here', 'Same words, here.')).toBe(1);
    expect(rougeL('', 'x')).toBe(0);
    expect(() => rougeL('a', 'b', { beta: 0 })).toThrow(/^beta: /);
  });
});

describe('lengthWindow', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
  const win = { minWords: 2, maxWords: 10 };

  it('is 1 inside the window, words/min below it, linear down to 0 at 2 × max above it', () => {
    expect(lengthWindow(words(2), win)).toBe(1);
    expect(lengthWindow(words(10), win)).toBe(1);
    expect(lengthWindow(words(1), win)).toBe(0.5);
    expect(lengthWindow('', win)).toBe(0);
    expect(lengthWindow(words(15), win)).toBe(0.5);
    expect(lengthWindow(words(20), win)).toBe(0);
    expect(lengthWindow(words(5000), win)).toBe(0);
  });

  it('falls as padding grows', () => {
    let last = 2;
    for (const n of [10, 12, 14, 16, 18]) {
      const m = lengthWindow(words(n), win);
      expect(m).toBeLessThan(last);
      last = m;
    }
  });

  it('rejects a bad window naming the field', () => {
    expect(() => lengthWindow('x', { minWords: -1, maxWords: 3 })).toThrow(/^minWords: /);
    expect(() => lengthWindow('x', { minWords: 4, maxWords: 3 })).toThrow(/^maxWords: /);
    expect(() => lengthWindow('x', undefined as never)).toThrow(/^minWords: /);
    expect(() => lengthWindow(null as never, win)).toThrow(/^pred: /);
  });
});

describe('bounded work on huge input', () => {
  const huge = 'padding words '.repeat(400_000); // 5.6 MB

  it('counts words with an early exit and tokenises only the first MAX_SCORED_CHARS', () => {
    expect(countWords(huge, 100)).toBe(101);
    expect(countWords('a  b\n\tc')).toBe(3);
    expect(answerTokens(huge).length).toBeLessThanOrEqual(MAX_SCORED_CHARS / 2);
    expect(tokenF1(huge, ['padding'])).toBeLessThan(0.01);
    expect(rougeL(huge, huge)).toBe(1);
    expect(lengthWindow(huge, { minWords: 1, maxWords: 8 })).toBe(0);
  });

  it('finds token runs', () => {
    expect(containsRun(['a', 'b', 'c'], ['b', 'c'])).toBe(true);
    expect(containsRun(['a', 'b', 'c'], ['c', 'b'])).toBe(false);
    expect(containsRun(['a'], [])).toBe(false);
  });
});
