/**
 * A subnet's entry in the local market (`tooling/demo`): which processes to start for its
 * validator and for each kind of miner, and which miners are honest. A subnet exports one
 * roster from its `./market` package subpath; the market discovers it there, gives the subnet
 * its own netuid on one dev chain, and passes every neuron the common flags (`--netuid`,
 * `--wallet.*`, `--subtensor.chain_endpoint`, `--axon.*`, `--status.port`,
 * `--neuron.full_path`, the validator's `--neuron.*` pace) before the roster's own `args`.
 */
import { WIRE_NAMES, type WireName } from '@subnetkit/transport';
import { NeuronError } from './errors.js';

/** One process of the market. */
export interface MarketNeuron {
  /**
   * A `file:` URL of a module that runs the neuron as a process: a `main.ts` that calls
   * `runNeuronCli` (e.g. `new URL('../miner/main.ts', import.meta.url)`). The market runs it
   * with `node --conditions=@subnetkit/source --import tsx`.
   */
  entry: URL;
  /** The subnet's own flags, after the market's common ones. */
  args?: readonly string[];
}

/** One kind of miner the market runs. */
export interface MarketMiner {
  /** Kebab-case, unique in the roster: processes and hotkeys are `<variant>-1`, `<variant>-2` … */
  variant: string;
  /** The market passes only if every honest miner out-earns every other one. */
  honest: boolean;
  /** One line for `--help`, the README and the run's header. */
  description: string;
  /** How many the market runs by default (1; 0 runs none unless asked for). */
  count?: number;
  /**
   * The process, as for {@link MarketNeuron}; `null` for a miner that is registered and
   * publishes an axon where nothing listens, but is never started (a dead miner).
   */
  entry: URL | null;
  /** The variant's own flags, after the market's common ones. */
  args?: readonly string[];
  /**
   * The wire each instance serves, in turn (`<variant>-1` the first, `-2` the second …,
   * round again); the market passes `--axon.wires` to the miner and tells the validator
   * with `--neuron.miner_wires`. Default: Synapse.
   */
  wires?: readonly WireName[];
}

/** A subnet's processes in the local market. */
export interface MarketRoster {
  /** Kebab-case name, unique in the repo: `--subnets <name>` selects it. */
  subnet: string;
  validator: MarketNeuron;
  /** At least one honest variant with a count ≥ 1. */
  miners: readonly MarketMiner[];
}

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_NAME = 40;
/** Variant names the market uses itself. */
const RESERVED_VARIANTS = new Set(['validator', 'localnet']);
/** The market sets these on every neuron; a roster's `args` must not. */
export const MARKET_OWNED_FLAGS: readonly string[] = Object.freeze([
  '--netuid',
  '--wallet.name',
  '--wallet.hotkey',
  '--wallet.path',
  '--subtensor.network',
  '--subtensor.chain_endpoint',
  '--axon.ip',
  '--axon.external_ip',
  '--axon.port',
  '--axon.wires',
  '--neuron.miner_wires',
  '--status.port',
  '--neuron.full_path',
  '--logging.format',
]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a roster (from a subnet's module, so from anywhere) and returns a frozen copy with
 * every `count` set. Throws `NeuronError` `INVALID_ARGUMENT` naming the field
 * (`miners[1].variant`) and, when given, where the roster came from.
 */
export function parseMarketRoster(value: unknown, source?: string): MarketRoster {
  const name = isObject(value) && typeof value.subnet === 'string' ? ` "${value.subnet}"` : '';
  const where = `market roster${name}${source ? ` (${source})` : ''}`;
  const bad = (field: string, problem: string): never => {
    throw new NeuronError('INVALID_ARGUMENT', `${where}: ${field}: ${problem}`, {
      details: { field },
    });
  };
  const kebab = (v: unknown, field: string): string => {
    if (typeof v !== 'string' || v.length === 0) return bad(field, 'must be a non-empty string');
    if (v.length > MAX_NAME) return bad(field, `"${v}" is longer than ${MAX_NAME} characters`);
    if (!KEBAB.test(v)) {
      return bad(field, `"${v}" must be lowercase letters, digits and single dashes (kebab-case)`);
    }
    return v;
  };
  const entry = (v: unknown, field: string): URL => {
    if (!(v instanceof URL)) {
      return bad(field, 'must be a URL (new URL("../miner/main.ts", import.meta.url))');
    }
    if (v.protocol !== 'file:') return bad(field, `must be a file: URL, got ${v.href}`);
    return new URL(v.href);
  };
  const args = (v: unknown, field: string): readonly string[] => {
    if (v === undefined) return Object.freeze([]);
    if (!Array.isArray(v) || v.some((a) => typeof a !== 'string')) {
      return bad(field, 'must be an array of strings');
    }
    for (const [i, a] of (v as string[]).entries()) {
      const flag = a.split('=')[0]!;
      if (MARKET_OWNED_FLAGS.includes(flag)) {
        bad(`${field}[${i}]`, `${flag} is set by the market itself`);
      }
    }
    return Object.freeze([...(v as string[])]);
  };

  const wires = (v: unknown, field: string): readonly WireName[] => {
    if (v === undefined) return Object.freeze(['synapse'] as WireName[]);
    if (!Array.isArray(v) || v.length === 0)
      return bad(field, 'must be a non-empty array of wires');
    for (const [i, w] of v.entries()) {
      if (!WIRE_NAMES.includes(w)) {
        bad(
          `${field}[${i}]`,
          `unknown wire ${JSON.stringify(w)} (known: ${WIRE_NAMES.join(', ')})`,
        );
      }
    }
    return Object.freeze([...(v as WireName[])]);
  };

  if (!isObject(value)) return bad('roster', 'must be an object { subnet, validator, miners }');
  const subnet = kebab(value.subnet, 'subnet');
  if (!isObject(value.validator)) return bad('validator', 'must be an object { entry, args? }');
  const validator = Object.freeze({
    entry: entry(value.validator.entry, 'validator.entry'),
    args: args(value.validator.args, 'validator.args'),
  });
  if (!Array.isArray(value.miners) || value.miners.length === 0) {
    return bad('miners', 'must be a non-empty array');
  }
  const seen = new Set<string>();
  const miners = (value.miners as unknown[]).map((m, i): MarketMiner => {
    const f = `miners[${i}]`;
    if (!isObject(m)) return bad(f, 'must be an object { variant, honest, description, entry }');
    const variant = kebab(m.variant, `${f}.variant`);
    if (RESERVED_VARIANTS.has(variant)) bad(`${f}.variant`, `"${variant}" is reserved`);
    if (seen.has(variant)) bad(`${f}.variant`, `"${variant}" is listed twice`);
    seen.add(variant);
    if (typeof m.honest !== 'boolean') bad(`${f}.honest`, 'must be true or false');
    if (typeof m.description !== 'string' || m.description.trim() === '') {
      bad(`${f}.description`, 'must be a non-empty string');
    }
    const count = m.count ?? 1;
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      bad(`${f}.count`, `must be an integer ≥ 0, got ${String(m.count)}`);
    }
    if (m.entry === undefined) {
      bad(`${f}.entry`, 'is required (a file: URL, or null for a miner that never starts)');
    }
    if (m.entry === null && m.honest === true) {
      bad(`${f}.entry`, 'an honest miner needs a process (null is for a dead miner)');
    }
    return Object.freeze({
      variant,
      honest: m.honest as boolean,
      description: (m.description as string).trim(),
      count: count as number,
      entry: m.entry === null ? null : entry(m.entry, `${f}.entry`),
      args: args(m.args, `${f}.args`),
      wires: wires(m.wires, `${f}.wires`),
    });
  });
  if (!miners.some((m) => m.honest && (m.count ?? 1) > 0)) {
    bad('miners', 'needs at least one honest variant with count ≥ 1');
  }
  return Object.freeze({ subnet, validator, miners: Object.freeze(miners) });
}

/**
 * A subnet's roster, checked when its module loads (a bad one fails the subnet's own tests,
 * not only the market). Export it as `market` from `src/market/roster.ts`, the package's
 * `./market` subpath.
 */
export function defineMarketRoster(roster: MarketRoster): MarketRoster {
  return parseMarketRoster(roster);
}

/**
 * A roster's module entry beside the roster's own module: `marketEntry(import.meta.url,
 * '../miner/main')` is `main.ts` when the roster runs from source and `main.js` once built.
 */
export function marketEntry(rosterUrl: string, path: string): URL {
  return new URL(`${path}${rosterUrl.endsWith('.ts') ? '.ts' : '.js'}`, rosterUrl);
}
