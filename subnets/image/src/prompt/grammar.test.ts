import { describe, expect, it } from 'vitest';
import { describeTask } from './describe.js';
import { buildTaskSpec } from './grammar.js';
import { assertTaskSpec, type ImageTaskSpec, TEXT_PATTERN } from './spec.js';
import { TEXT_WORDS } from './words.js';

const seedOf = (n: number) => {
  const s = new Uint8Array(32);
  new DataView(s.buffer).setUint32(0, n);
  return s;
};

describe('buildTaskSpec', () => {
  it('is deterministic for a seed and varies across seeds', () => {
    expect(buildTaskSpec(seedOf(7))).toEqual(buildTaskSpec(seedOf(7)));
    const distinct = new Set(
      Array.from({ length: 50 }, (_, i) => JSON.stringify(buildTaskSpec(seedOf(i)))),
    );
    expect(distinct.size).toBe(50);
  });

  it('builds valid specs with checkable facets over many seeds', () => {
    let withText = 0;
    const sizes = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const spec = buildTaskSpec(seedOf(i));
      assertTaskSpec(spec);
      sizes.add(`${spec.width}x${spec.height}`);
      expect(spec.width % 64).toBe(0);
      expect(spec.width).toBeGreaterThanOrEqual(256);
      expect(spec.height).toBeLessThanOrEqual(768);
      expect(spec.shapes.length).toBeGreaterThanOrEqual(1);
      expect(spec.shapes.length).toBeLessThanOrEqual(4);
      const colours = spec.shapes.map((g) => g.colour);
      expect(new Set(colours).size).toBe(colours.length);
      expect(colours).not.toContain(spec.background);
      if (spec.text) {
        withText++;
        expect(spec.text.value).toMatch(TEXT_PATTERN);
        expect(spec.text.value.length).toBeGreaterThanOrEqual(3);
        expect(spec.text.value.length).toBeLessThanOrEqual(8);
        expect(colours).not.toContain(spec.text.colour);
      }
      expect(spec.style.length).toBeGreaterThanOrEqual(1);
    }
    expect(withText).toBeGreaterThan(150);
    expect(withText).toBeLessThan(300);
    expect(sizes.size).toBeGreaterThan(5);
  });

  it('draws text words of 3–5 letters, so word + space + 2 digits fits in 8', () => {
    for (const w of TEXT_WORDS) expect(w).toMatch(/^[A-Z]{3,5}$/);
  });

  it('describes a spec in natural language', () => {
    const spec: ImageTaskSpec = {
      version: 1,
      width: 512,
      height: 512,
      background: 'navy',
      shapes: [
        { kind: 'circle', colour: 'red', count: 3 },
        { kind: 'square', colour: 'yellow', count: 1 },
      ],
      text: { value: 'HELLO 42', colour: 'white' },
      style: ['flat vector style'],
    };
    expect(describeTask(spec)).toBe(
      'A 512x512 image on a navy background with 3 red circles and 1 yellow square, with the text "HELLO 42" in white across the bottom, flat vector style',
    );
    expect(describeTask({ ...spec, text: null, shapes: spec.shapes.slice(0, 1) })).toBe(
      'A 512x512 image on a navy background with 3 red circles, flat vector style',
    );
  });

  it('rejects malformed specs, naming the field', () => {
    const good = buildTaskSpec(seedOf(1));
    expect(() => assertTaskSpec({ ...good, width: 500 })).toThrow(/spec\.width/);
    expect(() => assertTaskSpec({ ...good, background: 'teal' })).toThrow(/spec\.background/);
    expect(() =>
      assertTaskSpec({ ...good, shapes: [{ kind: 'hexagon', colour: 'red', count: 1 }] }),
    ).toThrow(/spec\.shapes\[0\]\.kind/);
    expect(() =>
      assertTaskSpec({ ...good, text: { value: 'hello', colour: good.text?.colour ?? 'white' } }),
    ).toThrow(/spec\.text\.value/);
  });
});
