import { describe, expect, it } from 'vitest';
import { levenshtein, normaliseText, textSimilarity } from './levenshtein.js';

describe('levenshtein', () => {
  it('computes edit distances', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('abc', 'abc')).toBe(0);
    expect(levenshtein('flaw', 'lawn')).toBe(2);
  });

  it('scores text similarity on normalised strings', () => {
    expect(normaliseText('Hello 42!')).toBe('HELLO42');
    expect(textSimilarity('HELLO 42', 'HELLO42')).toBe(1);
    expect(textSimilarity('HELLO 42', 'hello 42')).toBe(1);
    expect(textSimilarity('HELLO 42', 'HELL0 42')).toBeCloseTo(1 - 1 / 7, 10);
    expect(textSimilarity('HELLO', '')).toBe(0);
    expect(textSimilarity('TAO', 'ZEBRA')).toBeLessThan(0.5);
  });
});
