#!/usr/bin/env node
// `npm run demo` runs this: the local market (see README.md).
import { isDemoError } from './errors.js';
import { runMarket } from './market.js';
import { parseMarketArgs, USAGE } from './options.js';
import { findRepoRoot } from './paths.js';
import { describeSubnets, discoverSubnets } from './subnets.js';

/** USAGE and the subnets found here with their variants (or why they could not be read). */
async function help(): Promise<string> {
  try {
    return `${USAGE}\n\n${describeSubnets(await discoverSubnets(findRepoRoot()))}`;
  } catch (e) {
    return `${USAGE}\n\n(the subnets could not be read: ${(e as Error).message})`;
  }
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseMarketArgs>;
  try {
    parsed = parseMarketArgs(argv);
  } catch (e) {
    console.error(`subnetkit market: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(await help());
    return 0;
  }
  try {
    const result = await runMarket(parsed.options, { handleSignals: true });
    return result.exitCode;
  } catch (e) {
    // Refused before anything started: an unknown subnet or variant is a bad option.
    if (isDemoError(e) && e.code === 'INVALID_OPTION') {
      console.error(`subnetkit market: ${e.message}\n\nSee npm run demo -- --help`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const msg = isDemoError(e) ? `${e.message} [${e.code}]` : String((e as Error)?.stack ?? e);
    console.error(`subnetkit market: ${msg}`);
    process.exitCode = 1;
  },
);
