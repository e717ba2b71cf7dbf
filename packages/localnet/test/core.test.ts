import { isSubnetkitError, type Logger, SubnetkitError } from '@subnetkit/core';
import { describe, expect, it } from 'vitest';
import { LocalnetError } from '../src/errors.js';
import { createLocalnet } from '../src/index.js';
import { parseBlockTime } from '../src/options.js';
import { Reader } from '../src/scale/scale.js';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
};

describe('LocalnetError', () => {
  it('is a SubnetkitError; bad input names the field in details and the message', () => {
    const e = thrown(() => parseBlockTime('soon'));
    expect(e).toBeInstanceOf(LocalnetError);
    expect(e).toBeInstanceOf(SubnetkitError);
    expect(isSubnetkitError(e, 'INVALID_OPTION')).toBe(true);
    expect((e as LocalnetError).message).toBe(
      'blockTime: cannot read "soon" (use e.g. 250ms, 12s or manual)',
    );
    expect((e as LocalnetError).details).toEqual({ field: 'blockTime' });
  });

  it('a ScaleError is a LocalnetError with SCALE_DECODE and says what it decoded', () => {
    const e = thrown(() => new Reader(Uint8Array.of(2)).bool());
    expect(e).toBeInstanceOf(LocalnetError);
    expect(isSubnetkitError(e, 'SCALE_DECODE')).toBe(true);
    expect((e as LocalnetError).name).toBe('ScaleError');
    expect((e as LocalnetError).message).toBe('cannot decode bool: invalid byte 2');
    expect((e as LocalnetError).details).toEqual({ what: 'bool' });
  });
});

describe('the logger component', () => {
  it('gets a failed timed block production instead of console.error', async () => {
    const errors: Array<[object | string, string | undefined]> = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: (obj, msg) => errors.push([obj, msg]),
      child: () => logger,
    };
    const net = await createLocalnet({ blockTime: 20, drand: false }, { logger });
    try {
      net.chain.produceBlock = () => {
        throw new Error('boom');
      };
      await expect.poll(() => errors.length, { timeout: 5_000 }).toBeGreaterThan(0);
      const [obj, msg] = errors[0]!;
      expect(msg).toBe('block production failed');
      expect((obj as { err: Error }).err.message).toBe('boom');
    } finally {
      await net.close();
    }
  });
});
