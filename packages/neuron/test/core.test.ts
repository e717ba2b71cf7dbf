import { Writable } from 'node:stream';
import { isSubnetkitError, type Logger, SubnetkitError } from '@subnetkit/core';
import { type Logger as PinoLogger, pino } from 'pino';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isNeuronError, NeuronError } from '../src/index.js';

describe("core's Logger and pino", () => {
  it("pino's Logger (and a child) is assignable to core's Logger, no adapter", () => {
    expectTypeOf<PinoLogger>().toExtend<Logger>();
    expectTypeOf<ReturnType<PinoLogger['child']>>().toExtend<Logger>();
  });

  it('a pino logger used through the interface writes fields, message and bindings', () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l));
        done();
      },
    });
    const root: Logger = pino({ level: 'debug', base: null, timestamp: false }, sink);
    const log = root.child({ component: 'chain' });
    log.info({ block: 7 }, 'head');
    log.warn('reconnecting');
    log.debug({ err: new Error('x') });
    expect(log.isLevelEnabled?.('debug')).toBe(true);
    expect(lines).toMatchObject([
      { component: 'chain', block: 7, msg: 'head', level: 30 },
      { component: 'chain', msg: 'reconnecting', level: 40 },
      { component: 'chain', level: 20, err: { message: 'x' } },
    ]);
  });
});

describe('NeuronError', () => {
  it('takes the one SubnetkitError shape: (code, message, { details, cause })', () => {
    const cause = new Error('EACCES');
    const e = new NeuronError('IO_ERROR', 'cannot write state.json', {
      details: { path: 'state.json' },
      cause,
    });
    expect(e).toBeInstanceOf(SubnetkitError);
    expect(e.name).toBe('NeuronError');
    expect(e.details).toEqual({ path: 'state.json' });
    expect(e.cause).toBe(cause);
    expect(isNeuronError(e, 'IO_ERROR')).toBe(true);
    expect(isNeuronError(e, 'STATE_CORRUPT')).toBe(false);
    expect(isSubnetkitError(e, 'IO_ERROR')).toBe(true);
    expect(e.toJSON()).toEqual({
      name: 'NeuronError',
      code: 'IO_ERROR',
      message: 'cannot write state.json',
      details: { path: 'state.json' },
    });
  });

  it('still accepts the deprecated (code, message, details, { cause }) shape', () => {
    const cause = new Error('bad json');
    const e = new NeuronError(
      'CONFIG_INVALID',
      'axon.port: must be ≤ 65535',
      { field: 'axon.port', source: { kind: 'flag', name: '--axon.port' } },
      { cause },
    );
    expect(e.details).toEqual({
      field: 'axon.port',
      source: { kind: 'flag', name: '--axon.port' },
    });
    expect(e.cause).toBe(cause);
    const noCause = new NeuronError('CONFIG_FILE', 'no such file', { path: 'c.json' });
    expect(noCause.details).toEqual({ path: 'c.json' });
    expect('cause' in noCause).toBe(false);
  });

  it('details are always an object', () => {
    expect(new NeuronError('SHUTTING_DOWN', 'stopping').details).toEqual({});
    expect(new NeuronError('SHUTTING_DOWN', 'stopping', {}).details).toEqual({});
  });
});
