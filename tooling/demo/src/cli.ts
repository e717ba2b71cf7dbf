#!/usr/bin/env node
// `npm run demo` runs this: the local market (see README.md).
import { isDemoError } from './errors.js';
import { runMarket } from './market.js';
import { parseMarketArgs, USAGE } from './options.js';

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseMarketArgs>;
  try {
    parsed = parseMarketArgs(argv);
  } catch (e) {
    console.error(`subnetkit market: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    console.log(USAGE);
    return 0;
  }
  const result = await runMarket(parsed.options, { handleSignals: true });
  return result.exitCode;
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
