/**
 * One log method: `(obj, msg?)` — structured fields first, as pino takes them — or `(msg)`.
 *
 * ```ts
 * logger.warn({ err, route }, 'handler threw');
 * logger.info('axon stopped');
 * ```
 *
 * One signature rather than two overloads, so an object literal implementing it gets its
 * parameter types by context (`info: (o, m) => …` compiles under `noImplicitAny`).
 */
export type LogFn = (obj: object | string, msg?: string) => void;

/**
 * The logger every subnetkit package takes as a component (`{ logger?: Logger }`): the subset of
 * pino's API the packages use. Packages never create a logging backend themselves beyond a
 * default; the application injects one.
 *
 * A pino `Logger` (and a pino child logger) satisfies this interface structurally: pass it as
 * is, no adapter. Any other backend needs only these five methods (plus, optionally,
 * `isLevelEnabled`); `child(bindings)` returns a logger whose lines also carry `bindings`
 * (e.g. `{ component: 'chain' }`).
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
  /**
   * Optional (pino has it): whether `level` would be written, so a hot path can skip building a
   * log record nobody keeps. Callers treat a logger without it as "every level enabled".
   */
  isLevelEnabled?(level: 'debug' | 'info' | 'warn' | 'error'): boolean;
}

const noop = (): void => {};

const SILENT: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: (): Logger => SILENT,
  isLevelEnabled: (): boolean => false,
});

/** A logger that writes nothing (the default of library components, and tests). */
export function silentLogger(): Logger {
  return SILENT;
}
