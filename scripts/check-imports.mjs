#!/usr/bin/env node
// Checks what each workspace imports against the rules in .dependency-cruiser.cjs (the table
// in CONTRIBUTING.md) with dependency-cruiser, and prints every offending import as
//   <file>: import '<specifier>' (<resolved>) breaks rule <rule>: <why>
// Exit code: 0 when no rule of severity error is broken, 1 otherwise, 2 when it cannot run.
//
//   node scripts/check-imports.mjs [--root DIR] [--config FILE]
//
// --root checks another tree laid out like this repo (packages/, subnets/, tooling/); the tests
// use it on fixture trees. The config defaults to this repo's .dependency-cruiser.cjs.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

let args;
try {
  ({ values: args } = parseArgs({
    options: { root: { type: 'string' }, config: { type: 'string' } },
  }));
} catch (error) {
  console.error(`check-imports: ${error.message}`);
  process.exit(2);
}
const root = resolve(args.root ?? repoRoot);
const configFile = resolve(args.config ?? join(repoRoot, '.dependency-cruiser.cjs'));

// dependency-cruiser resolves from the repo's node_modules whatever tree it checks.
const { cruise } = await import('dependency-cruiser');
const { default: extractDepcruiseOptions } = await import(
  'dependency-cruiser/config-utl/extract-depcruise-options'
);

const started = performance.now();
const options = await extractDepcruiseOptions(configFile);
// Rule paths are relative to the checked tree's root.
process.chdir(root);
const dirs = ['packages', 'subnets', 'tooling'].filter((dir) => existsSync(join(root, dir)));
if (dirs.length === 0) {
  console.error(`check-imports: no packages/, subnets/ or tooling/ under ${root}`);
  process.exit(2);
}

let result;
try {
  ({ output: result } = await cruise(dirs, {
    ...options,
    baseDir: root,
    outputType: 'json',
    progress: { type: 'none' },
  }));
} catch (error) {
  console.error(`check-imports: dependency-cruiser failed: ${error.message}`);
  process.exit(2);
}
if (typeof result === 'string') result = JSON.parse(result);

const { summary } = result;
const violations = [...summary.violations].sort(
  (a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to),
);
const comments = new Map(options.ruleSet.forbidden.map((rule) => [rule.name, rule.comment]));

for (const v of violations) {
  const specifier = v.unresolvedTo ?? v.to;
  // Name the file an import of ours resolved to; a third-party package's is noise.
  const target = specifier === v.to || v.to.includes('node_modules/') ? '' : ` (${v.to})`;
  const label = v.rule.severity === 'error' ? '' : `${v.rule.severity}: `;
  console.log(
    `${label}${v.from}: import '${specifier}'${target} breaks rule ${v.rule.name}: ${comments.get(v.rule.name) ?? ''}`,
  );
}

const errors = violations.filter((v) => v.rule.severity === 'error').length;
const warnings = violations.length - errors;
const seconds = ((performance.now() - started) / 1000).toFixed(1);
console.log(
  `check-imports: ${summary.totalCruised} modules, ${summary.totalDependenciesCruised} imports, ` +
    `${errors} ${errors === 1 ? 'violation' : 'violations'}` +
    (warnings > 0 ? `, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}` : '') +
    ` (${seconds} s; rules: .dependency-cruiser.cjs, table: CONTRIBUTING.md)`,
);
process.exit(errors === 0 ? 0 : 1);
