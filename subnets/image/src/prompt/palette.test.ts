import { describe, expect, it } from 'vitest';
import { deltaE2000, rgbToLab } from '../checks/lab.js';
import { COLOUR_NAMES, hex, isColourName, PALETTE } from './palette.js';

describe('palette', () => {
  it('has 12 named colours, every pair at least 19.5 ΔE2000 apart', () => {
    expect(COLOUR_NAMES).toHaveLength(12);
    let min = Number.POSITIVE_INFINITY;
    for (const a of COLOUR_NAMES) {
      for (const b of COLOUR_NAMES) {
        if (a >= b) continue;
        min = Math.min(min, deltaE2000(rgbToLab(PALETTE[a]), rgbToLab(PALETTE[b])));
      }
    }
    expect(min).toBeGreaterThanOrEqual(19.5);
  });

  it('maps the CSS colour of each name to that name', () => {
    const css: [string, [number, number, number]][] = [
      ['red', [255, 0, 0]],
      ['blue', [0, 0, 255]],
      ['navy', [0, 0, 128]],
      ['purple', [128, 0, 128]],
      ['green', [0, 128, 0]],
      ['orange', [255, 165, 0]],
      ['yellow', [255, 255, 0]],
      ['pink', [255, 105, 180]],
      ['brown', [139, 69, 19]],
      ['grey', [128, 128, 128]],
    ];
    for (const [name, rgb] of css) {
      const lab = rgbToLab(rgb);
      const nearest = COLOUR_NAMES.reduce((a, b) =>
        deltaE2000(lab, rgbToLab(PALETTE[a])) <= deltaE2000(lab, rgbToLab(PALETTE[b])) ? a : b,
      );
      expect({ name, nearest }).toEqual({ name, nearest: name });
    }
  });

  it('names and formats colours', () => {
    expect(isColourName('navy')).toBe(true);
    expect(isColourName('teal')).toBe(false);
    expect(hex(PALETTE.red)).toBe('#d62728');
  });
});
