import { describe, expect, it } from 'vitest';
import { checkDimensions } from './dimensions.js';

describe('checkDimensions', () => {
  it('passes only the exact size', () => {
    const spec = { width: 512, height: 384 };
    expect(checkDimensions({ width: 512, height: 384 }, spec).score).toBe(1);
    expect(checkDimensions({ width: 384, height: 512 }, spec).score).toBe(0);
    expect(checkDimensions({ width: 512, height: 385 }, spec)).toMatchObject({
      score: 0,
      actual: { width: 512, height: 385 },
      expected: { width: 512, height: 384 },
    });
  });
});
