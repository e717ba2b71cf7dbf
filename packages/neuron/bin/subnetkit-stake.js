#!/usr/bin/env node
import { load } from './launch.js';

await load('../dist/bin/stake.js', '../src/bin/stake.ts');
