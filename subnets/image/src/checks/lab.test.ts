import { describe, expect, it } from 'vitest';
import { deltaE2000, rgb8ToLab, rgbToLab } from './lab.js';

describe('lab', () => {
  it('converts sRGB reference colours to CIELAB (D65)', () => {
    const white = rgbToLab([255, 255, 255]);
    expect(white[0]).toBeCloseTo(100, 2);
    expect(Math.abs(white[1])).toBeLessThan(0.01);
    const red = rgb8ToLab(255, 0, 0);
    expect(red[0]).toBeCloseTo(53.24, 1);
    expect(red[1]).toBeCloseTo(80.09, 1);
    expect(red[2]).toBeCloseTo(67.2, 1);
  });

  it('matches the CIEDE2000 test data of Sharma, Wu & Dalal', () => {
    // Pairs 1, 7, 17 and 25 of the published table.
    const pairs: [[number, number, number], [number, number, number], number][] = [
      [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
      [[50, 0, 0], [50, -1, 2], 2.3669],
      [[50, 2.5, 0], [73, 25, -18], 27.1492],
      [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
    ];
    for (const [p, q, expected] of pairs) {
      expect(deltaE2000(p, q)).toBeCloseTo(expected, 3);
      expect(deltaE2000(q, p)).toBeCloseTo(expected, 3);
    }
  });
});
