import { isSubnetkitError, SubnetkitError } from '@subnetkit/core';
import { describe, expect, it } from 'vitest';
import { decodeG2, TimelockError } from '../src/index.js';

describe('TimelockError', () => {
  it('is a SubnetkitError with the field in details and the message, and keeps the cause', () => {
    let error: unknown;
    try {
      decodeG2(new Uint8Array(96).fill(0xff), 'publicKey');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TimelockError);
    expect(error).toBeInstanceOf(SubnetkitError);
    expect(isSubnetkitError(error, 'INVALID_POINT')).toBe(true);
    const e = error as TimelockError;
    expect(e.name).toBe('TimelockError');
    expect(e.message).toBe('publicKey: is not a valid compressed G2 point');
    expect(e.field).toBe('publicKey');
    expect(e.details).toEqual({ field: 'publicKey' });
    expect(e.cause).toBeInstanceOf(Error);
  });
});
