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
 * is, no adapter. Any other backend needs only these five methods; `child(bindings)` returns a
 * logger whose lines also carry `bindings` (e.g. `{ component: 'chain' }`).
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

const noop = (): void => {};

const SILENT: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: (): Logger => SILENT,
});

/** A logger that writes nothing (the default of library components, and tests). */
export function silentLogger(): Logger {
  return SILENT;
}
