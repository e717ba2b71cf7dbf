import { describe, expect, expectTypeOf, it } from 'vitest';
import { type Logger, silentLogger } from './logger.js';

/**
 * A structural stand-in for pino's `Logger` (pino 10's `LogFn` overloads and `child`
 * signature, copied from its .d.ts): core must not depend on pino. The real assertion with
 * pino's own types lives in @subnetkit/neuron (`test/core-logger.test.ts`).
 */
interface PinoLikeLogFn {
  <TMsg extends string = string>(msg: TMsg, ...args: unknown[]): void;
  <T, TMsg extends string = string>(
    obj: T,
    msg?: T extends string ? never : TMsg,
    ...args: unknown[]
  ): void;
}
interface PinoLikeLogger {
  level: string;
  fatal: PinoLikeLogFn;
  error: PinoLikeLogFn;
  warn: PinoLikeLogFn;
  info: PinoLikeLogFn;
  debug: PinoLikeLogFn;
  trace: PinoLikeLogFn;
  isLevelEnabled(level: string): boolean;
  child(bindings: Record<string, unknown>, options?: object): PinoLikeLogger;
}

describe('Logger', () => {
  it('a pino-shaped logger is assignable to it', () => {
    expectTypeOf<PinoLikeLogger>().toExtend<Logger>();
  });

  it('does not accept a logger missing a method', () => {
    expectTypeOf<{ info: Logger['info']; warn: Logger['warn'] }>().not.toExtend<Logger>();
  });

  it('takes (obj, msg?) and (msg)', () => {
    const lines: unknown[][] = [];
    const record =
      (level: string) =>
      (...args: unknown[]): void => {
        lines.push([level, ...args]);
      };
    const make = (bindings: Record<string, unknown>): Logger => ({
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
      child: (more) => make({ ...bindings, ...more }),
    });
    const log: Logger = make({});
    log.info('started');
    log.warn({ port: 8091 }, 'slow');
    log.error({ err: new Error('x') });
    log.child({ component: 'chain' }).debug('connected');
    expect(lines.map((l) => l[0])).toEqual(['info', 'warn', 'error', 'debug']);
    // @ts-expect-error a message must be a string
    log.info(42);
    // @ts-expect-error the message goes second, after the fields
    log.info('msg', { port: 1 });
  });
});

describe('a Logger written as an object literal', () => {
  it('gets its parameter types from the context (one LogFn signature, no overloads)', () => {
    const seen: string[] = [];
    const log: Logger = {
      debug: () => {},
      info: (obj, msg) => seen.push(typeof obj === 'string' ? obj : `${msg}`),
      warn: (obj) => seen.push(typeof obj),
      error: () => {},
      child: () => log,
    };
    log.info('a');
    log.info({ x: 1 }, 'b');
    log.warn({ x: 1 });
    expect(seen).toEqual(['a', 'b', 'object']);
  });
});

describe('silentLogger', () => {
  it('writes nothing, and its children are silent too', () => {
    const log = silentLogger();
    expect(() => {
      log.debug('a');
      log.info({ a: 1 }, 'b');
      log.warn('c');
      log.error({ err: new Error('d') }, 'e');
    }).not.toThrow();
    expect(log.child({ component: 'x' })).toBe(log);
    expect(log.isLevelEnabled?.('error')).toBe(false);
    expect(silentLogger()).toBe(log);
    expect(Object.isFrozen(log)).toBe(true);
  });
});
