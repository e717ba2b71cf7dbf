import { isSubnetkitError, SubnetkitError } from '@subnetkit/core';
import { describe, expect, it } from 'vitest';
import { DemoError, isDemoError } from './errors.js';

describe('DemoError', () => {
  it('is a SubnetkitError; the field lives in details, the guard filters by code', () => {
    const cause = new Error('spawn failed');
    const e = new DemoError('INVALID_OPTION', '--miners: too many', {
      details: { field: 'miners' },
      cause,
    });
    expect(e).toBeInstanceOf(SubnetkitError);
    expect(e.name).toBe('DemoError');
    expect(e.field).toBe('miners');
    expect(e.cause).toBe(cause);
    expect(isDemoError(e)).toBe(true);
    expect(isDemoError(e, 'INVALID_OPTION')).toBe(true);
    expect(isDemoError(e, 'CHILD_FAILED')).toBe(false);
    expect(isSubnetkitError(e, 'INVALID_OPTION')).toBe(true);
    expect(new DemoError('INTERRUPTED', 'stopped').field).toBeUndefined();
  });
});
