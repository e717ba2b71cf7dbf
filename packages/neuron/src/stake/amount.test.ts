import { describe, expect, it } from 'vitest';
import type { NeuronError } from '../errors.js';
import { formatAmount, parseAmount } from './amount.js';

const refusal = (text: string | undefined) => {
  try {
    parseAmount(text);
  } catch (error) {
    return error as NeuronError;
  }
  throw new Error(`${text} was accepted`);
};

describe('--amount', () => {
  it('reads decimal TAO exactly as rao', () => {
    expect(parseAmount('1')).toBe(1_000_000_000n);
    expect(parseAmount('1.5')).toBe(1_500_000_000n);
    expect(parseAmount('.25')).toBe(250_000_000n);
    expect(parseAmount(' 0.000000001 ')).toBe(1n);
    expect(parseAmount('21000000')).toBe(21_000_000_000_000_000n);
    expect(parseAmount('+3.')).toBe(3_000_000_000n);
  });

  it('refuses what is not a positive amount, naming the flag and the text', () => {
    for (const [text, why] of [
      ['ten', '"ten" is not a number'],
      ['1e9', '"1e9" is not a number'],
      ['', '"" is not a number'],
      ['.', '"." is not a number'],
      ['1.2.3', '"1.2.3" is not a number'],
      ['0', 'must be greater than 0, got 0'],
      ['0.000', 'must be greater than 0'],
      ['-2', 'must be greater than 0, got -2'],
      ['0.0000000001', 'more than 9 decimals'],
      ['18446744074', 'more than a u64 of rao'],
    ] as const) {
      const e = refusal(text);
      expect(e.code).toBe('CONFIG_INVALID');
      expect(e.message).toContain(`--amount: `);
      expect(e.message).toContain(why);
      expect(e.details.field).toBe('amount');
    }
    expect(refusal(undefined).message).toMatch(/--amount: is required/);
  });

  it('prints rao back as the shortest exact decimal', () => {
    expect(formatAmount(0n)).toBe('0');
    expect(formatAmount(1_500_000_000n)).toBe('1.5');
    expect(formatAmount(1n)).toBe('0.000000001');
    expect(formatAmount(-2_000_000_000n)).toBe('-2');
    expect(parseAmount(formatAmount(123_456_789_012n))).toBe(123_456_789_012n);
  });
});
