import { parseArgs } from 'node:util';
import { DemoError } from './errors.js';

/**
 * One `--miners` term: `N` (every honest variant), `VARIANT=N` (that variant in every selected
 * subnet that has it) or `SUBNET.VARIANT=N` (one subnet's). Checked against the rosters when
 * the market is planned (`planMarket`).
 */
export interface MinerCount {
  /** null: every selected subnet. */
  subnet: string | null;
  /** null: every honest variant. */
  variant: string | null;
  count: number;
}

export interface MarketOptions {
  /** Subnets to run by roster name, or null for every subnet found. */
  subnets: string[] | null;
  /** Counts over the rosters' defaults, applied in order. */
  miners: MinerCount[];
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

export const DEFAULT_OPTIONS: Readonly<MarketOptions> = Object.freeze({
  subnets: null,
  miners: [],
  tempos: 3,
  blockTimeMs: 250,
  tempo: 20,
  keep: false,
  dashboardPort: 0,
  timeoutS: 170,
  tmpRoot: undefined,
});

/** Loopback addresses 127.0.0.2 … 127.0.0.254 go to the neurons (one each). */
export const MAX_NEURONS = 253;
/** Most miners of one variant. */
export const MAX_COUNT = 200;

export const USAGE = `subnetkit market — a local market for every subnet here: one dev chain, and for each
subnet its own netuid, one validator and several miners (honest and adversarial), each a
separate process.

Usage: npm run demo -- [options]

  --subnets A,B       the subnets to run, by name (default: every subnet that exports ./market)
  --miners SPEC       miner counts over each subnet's defaults, comma-separated terms:
                        N                 every honest variant runs N miners
                        VARIANT=N         that variant, in every selected subnet that has it
                        SUBNET.VARIANT=N  that variant of one subnet
                      e.g. --miners 2 or --miners honest=2,wrong=0,template.garbage=1
  --tempos N          epochs to run after the warm-up weights land (default 3)
  --block-time T      block time: 250ms (default), 0.5s, 1s …
  --tempo N           subnet tempo in blocks (default 20)
  --dashboard PORT    live dashboard on http://127.0.0.1:PORT (default: a free port; "off")
  --timeout S         give up after S seconds (default 170)
  --tmp DIR           where to create the run's directory (default: the OS temp dir)
  --keep              keep the run's directory (wallets, logs, validator state)
  -h, --help          this text, and the subnets found with their miner variants

Exit code 0 when, in every subnet, every honest miner ends with a higher incentive than every
adversarial one; 1 when not (or something failed); 2 for a bad option; 130 interrupted.`;

function positiveInt(raw: string, field: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new DemoError(
      'INVALID_OPTION',
      `--${field}: "${raw}" is not an integer in ${min}..${max === Number.MAX_SAFE_INTEGER ? '∞' : max}`,
      { details: { field } },
    );
  }
  return n;
}

/** `250ms`, `0.5s`, `1s`, or bare milliseconds. */
export function parseDuration(raw: string, field: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(raw.trim());
  if (!m) {
    throw new DemoError('INVALID_OPTION', `--${field}: "${raw}" is not a duration (250ms, 0.5s)`, {
      details: { field },
    });
  }
  const ms = Math.round(Number(m[1]) * (m[2] === 's' ? 1000 : 1));
  if (ms < 50 || ms > 12_000) {
    throw new DemoError('INVALID_OPTION', `--${field}: ${ms} ms is outside 50ms..12s`, {
      details: { field },
    });
  }
  return ms;
}

/** `--subnets image,text`: names, checked against the subnets found later. */
export function parseSubnetList(raw: string): string[] {
  const names = raw.split(',').map((n) => n.trim());
  for (const n of names) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(n)) {
      throw new DemoError('INVALID_OPTION', `--subnets: "${n}" is not a subnet name (kebab-case)`, {
        details: { field: 'subnets' },
      });
    }
  }
  return names;
}

const NAME = '[a-z][a-z0-9]*(?:-[a-z0-9]+)*';
const TERM = new RegExp(`^(?:(${NAME})\\.)?(${NAME})\\s*=\\s*(\\d+)$`);

/** `3`, or `honest=3,wrong=0,template.slow=2`: syntax only (the rosters check the names). */
export function parseMinerCounts(raw: string): MinerCount[] {
  const text = raw.trim();
  if (/^\d+$/.test(text)) {
    return [{ subnet: null, variant: null, count: positiveInt(text, 'miners', 1, MAX_COUNT) }];
  }
  return text.split(',').map((part) => {
    const m = TERM.exec(part.trim());
    if (!m) {
      throw new DemoError(
        'INVALID_OPTION',
        `--miners: "${part.trim()}" is not N, VARIANT=N or SUBNET.VARIANT=N`,
        { details: { field: 'miners' } },
      );
    }
    return {
      subnet: m[1] ?? null,
      variant: m[2]!,
      count: positiveInt(m[3]!, 'miners', 0, MAX_COUNT),
    };
  });
}

export type ParsedArgs = { help: true } | { help: false; options: MarketOptions };

export function parseMarketArgs(argv: readonly string[]): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        subnets: { type: 'string' },
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
    subnets: str('subnets') === undefined ? null : parseSubnetList(str('subnets')!),
    miners: str('miners') === undefined ? [] : parseMinerCounts(str('miners')!),
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
