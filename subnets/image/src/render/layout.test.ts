import { describe, expect, it } from 'vitest';
import { seedOf } from '../fixtures.test-util.js';
import { buildTaskSpec } from '../prompt/grammar.js';
import { textBand } from '../prompt/spec.js';
import { layoutShapes, marginOf } from './layout.js';

describe('layoutShapes', () => {
  it('places every shape inside the margins, above the text band, with no two touching', () => {
    for (let i = 0; i < 200; i++) {
      const seed = seedOf(i);
      const spec = buildTaskSpec(seed);
      const layout = layoutShapes(spec, seed);
      const total = spec.shapes.reduce((n, g) => n + g.count, 0);
      expect(layout.shapes).toHaveLength(total);
      const margin = marginOf(spec);
      const bottom = spec.text ? textBand(spec).top : spec.height - margin;
      for (const s of layout.shapes) {
        expect(s.size).toBeGreaterThan(8);
        expect(s.x).toBeGreaterThanOrEqual(margin);
        expect(s.y).toBeGreaterThanOrEqual(margin);
        expect(s.x + s.size).toBeLessThanOrEqual(spec.width - margin);
        expect(s.y + s.size).toBeLessThanOrEqual(bottom);
      }
      for (const [a, s] of layout.shapes.entries()) {
        for (const t of layout.shapes.slice(a + 1)) {
          const apart =
            s.x + s.size < t.x || t.x + t.size < s.x || s.y + s.size < t.y || t.y + t.size < s.y;
          expect(apart).toBe(true);
        }
      }
    }
  });

  it('is deterministic for (spec, seed) and moves with the seed', () => {
    const spec = buildTaskSpec(seedOf(1));
    expect(layoutShapes(spec, seedOf(1))).toEqual(layoutShapes(spec, seedOf(1)));
    expect(layoutShapes(spec, seedOf(2)).shapes).not.toEqual(layoutShapes(spec, seedOf(1)).shapes);
  });
});
