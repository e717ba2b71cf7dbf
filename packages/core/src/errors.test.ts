import { describe, expect, expectTypeOf, it } from 'vitest';
import { type ErrorDetails, isSubnetkitError, SubnetkitError } from './errors.js';

type ThingCode = 'BAD_THING' | 'OTHER_THING';
class ThingError extends SubnetkitError<ThingCode> {}

type FieldDetails = { field: string };
class FieldError extends SubnetkitError<'INVALID', FieldDetails> {
  declare readonly details: FieldDetails;
  get field(): string {
    return this.details.field;
  }
}

describe('SubnetkitError', () => {
  it('carries code, message, details and cause', () => {
    const cause = new Error('disk full');
    const e = new SubnetkitError('IO_ERROR', 'cannot write state.json', {
      details: { path: 'state.json' },
      cause,
    });
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('IO_ERROR');
    expect(e.message).toBe('cannot write state.json');
    expect(e.details).toEqual({ path: 'state.json' });
    expect(e.cause).toBe(cause);
    expect(e.name).toBe('SubnetkitError');
  });

  it('has no details or cause when none are given', () => {
    const e = new SubnetkitError('X', 'm');
    expect(e.details).toBeUndefined();
    expect('details' in e).toBe(false);
    expect('cause' in e).toBe(false);
  });

  it('names itself after the subclass, and stays an instance of both classes', () => {
    const e = new ThingError('BAD_THING', 'bad');
    expect(e.name).toBe('ThingError');
    expect(String(e)).toBe('ThingError: bad');
    expect(e.stack?.split('\n')[0]).toBe('ThingError: bad');
    expect(e).toBeInstanceOf(ThingError);
    expect(e).toBeInstanceOf(SubnetkitError);
    expect(Object.keys(e)).not.toContain('name');
    expectTypeOf(e.code).toEqualTypeOf<ThingCode>();
  });

  it('types details through the second parameter', () => {
    const e = new FieldError('INVALID', 'netuid: must be an integer', {
      details: { field: 'netuid' },
    });
    expect(e.field).toBe('netuid');
    expectTypeOf(e.details).toEqualTypeOf<FieldDetails>();
    // @ts-expect-error details must match the declared shape
    new FieldError('INVALID', 'm', { details: { path: 'x' } });
  });

  it('toJSON gives name, code, message and details (for logs)', () => {
    const e = new ThingError('OTHER_THING', 'weights[3]: must be finite', {
      details: { field: 'weights[3]' },
      cause: new Error('inner'),
    });
    expect(e.toJSON()).toEqual({
      name: 'ThingError',
      code: 'OTHER_THING',
      message: 'weights[3]: must be finite',
      details: { field: 'weights[3]' },
    });
    expect(JSON.parse(JSON.stringify({ error: e }))).toEqual({ error: e.toJSON() });
    expect(new ThingError('BAD_THING', 'm').toJSON()).toEqual({
      name: 'ThingError',
      code: 'BAD_THING',
      message: 'm',
    });
  });

  it('details are typed as a readonly record', () => {
    expectTypeOf<SubnetkitError['details']>().toEqualTypeOf<ErrorDetails | undefined>();
  });
});

describe('isSubnetkitError', () => {
  it('recognises every subclass, and filters by code', () => {
    const e = new ThingError('BAD_THING', 'bad');
    expect(isSubnetkitError(e)).toBe(true);
    expect(isSubnetkitError(e, 'BAD_THING')).toBe(true);
    expect(isSubnetkitError(e, 'OTHER_THING')).toBe(false);
  });

  it('rejects plain errors and look-alikes', () => {
    expect(isSubnetkitError(new Error('x'))).toBe(false);
    expect(isSubnetkitError({ code: 'BAD_THING', message: 'x' }, 'BAD_THING')).toBe(false);
    expect(isSubnetkitError(undefined)).toBe(false);
    expect(isSubnetkitError(null)).toBe(false);
    expect(isSubnetkitError('BAD_THING')).toBe(false);
  });

  it('recognises an error from another copy of the package (brand, not only instanceof)', () => {
    const foreign = new ThingError('BAD_THING', 'bad');
    Object.setPrototypeOf(foreign, Error.prototype);
    expect(foreign instanceof SubnetkitError).toBe(false);
    expect(isSubnetkitError(foreign, 'BAD_THING')).toBe(true);
  });

  it('narrows the code type', () => {
    const e: unknown = new ThingError('BAD_THING', 'bad');
    if (isSubnetkitError(e, 'BAD_THING')) expectTypeOf(e.code).toEqualTypeOf<'BAD_THING'>();
  });
});
