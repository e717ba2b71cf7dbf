#!/usr/bin/env node
// Runs every test of every workspace in one vitest run (projects), plus the typecheck and
// lint of the whole repo, and ends with one plain line of totals for CI:
//   N passed, N failed, N skipped
// The typecheck, lint and import rules (scripts/check-imports.mjs: what each workspace may
// import, CONTRIBUTING.md) count as one check each. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, '.test-results');
const resultsFile = join(resultsDir, 'vitest.json');

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function readVitestTotals() {
  let report;
  try {
    report = JSON.parse(readFileSync(resultsFile, 'utf8'));
  } catch (error) {
    console.error(`could not read vitest's JSON report (${resultsFile}): ${error.message}`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  // A file that fails to load has no failed assertion but is a failure all the same.
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed'),
  ).length;
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles,
    skipped: report.numPendingTests + report.numTodoTests,
  };
}

rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const checks = [
  [
    'typecheck',
    () => run('pnpm', ['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']),
  ],
  ['lint', () => run('pnpm', ['exec', 'biome', 'check', '.'])],
  ['imports', () => run(process.execPath, ['scripts/check-imports.mjs'])],
];
const checkResults = checks.map(([name, check]) => [name, check() === 0]);

const vitestStatus = run('pnpm', [
  'exec',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${resultsFile}`,
  ...process.argv.slice(2),
]);
const totals = readVitestTotals();
if (vitestStatus !== 0 && totals.failed === 0) totals.failed = 1;

for (const [name, ok] of checkResults) {
  console.log(`${name}: ${ok ? 'passed' : 'FAILED'}`);
  if (ok) totals.passed += 1;
  else totals.failed += 1;
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
