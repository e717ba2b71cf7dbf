#!/usr/bin/env node
// Runs every workspace's `bench` script one after another (never in parallel, so that
// measurements do not compete for the cores), all of them even when one fails (the exit code
// says so). Each bench prints its own report; the lines that start with `TARGET ` are collected
// and printed again at the end as one table, with the load average before and after, so the
// issue's targets can be read in one place.
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { parseTargetLine, renderTargets } from './bench-targets.mjs';

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadAtStart = load();
const started = Date.now();

const child = spawn(
  'pnpm',
  [
    '--recursive',
    '--workspace-concurrency=1',
    '--no-bail',
    '--reporter-hide-prefix',
    'run',
    'bench',
  ],
  { stdio: ['inherit', 'pipe', 'inherit'] },
);

const targets = [];
let pending = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  pending += chunk.toString('utf8');
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const target = parseTargetLine(line);
    if (target) targets.push(target);
  }
});

child.on('close', (code, signal) => {
  const tail = parseTargetLine(pending);
  if (tail) targets.push(tail);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(
    `\n# Targets (${availableParallelism()} cores; load average ${loadAtStart} at the start, ` +
      `${load()} at the end; ${minutes} min)`,
  );
  console.log(renderTargets(targets));
  process.exit(code ?? (signal ? 1 : 0));
});
