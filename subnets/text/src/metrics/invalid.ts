// The one place this folder and `tasks/` build their bad-input error, so both name the field
// the same way (`<field>: <what is wrong>`, `code` INVALID_ARGUMENT, `details.field`).
import { TextSubnetError } from '../errors.js';

/** A `TextSubnetError` with code `INVALID_ARGUMENT` whose message starts with `field`. */
export function invalidArgument(field: string, problem: string): TextSubnetError {
  return new TextSubnetError('INVALID_ARGUMENT', `${field}: ${problem}`, { field });
}

/** Throws unless `value` is a string; names `field`. */
export function assertString(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string') {
    throw invalidArgument(field, `must be a string, got ${describe(value)}`);
  }
}

/** `typeof`, but `null` and arrays said as such. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
