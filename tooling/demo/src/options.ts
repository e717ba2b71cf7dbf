import { parseArgs } from 'node:util';
import { DemoError } from './errors.js';

/** The kinds of miner the market runs. `dead` is registered and published but never started. */
export const MINER_KINDS = ['honest', 'wrong', 'slow', 'garbage', 'dead'] as const;
export type MinerKind = (typeof MINER_KINDS)[number];

/** How many miners of each kind. */
export type MinerPlan = Record<MinerKind, number>;

export interface MarketOptions {
  miners: MinerPlan;
  /** Epochs to run once the validator's first weights are on chain. */
  tempos: number;
  /** Block time in ms. */
  blockTimeMs: number;
  /** Subnet tempo in blocks. */
  tempo: number;
  /** Keep the temp dir (wallets, logs, state) after the run. */
  keep: boolean;
  /** Dashboard port (0 = any free port), or null for none. */
  dashboardPort: number | null;
  /** Give up after this many seconds (the whole run, setup included). */
  timeoutS: number;
  /** Base directory for the run's temp dir (default: the OS temp dir). */
  tmpRoot: string | undefined;
}

export const DEFAULT_MINERS: Readonly<MinerPlan> = Object.freeze({
  honest: 3,
  wrong: 1,
  slow: 1,
  garbage: 0,
  dead: 1,
});

export const DEFAULT_OPTIONS: Readonly<Omit<MarketOptions, 'miners'>> = Object.freeze({
  tempos: 3,
  blockTimeMs: 250,
  tempo: 20,
  keep: false,
  dashboardPort: 0,
  timeoutS: 170,
  tmpRoot: undefined,
});

/** Loopback addresses 127.0.0.2 … 127.0.0.254 are available to miners (one each). */
export const MAX_MINERS = 200;

export const USAGE = `subnetkit market — a local subnet market: a dev chain, one validator and several
miners (honest and faulty), each a separate process.

Usage: npm run demo -- [options]

  --miners SPEC       honest miners as a number (faulty ones stay at their defaults),
                      or counts per kind: honest=3,wrong=1,slow=1,garbage=0,dead=1 (default)
  --tempos N          epochs to run after the warm-up weights land (default 3)
  --block-time T      block time: 250ms (default), 0.5s, 1s …
  --tempo N           subnet tempo in blocks (default 20)
  --dashboard PORT    live dashboard on http://127.0.0.1:PORT (default: a free port; "off")
  --timeout S         give up after S seconds (default 170)
  --tmp DIR           where to create the run's directory (default: the OS temp dir)
  --keep              keep the run's directory (wallets, logs, validator state)
  -h, --help          this text

Miner kinds: honest (right answers), wrong (wrong answers), slow (answers after the
validator's timeout), garbage (malformed answers), dead (axon published, nothing listening).
Exit code 0 when every honest miner ends with a higher incentive than every faulty one.`;

function positiveInt(raw: string, field: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new DemoError(
      'INVALID_OPTION',
      `--${field}: "${raw}" is not an integer in ${min}..${max === Number.MAX_SAFE_INTEGER ? '∞' : max}`,
      { field },
    );
  }
  return n;
}

/** `250ms`, `0.5s`, `1s`, or bare milliseconds. */
export function parseDuration(raw: string, field: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(raw.trim());
  if (!m) {
    throw new DemoError('INVALID_OPTION', `--${field}: "${raw}" is not a duration (250ms, 0.5s)`, {
      field,
    });
  }
  const ms = Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1));
  if (ms < 50 || ms > 12_000) {
    throw new DemoError('INVALID_OPTION', `--${field}: ${ms} ms is outside 50ms..12s`, { field });
  }
  return ms;
}

/** `3` (honest count) or `honest=3,wrong=1,…`; kinds not named keep their default. */
export function parseMinerPlan(raw: string): MinerPlan {
  const plan: MinerPlan = { ...DEFAULT_MINERS };
  const text = raw.trim();
  if (/^\d+$/.test(text)) {
    plan.honest = positiveInt(text, 'miners', 1, MAX_MINERS);
  } else {
    for (const part of text.split(',')) {
      const m = /^\s*([a-z]+)\s*=\s*(\d+)\s*$/.exec(part);
      if (!m) {
        throw new DemoError(
          'INVALID_OPTION',
          `--miners: "${part}" is not KIND=COUNT (kinds: ${MINER_KINDS.join(', ')})`,
          { field: 'miners' },
        );
      }
      const kind = m[1] as MinerKind;
      if (!MINER_KINDS.includes(kind)) {
        throw new DemoError(
          'INVALID_OPTION',
          `--miners: unknown miner kind "${m[1]}" (kinds: ${MINER_KINDS.join(', ')})`,
          { field: 'miners' },
        );
      }
      plan[kind] = positiveInt(m[2]!, 'miners', 0, MAX_MINERS);
    }
  }
  const total = MINER_KINDS.reduce((s, k) => s + plan[k], 0);
  if (plan.honest < 1) {
    throw new DemoError('INVALID_OPTION', '--miners: at least one honest miner is needed', {
      field: 'miners',
    });
  }
  if (total > MAX_MINERS) {
    throw new DemoError('INVALID_OPTION', `--miners: ${total} miners, at most ${MAX_MINERS}`, {
      field: 'miners',
    });
  }
  return plan;
}

export type ParsedArgs = { help: true } | { help: false; options: MarketOptions };

export function parseMarketArgs(argv: readonly string[]): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        miners: { type: 'string' },
        tempos: { type: 'string' },
        'block-time': { type: 'string' },
        tempo: { type: 'string' },
        dashboard: { type: 'string' },
        timeout: { type: 'string' },
        tmp: { type: 'string' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new DemoError('INVALID_OPTION', (e as Error).message, { cause: e });
  }
  if (values.help) return { help: true };
  const str = (k: string) => values[k] as string | undefined;
  const dashboard = str('dashboard');
  const options: MarketOptions = {
    miners: str('miners') === undefined ? { ...DEFAULT_MINERS } : parseMinerPlan(str('miners')!),
    tempos:
      str('tempos') === undefined
        ? DEFAULT_OPTIONS.tempos
        : positiveInt(str('tempos')!, 'tempos', 1, 100),
    blockTimeMs:
      str('block-time') === undefined
        ? DEFAULT_OPTIONS.blockTimeMs
        : parseDuration(str('block-time')!, 'block-time'),
    tempo:
      str('tempo') === undefined
        ? DEFAULT_OPTIONS.tempo
        : positiveInt(str('tempo')!, 'tempo', 4, 1000),
    keep: values.keep === true,
    dashboardPort:
      dashboard === undefined
        ? DEFAULT_OPTIONS.dashboardPort
        : dashboard === 'off'
          ? null
          : positiveInt(dashboard, 'dashboard', 0, 65535),
    timeoutS:
      str('timeout') === undefined
        ? DEFAULT_OPTIONS.timeoutS
        : positiveInt(str('timeout')!, 'timeout', 10, 3600),
    tmpRoot: str('tmp'),
  };
  return { help: false, options };
}
