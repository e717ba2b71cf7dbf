#!/usr/bin/env node
import { load } from './launch.js';

await load('../dist/bin/register.js', '../src/bin/register.ts');
