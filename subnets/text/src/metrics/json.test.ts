import { describe, expect, it } from 'vitest';
import { TextSubnetError } from '../errors.js';
import { extractFirstJsonObject, fieldMatches, jsonFieldScore } from './json.js';

const expected = { name: 'Quillby Copper Kettle', price: 48.2, in_stock: true };

describe('extractFirstJsonObject', () => {
  it('finds an object inside prose and code fences, honouring braces in strings', () => {
    const r = extractFirstJsonObject(
      'Sure!\n```json\n{"a": "x}{y", "b": {"c": [1, 2]}}\n```\nDone.',
    );
    expect(r).toMatchObject({ ok: true, value: { a: 'x}{y', b: { c: [1, 2] } } });
    const escaped = extractFirstJsonObject('{"q": "say \\"}\\" please"}');
    expect(escaped).toMatchObject({ ok: true, value: { q: 'say "}" please' } });
  });

  it('skips candidates that do not parse and top-level arrays', () => {
    expect(extractFirstJsonObject('use {braces} like {"a": 1}')).toMatchObject({
      ok: true,
      value: { a: 1 },
    });
    expect(extractFirstJsonObject('[{"a": 1}]')).toMatchObject({ ok: true, value: { a: 1 } });
    expect(extractFirstJsonObject('no object here')).toEqual({
      ok: false,
      error: 'no JSON object found',
    });
    expect(extractFirstJsonObject('{"a": 1')).toEqual({
      ok: false,
      error: 'unterminated JSON object',
    });
    expect(extractFirstJsonObject("{'a': 1}")).toMatchObject({ ok: false, error: /^invalid JSON/ });
  });

  it('bounds nesting depth and object size', () => {
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    expect(extractFirstJsonObject(deep)).toEqual({
      ok: false,
      error: 'JSON nested deeper than 16 levels',
    });
    const arrays = `{"a": ${'['.repeat(1_000_000)}`;
    expect(extractFirstJsonObject(arrays)).toMatchObject({ ok: false, error: /nested deeper/ });
    const big = `{"a": "${'x'.repeat(200_000)}"}`;
    expect(extractFirstJsonObject(big)).toEqual({
      ok: false,
      error: 'JSON object longer than 65536 characters',
    });
    // An object past the search window is not looked at.
    const late = `${' '.repeat(300_000)}{"a": 1}`;
    expect(extractFirstJsonObject(late)).toMatchObject({ ok: false });
    expect(extractFirstJsonObject(late, { searchChars: 400_000 })).toMatchObject({ ok: true });
    expect(() => extractFirstJsonObject('{}', { maxDepth: 0 })).toThrow(/^limits\.maxDepth: /);
  });
});

describe('fieldMatches', () => {
  it('compares strings by normalizeAnswer, numbers numerically, booleans and null strictly', () => {
    expect(fieldMatches('Quillby Copper Kettle', 'the quillby copper kettle.')).toBe(true);
    expect(fieldMatches('Quillby Copper Kettle', 'Quillby Kettle')).toBe(false);
    expect(fieldMatches('2027-04-17', '2027-04-17')).toBe(true);
    expect(fieldMatches(1299, '$1,299.00')).toBe(true);
    expect(fieldMatches(48.2, 48.2)).toBe(true);
    expect(fieldMatches(48.2, '48.20')).toBe(true);
    expect(fieldMatches(48.2, 53.99)).toBe(false);
    expect(fieldMatches(48.2, 'about 48')).toBe(false);
    expect(fieldMatches(48.2, Number.NaN)).toBe(false);
    expect(fieldMatches(true, 'yes')).toBe(true);
    expect(fieldMatches(true, 1)).toBe(false);
    expect(fieldMatches(false, false)).toBe(true);
    expect(fieldMatches(null, null)).toBe(true);
    expect(fieldMatches(null, 'null')).toBe(false);
    expect(fieldMatches('12', 12)).toBe(true);
    expect(fieldMatches('x', { x: 1 })).toBe(false);
  });
});

describe('jsonFieldScore', () => {
  it('scores a correct object 1, wherever it sits in the text', () => {
    const r = jsonFieldScore(`Here: ${JSON.stringify(expected)}`, expected);
    expect(r).toMatchObject({ score: 1, parsed: true, matched: ['name', 'price', 'in_stock'] });
  });

  it('a wrong field, a missing field, an extra field each cost their share', () => {
    const wrong = jsonFieldScore(
      '{"name": "Quillby Copper Kettle", "price": 53.99, "in_stock": true}',
      expected,
    );
    expect(wrong.score).toBeCloseTo(2 / 3, 12);
    expect(wrong.wrong).toEqual(['price']);
    expect(wrong.fields.price).toEqual({ expected: 48.2, got: 53.99, match: false });

    const missing = jsonFieldScore(
      '{"name": "Quillby Copper Kettle", "price": "$48.20"}',
      expected,
    );
    expect(missing.score).toBeCloseTo(2 / 3, 12);
    expect(missing.missing).toEqual(['in_stock']);

    const extra = jsonFieldScore(
      '{"name": "Quillby Copper Kettle", "price": 48.2, "in_stock": true, "colour": "red"}',
      expected,
    );
    expect(extra.score).toBeCloseTo(3 / 4, 12);
    expect(extra.extra).toEqual(['colour']);

    const none = jsonFieldScore('The kettle costs $48.20.', expected);
    expect(none).toMatchObject({ score: 0, parsed: false, missing: ['name', 'price', 'in_stock'] });
  });

  it('treats __proto__ as an ordinary extra key and clips long values in the evidence', () => {
    const r = jsonFieldScore(
      `{"__proto__": {"polluted": 1}, "name": "${'n'.repeat(5000)}", "price": 48.2, "in_stock": true}`,
      expected,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.extra).toEqual(['__proto__']);
    expect(r.score).toBeCloseTo(2 / 4, 12);
    expect(String(r.fields.name!.got).length).toBeLessThanOrEqual(201);
  });

  it('handles megabytes and deep nesting without throwing', () => {
    const huge = `${'x'.repeat(5_000_000)}${JSON.stringify(expected)}`;
    expect(jsonFieldScore(huge, expected)).toMatchObject({ score: 0, parsed: false });
    const deep = jsonFieldScore(`${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`, expected);
    expect(deep).toMatchObject({ score: 0, parsed: false, error: /nested deeper/ });
    const many = `{${Array.from({ length: 3000 }, (_, i) => `"k${i}": ${i}`).join(',')}}`;
    const r = jsonFieldScore(many, expected);
    expect(r.score).toBe(0);
    expect(r.extraCount).toBe(3000);
    expect(r.extra).toHaveLength(20);
  });

  it('rejects a bad expected object naming the field', () => {
    expect(() => jsonFieldScore('{}', { a: { b: 1 } } as never)).toThrow(/^expected\.a: must be/);
    expect(() => jsonFieldScore('{}', {})).toThrow(/^expected: must have at least one field/);
    expect(() => jsonFieldScore('{}', [] as never)).toThrow(/^expected: must be an object/);
    expect(() => jsonFieldScore(undefined as never, expected)).toThrow(/^predText: /);
    expect(() => jsonFieldScore(undefined as never, expected)).toThrow(TextSubnetError);
  });
});
