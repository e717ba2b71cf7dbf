import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type MarketRoster, parseMarketRoster } from '@subnetkit/neuron';
import { DemoError } from './errors.js';

/** The package.json subpath a subnet exports its roster from. */
export const MARKET_EXPORT = './market';
/** The export condition that names the roster's source file (run through tsx). */
export const SOURCE_CONDITION = '@subnetkit/source';

/** A subnet found in the repo, with the roster its `./market` export gives. */
export interface MarketSubnet {
  roster: MarketRoster;
  /** Its workspace, relative to the repo root (`subnets/_template`). */
  dir: string;
  /** The roster's source file, relative to the repo root. */
  source: string;
}

function invalid(message: string, cause?: unknown): DemoError {
  return new DemoError('ROSTER_INVALID', message, cause === undefined ? {} : { cause });
}

/** The `@subnetkit/source` file of a package.json `exports["./market"]` entry, if any. */
export function marketSourceOf(pkg: unknown, where: string): string | null {
  if (typeof pkg !== 'object' || pkg === null) return null;
  const exports = (pkg as { exports?: unknown }).exports;
  if (typeof exports !== 'object' || exports === null) return null;
  const entry = (exports as Record<string, unknown>)[MARKET_EXPORT];
  if (entry === undefined) return null;
  if (typeof entry === 'string') return entry;
  const source =
    typeof entry === 'object' && entry !== null
      ? (entry as Record<string, unknown>)[SOURCE_CONDITION]
      : undefined;
  if (typeof source !== 'string') {
    throw invalid(
      `${where}: exports["${MARKET_EXPORT}"] has no "${SOURCE_CONDITION}" condition naming the roster's source file`,
    );
  }
  return source;
}

/**
 * Every subnet of the repo that joins the market: `subnets/<dir>/package.json` with an
 * `exports["./market"]` entry, whose `@subnetkit/source` file is imported and its `market`
 * export checked (`parseMarketRoster`). Ordered by directory; subnet names must be unique.
 */
export async function discoverSubnets(root: string): Promise<MarketSubnet[]> {
  const base = join(root, 'subnets');
  if (!existsSync(base)) return [];
  const found: MarketSubnet[] = [];
  const dirs = readdirSync(base, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  for (const name of dirs) {
    const pkgFile = join(base, name, 'package.json');
    if (!existsSync(pkgFile)) continue;
    const dir = relative(root, join(base, name));
    let pkg: unknown;
    try {
      pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    } catch (e) {
      throw invalid(`${dir}/package.json: ${(e as Error).message}`, e);
    }
    const file = marketSourceOf(pkg, `${dir}/package.json`);
    if (file === null) continue;
    const path = join(base, name, file);
    const source = relative(root, path);
    if (!existsSync(path)) {
      throw invalid(
        `${dir}/package.json: exports["${MARKET_EXPORT}"] names ${source}, which does not exist`,
      );
    }
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } catch (e) {
      throw invalid(`${source}: cannot be loaded: ${(e as Error).message}`, e);
    }
    if (!('market' in mod)) {
      throw invalid(
        `${source}: exports no \`market\` (export const market = defineMarketRoster({...}))`,
      );
    }
    let roster: MarketRoster;
    try {
      roster = parseMarketRoster(mod.market, source);
    } catch (e) {
      throw invalid((e as Error).message, e);
    }
    const twin = found.find((s) => s.roster.subnet === roster.subnet);
    if (twin) {
      throw invalid(
        `subnet name "${roster.subnet}" is used by both ${twin.source} and ${source}; each roster needs its own`,
      );
    }
    found.push({ roster, dir, source });
  }
  return found;
}

/**
 * The subnets `--subnets` names, in the order given; every one found when `names` is null.
 * An unknown or repeated name is an `INVALID_OPTION` naming the known ones.
 */
export function selectSubnets<T extends { roster: MarketRoster }>(
  found: readonly T[],
  names: readonly string[] | null,
): T[] {
  if (found.length === 0) {
    throw new DemoError(
      'NO_SUBNETS',
      'no subnet joins the market: none of subnets/*/package.json exports "./market" (see subnets/_template/src/market/roster.ts)',
    );
  }
  if (names === null) return [...found];
  const known = found.map((s) => s.roster.subnet);
  const out: T[] = [];
  for (const name of names) {
    const s = found.find((x) => x.roster.subnet === name);
    if (!s) {
      throw new DemoError(
        'INVALID_OPTION',
        `--subnets: unknown subnet "${name}" (known: ${known.join(', ')})`,
        { details: { field: 'subnets' } },
      );
    }
    if (out.includes(s)) {
      throw new DemoError('INVALID_OPTION', `--subnets: "${name}" is listed twice`, {
        details: { field: 'subnets' },
      });
    }
    out.push(s);
  }
  return out;
}

/** `--help`'s list of the subnets found and their miner variants. */
export function describeSubnets(found: readonly { roster: MarketRoster }[]): string {
  if (found.length === 0) return 'No subnet here joins the market yet.';
  const lines = ['Subnets here (miner variants: default count, what they do):'];
  for (const { roster } of found) {
    lines.push(`  ${roster.subnet}`);
    for (const m of roster.miners) {
      lines.push(
        `    ${`${m.variant}=${m.count ?? 1}`.padEnd(14)} ${m.honest ? 'honest' : 'adversarial'}: ${m.description}`,
      );
    }
  }
  return lines.join('\n');
}
