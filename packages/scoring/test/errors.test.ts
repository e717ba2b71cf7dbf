import { isSubnetkitError, SubnetkitError } from '@subnetkit/core';
import { describe, expect, it } from 'vitest';
import { ScoringError, safeNormalize } from '../src/index.js';

describe('ScoringError', () => {
  it('is a SubnetkitError whose details name the field, and whose message starts with it', () => {
    let error: unknown;
    try {
      safeNormalize([0, -1]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScoringError);
    expect(error).toBeInstanceOf(SubnetkitError);
    expect(isSubnetkitError(error, 'NEGATIVE_VALUE')).toBe(true);
    const e = error as ScoringError;
    expect(e.name).toBe('ScoringError');
    expect(e.message).toBe('x[1]: must be >= 0, got -1');
    expect(e.field).toBe('x[1]');
    expect(e.toJSON()).toEqual({
      name: 'ScoringError',
      code: 'NEGATIVE_VALUE',
      message: 'x[1]: must be >= 0, got -1',
      details: { field: 'x[1]' },
    });
  });
});
