#!/usr/bin/env node
import { load } from './launch.js';

await load('../dist/cli.js', '../src/cli.ts');
