#!/usr/bin/env node
// Runs every workspace's `bench` script one after another (never in parallel, so that
// measurements do not compete for the two cores). Each bench prints its own ratios.
import { spawnSync } from 'node:child_process';

const result = spawnSync(
  'pnpm',
  ['--recursive', '--workspace-concurrency=1', '--reporter-hide-prefix', 'run', 'bench'],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
