#!/usr/bin/env node
// `create-subnet <name>`; dev form: node --conditions=@subnetkit/source --import tsx tooling/create-subnet/src/bin.ts <name>
import { main } from './cli.js';

// Under `pnpm run`, the script's cwd is the package; INIT_CWD is where the user typed it.
const cwd =
  process.env.npm_lifecycle_event && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
process.exitCode = main(process.argv.slice(2), {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  cwd,
});
