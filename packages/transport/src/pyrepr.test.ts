import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TransportError } from './errors.js';
import { EMPTY_BODY_HASH, sha3Hex } from './hash.js';
import { pyFloatRepr, pyRepr, pyStr, pyStrRepr } from './pyrepr.js';
import { type PyType, pyTypeOf } from './pytype.js';
import { computeBodyHash, defineSynapse } from './synapse.js';
import { jsonKeepingNegativeZero } from './synapse-json.js';

const PYTHON = '/usr/bin/python3';

/** Runs python3 on `script` with `input` on stdin; returns stdout. */
function python(script: string, input: string): string {
  const r = spawnSync(PYTHON, ['-c', script], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}

describe('pyFloatRepr', () => {
  it('matches documented Python reprs', () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [0.1, '0.1'],
      [1e-5, '1e-05'],
      [1e16, '1e+16'],
      [1e15, '1000000000000000.0'],
      [0.0001, '0.0001'],
      [-0, '-0.0'],
      [0, '0.0'],
      [123.456, '123.456'],
      [1.5e300, '1.5e+300'],
      [5e-324, '5e-324'],
      [Number.POSITIVE_INFINITY, 'inf'],
      [Number.NaN, 'nan'],
      [12, '12.0'],
      [-2.5e-7, '-2.5e-07'],
    ];
    for (const [x, want] of cases) expect(pyFloatRepr(x)).toBe(want);
  });
});

describe('pyStrRepr', () => {
  it('chooses quotes and escapes like CPython', () => {
    expect(pyStrRepr('hi')).toBe("'hi'");
    expect(pyStrRepr("it's")).toBe(`"it's"`);
    expect(pyStrRepr(`it's "x"`)).toBe(`'it\\'s "x"'`);
    expect(pyStrRepr('a\nb\tc\\')).toBe("'a\\nb\\tc\\\\'");
    expect(pyStrRepr('\x00\x7f\u00a0é')).toBe("'\\x00\\x7f\\xa0é'");
    expect(pyStrRepr('\u200b😀')).toBe("'\\u200b😀'");
  });
});

describe('body hash test vectors (reference §1.5)', () => {
  it('empty hash fields → SHA3-256("")', () => {
    const S = defineSynapse({ name: 'Dummy', input: { dummy_input: z.int() } });
    expect(computeBodyHash(S, { dummy_input: 5 })).toBe(EMPTY_BODY_HASH);
    expect(sha3Hex('')).toBe(EMPTY_BODY_HASH);
  });
  it('one int field 5', () => {
    const S = defineSynapse({ name: 'A', input: { x: z.int() }, hashFields: ['x'] });
    expect(computeBodyHash(S, { x: 5 })).toBe(
      '4fae6364bdbf7a0def40e782ea7656d4bc96dd42a6eaf71d62b977d74e733ecf',
    );
  });
  it("list ['a','b']", () => {
    const S = defineSynapse({ name: 'A', input: { x: z.array(z.string()) }, hashFields: ['x'] });
    expect(computeBodyHash(S, { x: ['a', 'b'] })).toBe(
      '3367b97beae48a9dca4a5718a3d059e97f482a50f03dc93cb95541cd60a8cf65',
    );
  });
  it('fields (5, "hi")', () => {
    const S = defineSynapse({
      name: 'A',
      input: { a: z.int(), b: z.string() },
      hashFields: ['a', 'b'],
    });
    expect(computeBodyHash(S, { a: 5, b: 'hi' })).toBe(
      'f3b81972a43cd30ae4bd4291ebc50d6f9477068a44fd87591314037447fec640',
    );
  });
});

describe('definition-time rejection', () => {
  const bad: [string, z.ZodType][] = [
    ['any', z.any()],
    ['unknown', z.unknown()],
    ['date', z.date()],
    ['bigint', z.bigint()],
    ['transform', z.string().transform((s) => s.length)],
    ['int|float', z.union([z.int(), z.number()])],
    ['two objects', z.union([z.object({ a: z.int() }), z.object({ b: z.int() })])],
    ['number-keyed record', z.record(z.int(), z.string())],
    ['map', z.map(z.string(), z.string())],
    ['nested any', z.object({ a: z.array(z.any()) })],
  ];
  for (const [label, schema] of bad) {
    it(`rejects ${label} as a hash field`, () => {
      expect(() =>
        defineSynapse({ name: 'Bad', input: { f: schema }, hashFields: ['f'] }),
      ).toThrowError(expect.objectContaining({ code: 'UNSUPPORTED_HASH_TYPE' }));
    });
  }
  it('accepts the same types when they are not hashed', () => {
    expect(() => defineSynapse({ name: 'Ok', input: { f: z.any() } })).not.toThrow();
  });
  it('rejects base-field names, bad names, unknown hash fields, required outputs', () => {
    const cases = [
      () => defineSynapse({ name: 'A', input: { timeout: z.number() } }),
      () => defineSynapse({ name: 'bad-name', input: {} }),
      () => defineSynapse({ name: 'A', input: { x: z.int() }, hashFields: ['y' as 'x'] }),
      () => defineSynapse({ name: 'A', input: {}, output: { y: z.int() } }),
      () => defineSynapse({ name: 'A', input: { x: z.int() }, output: { x: z.int().optional() } }),
    ];
    for (const c of cases) {
      expect(c).toThrowError(expect.objectContaining({ code: 'INVALID_SYNAPSE_DEFINITION' }));
    }
  });
  it('rejects at run time what cannot be known statically (lone surrogates, int-like dict keys)', () => {
    const S = defineSynapse({
      name: 'A',
      input: { s: z.string(), d: z.record(z.string(), z.int()) },
      hashFields: ['s', 'd'],
    });
    expect(() => computeBodyHash(S, { s: '\ud800', d: {} })).toThrow(TransportError);
    expect(() => computeBodyHash(S, { s: 'x', d: { b: 1, '1': 2 } })).toThrowError(
      expect.objectContaining({ code: 'AMBIGUOUS_DICT_ORDER' }),
    );
  });
});

// --- property test against real CPython --------------------------------------------------------

/** Strings over characters whose printability is the same in Python 3.11 and Node's ICU. */
const chars = fc.constantFrom(
  ...'abcXYZ019 \'"\\\n\t\r\x00\x01\x1f\x7f\x80\x9f\xa0\xad\xffé€中文😀👍\u200b\u2028\u3000\ufeff\ud7ff\ue000U0001f600'.split(
    '',
  ),
  'é',
  '\u{10ffff}',
  '\u{1f600}',
  '\u{e0001}',
);
const pyString = fc.array(chars, { maxLength: 12 }).map((a) => a.join(''));

type Gen = { schema: z.ZodType; value: fc.Arbitrary<unknown> };
const leaves: Gen[] = [
  { schema: z.string(), value: pyString },
  { schema: z.int(), value: fc.integer({ min: -1e15, max: 1e15 }) },
  { schema: z.number(), value: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { schema: z.boolean(), value: fc.boolean() },
];
function nest(depth: number): fc.Arbitrary<Gen> {
  const leaf = fc.constantFrom(...leaves);
  if (depth === 0) return leaf;
  const inner = nest(depth - 1);
  return fc.oneof(
    leaf,
    inner.map((g) => ({ schema: z.array(g.schema), value: fc.array(g.value, { maxLength: 4 }) })),
    inner.map((g) => ({ schema: g.schema.nullable(), value: fc.option(g.value, { nil: null }) })),
    inner.map((g) => ({
      schema: z.record(z.string(), g.schema),
      value: fc.dictionary(fc.stringMatching(/^[a-z'"]{1,4}$/), g.value, { maxKeys: 3 }),
    })),
    fc.tuple(inner, inner).map(([a, b]) => ({
      schema: z.object({ first: a.schema, second: b.schema }),
      value: fc.record({ first: a.value, second: b.value }),
    })),
    fc.tuple(inner, inner).map(([a, b]) => ({
      schema: z.tuple([a.schema, b.schema]),
      value: fc.tuple(a.value, b.value),
    })),
  );
}

/** JSON that keeps the float/int distinction for Python (floats always have '.' or 'e'). */
function typedJson(value: unknown, t: PyType): unknown {
  return { t, v: value };
}

it('pyStr agrees with CPython str() on random nested values', () => {
  const samples = fc.sample(
    nest(3).chain((g) => g.value.map((v) => ({ schema: g.schema, v }))),
    { numRuns: 400, seed: 42 },
  );
  const rows = samples.map(({ schema, v }) => {
    const t = pyTypeOf(schema, 'f');
    return { ...(typedJson(v, t) as object), s: pyStr(v, t), r: pyRepr(v, t) };
  });
  // Python rebuilds each value from the type description (floats as float, tuples as tuple,
  // models as dicts in declared order) and prints str() and repr().
  const script = `
import json, sys
def build(v, t):
    k = t['kind']
    if v is None: return None
    if k == 'float': return float(v)
    if k == 'int': return int(v)
    if k in ('str', 'bool', 'none'): return v
    if k == 'list': return [build(x, t['item']) for x in v]
    if k == 'tuple': return tuple(build(x, t['items'][i]) for i, x in enumerate(v))
    if k == 'dict': return {key: build(x, t['value']) for key, x in v.items()}
    if k == 'model': return {name: build(v.get(name), ft) for name, ft in t['fields']}
    if k == 'union':
        for m in t['members']:
            mk = m['kind']
            if (mk == 'str' and isinstance(v, str)) or (mk in ('int', 'float') and isinstance(v, (int, float)) and not isinstance(v, bool)) or (mk == 'bool' and isinstance(v, bool)) or (mk in ('list', 'tuple') and isinstance(v, list)) or (mk in ('dict', 'model') and isinstance(v, dict)):
                return build(v, m)
    raise ValueError(k)
rows = json.loads(sys.stdin.read())
bad = []
for i, row in enumerate(rows):
    val = build(row['v'], row['t'])
    if str(val) != row['s'] or repr(val) != row['r']:
        bad.append({'i': i, 'py_str': str(val), 'ts_str': row['s'], 'py_repr': repr(val), 'ts_repr': row['r']})
print(json.dumps({'n': len(rows), 'bad': bad[:5]}))
`;
  // Doubles go through JSON with pyFloatRepr's own digits: both round-trip to the same double.
  const json = jsonKeepingNegativeZero(rows);
  const out = JSON.parse(python(script, json)) as { n: number; bad: unknown[] };
  expect(out.n).toBe(400);
  expect(out.bad).toEqual([]);
});

it('sha3Hex agrees with hashlib.sha3_256', () => {
  const texts = ['', 'abc', 'é😀', "['a', 'b']"];
  const out = python(
    'import hashlib,sys,json\nprint(json.dumps([hashlib.sha3_256(t.encode()).hexdigest() for t in json.loads(sys.stdin.read())]))',
    JSON.stringify(texts),
  );
  expect(JSON.parse(out)).toEqual(texts.map(sha3Hex));
});
