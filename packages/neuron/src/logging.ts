import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Logger } from '@subnetkit/core';
import {
  type DestinationStream,
  type Level,
  type Logger as PinoLogger,
  pino,
  type StreamEntry,
} from 'pino';

/** The logger every package takes (`@subnetkit/core`); `createLogger` builds a pino one. */
export type { Logger } from '@subnetkit/core';

/** The `--logging.*` fields the logger reads. */
export interface LoggingConfig {
  debug: boolean;
  trace: boolean;
  info: boolean;
  format: 'auto' | 'json' | 'pretty';
  recordLog?: boolean;
}

export type LogLevel = Level | 'silent';

/** `--logging.trace` > `--logging.debug` > info (the SDK's flags; info is the default). */
export function logLevelOf(logging: Pick<LoggingConfig, 'debug' | 'trace'>): LogLevel {
  if (logging.trace) return 'trace';
  if (logging.debug) return 'debug';
  return 'info';
}

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  'secret',
  '*.secret',
  'password',
  '*.password',
  'mnemonic',
  '*.mnemonic',
  'privateKey',
  '*.privateKey',
];

export interface CreateLoggerOptions {
  logging?: Partial<LoggingConfig>;
  /** Overrides the level derived from `logging` (tests use `silent`). */
  level?: LogLevel;
  /** Bound to every line (e.g. `{ role: 'miner', netuid: 1 }`). */
  base?: Record<string, unknown>;
  /** With `logging.recordLog`, JSON lines are also appended to `<stateDir>/neuron.log`. */
  stateDir?: string;
}

export interface LoggerComponents {
  /** Where lines go instead of stdout (tests); never pretty-printed. */
  destination?: DestinationStream;
  /** Whether stdout is a terminal (default `process.stdout.isTTY`). */
  isTTY?: boolean;
  /** Resolves the optional `pino-pretty` module; `undefined` when it is not installed. */
  resolvePretty?: () => string | undefined;
}

function resolvePrettyDefault(): string | undefined {
  try {
    return createRequire(import.meta.url).resolve('pino-pretty');
  } catch {
    return undefined;
  }
}

/** Describes what {@link createLogger} chose, for one startup log line. */
export interface LoggerSetup {
  level: LogLevel;
  format: 'json' | 'pretty';
  /** Set when `--logging.format pretty` was asked for but `pino-pretty` is not installed. */
  prettyUnavailable: boolean;
  logFile?: string;
}

/**
 * A pino logger configured from `--logging.*`: level from the SDK flags; human-readable output
 * only on a terminal when the optional `pino-pretty` package is installed (or when asked for
 * with `--logging.format pretty`), JSON lines otherwise; secrets redacted.
 */
export function createLogger(
  options: CreateLoggerOptions = {},
  components: LoggerComponents = {},
): { logger: PinoLogger; setup: LoggerSetup } {
  const logging = options.logging ?? {};
  const level =
    options.level ?? logLevelOf({ debug: logging.debug ?? false, trace: logging.trace ?? false });
  const format = logging.format ?? 'auto';
  const setup: LoggerSetup = { level, format: 'json', prettyUnavailable: false };

  let main: DestinationStream;
  if (components.destination) {
    main = components.destination;
  } else {
    const wantsPretty =
      format === 'pretty' || (format === 'auto' && (components.isTTY ?? process.stdout.isTTY));
    const prettyPath = wantsPretty
      ? (components.resolvePretty ?? resolvePrettyDefault)()
      : undefined;
    if (prettyPath) {
      main = pino.transport({ target: prettyPath, options: { colorize: true, destination: 1 } });
      setup.format = 'pretty';
    } else {
      setup.prettyUnavailable = format === 'pretty';
      main = pino.destination({ dest: 1, sync: false });
    }
  }

  const pinoLevel = level === 'silent' ? 'silent' : level;
  const pinoOptions = {
    level: pinoLevel,
    base: { pid: process.pid, ...options.base },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (logging.recordLog && options.stateDir && level !== 'silent') {
    const logFile = join(options.stateDir, 'neuron.log');
    setup.logFile = logFile;
    const streams: StreamEntry[] = [
      { level, stream: main },
      { level, stream: pino.destination({ dest: logFile, mkdir: true, sync: false, mode: 0o600 }) },
    ];
    return { logger: pino(pinoOptions, pino.multistream(streams)), setup };
  }
  return { logger: pino(pinoOptions, main), setup };
}

/** A logger for one component (`axon`, `chain`, `weights` …): every line carries `component`. */
export function componentLogger(parent: Logger, component: string): Logger {
  return parent.child({ component });
}

/** A logger that writes nothing (tests, libraries used without one). */
export function silentLogger(): PinoLogger {
  return pino({ level: 'silent' });
}
