#!/usr/bin/env node
import { load } from './launch.js';

const cli = await load('../dist/cli.js', '../src/cli.ts');
process.exitCode = await cli.main(process.argv.slice(2));
