import { describe, expect, it } from 'vitest';
import { deltaE2000, rgbToLab } from '../checks/lab.js';
import { COLOUR_NAMES, hex, isColourName, PALETTE } from './palette.js';

describe('palette', () => {
  it('has 12 named colours, every pair more than 20 ΔE2000 apart', () => {
    expect(COLOUR_NAMES).toHaveLength(12);
    let min = Number.POSITIVE_INFINITY;
    for (const a of COLOUR_NAMES) {
      for (const b of COLOUR_NAMES) {
        if (a >= b) continue;
        min = Math.min(min, deltaE2000(rgbToLab(PALETTE[a]), rgbToLab(PALETTE[b])));
      }
    }
    expect(min).toBeGreaterThan(20);
  });

  it('names and formats colours', () => {
    expect(isColourName('navy')).toBe(true);
    expect(isColourName('teal')).toBe(false);
    expect(hex(PALETTE.red)).toBe('#d62728');
  });
});
