// The import rules (.dependency-cruiser.cjs, run by scripts/check-imports.mjs) on a fixture
// tree laid out like the repo (workspaces linked under node_modules/@subnetkit as pnpm does):
// each planted import must fail with its file, import and rule named; the allowed ones must
// pass. Nothing is planted in the working tree. Then the real repo, which must pass, and
// CONTRIBUTING.md's table, which must say what the rules enforce.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const checker = join(repoRoot, 'scripts', 'check-imports.mjs');

function check(root?: string): { status: number | null; output: string } {
  const args = root === undefined ? [checker] : [checker, '--root', root];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', cwd: repoRoot });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Writes `files` (path → content) under `root`. */
function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

const PACKAGES = ['core', 'wallet', 'timelock', 'scoring', 'transport', 'chain'];
const RUNTIME = [...PACKAGES, 'neuron', 'localnet', 'test-utils'];

/** A workspace: package.json with the `@subnetkit/source` export, src/index.ts, linked. */
function workspace(root: string, dir: string, name: string, deps: string[] = []): void {
  const dependencies = Object.fromEntries(deps.map((d) => [d, 'workspace:*']));
  write(root, {
    [`${dir}/package.json`]: JSON.stringify({
      name,
      type: 'module',
      exports: { '.': { '@subnetkit/source': './src/index.ts', default: './dist/index.js' } },
      dependencies,
    }),
    [`${dir}/src/index.ts`]: 'export const here = 1;\n',
  });
  mkdirSync(join(root, 'node_modules', '@subnetkit'), { recursive: true });
  symlinkSync(join(root, dir), join(root, 'node_modules', name));
}

let fixture: string;

beforeAll(() => {
  fixture = mkdtempSync(join(tmpdir(), 'import-rules-'));
  for (const name of RUNTIME) workspace(fixture, `packages/${name}`, `@subnetkit/${name}`);
  workspace(fixture, 'subnets/alpha', '@subnetkit/subnet-alpha', ['left-pad']);
  workspace(fixture, 'subnets/beta', '@subnetkit/subnet-beta');
  workspace(fixture, 'tooling/demo', '@subnetkit/demo');
  write(fixture, {
    // A third-party library, declared by subnets/alpha.
    'node_modules/left-pad/package.json': JSON.stringify({ name: 'left-pad', main: 'index.js' }),
    'node_modules/left-pad/index.js': 'module.exports = (s) => s;\n',
    // Allowed: every row's own imports, each once.
    'packages/wallet/src/uses.ts': "import { here } from '@subnetkit/core';\nexport { here };\n",
    'packages/chain/src/uses.ts':
      "export * from '@subnetkit/timelock';\nexport * from '@subnetkit/wallet';\n",
    'packages/neuron/src/uses.ts': [
      "import type { here } from '@subnetkit/transport';",
      "export * from '@subnetkit/chain';",
      "export * from '@subnetkit/scoring';",
      'export type Here = typeof here;',
      '',
    ].join('\n'),
    'packages/localnet/src/uses.ts': "export * from '@subnetkit/scoring';\n",
    'packages/test-utils/src/uses.ts':
      "export * from '@subnetkit/localnet';\nexport * from '@subnetkit/neuron';\n",
    // A package's tests may import any package.
    'packages/wallet/test/e2e.test.ts':
      "import '@subnetkit/localnet';\nimport '@subnetkit/test-utils';\n",
    // A subnet's src: neuron and the layers under it, third-party libraries, itself.
    'subnets/alpha/src/miner/miner.ts': [
      "import pad from 'left-pad';",
      "import { here } from '@subnetkit/neuron';",
      "import '@subnetkit/wallet';",
      "import '@subnetkit/core';",
      "import '../index.js';",
      'export const miner = pad(String(here));',
      '',
    ].join('\n'),
    // A subnet's tests: test-utils and localnet too, and its own package by name.
    'subnets/alpha/test/e2e.test.ts':
      "import '@subnetkit/test-utils';\nimport '@subnetkit/localnet';\nimport '@subnetkit/subnet-alpha';\n",
    'subnets/alpha/src/miner/miner.test.ts': "import '@subnetkit/test-utils';\n",
    // Tooling may import packages and subnets.
    'tooling/demo/src/market.ts':
      "import '@subnetkit/subnet-alpha';\nimport '@subnetkit/localnet';\nimport '@subnetkit/test-utils';\n",
  });
});

afterAll(() => {
  if (fixture) rmSync(fixture, { recursive: true, force: true });
});

describe('the import check on a fixture tree, allowed imports only', () => {
  it('passes', () => {
    const { status, output } = check(fixture);
    expect(output).toContain(', 0 violations');
    expect(status).toBe(0);
  });
});

describe('the import check on the fixture tree with planted imports', () => {
  const planted: Array<{
    what: string;
    file: string;
    source: string;
    specifier: string;
    rule: string;
  }> = [
    {
      what: 'a package importing a layer above it (wallet → neuron)',
      file: 'packages/wallet/src/__planted.ts',
      source: "import { here } from '@subnetkit/neuron';\nexport const x = here;\n",
      specifier: '@subnetkit/neuron',
      rule: 'package-wallet',
    },
    {
      what: 'a type-only upward import (transport → chain)',
      file: 'packages/transport/src/__planted.ts',
      source: "import type { here } from '@subnetkit/chain';\nexport type X = typeof here;\n",
      specifier: '@subnetkit/chain',
      rule: 'package-transport',
    },
    {
      what: 'core importing anything of ours',
      file: 'packages/core/src/__planted.ts',
      source: "export * from '@subnetkit/wallet';\n",
      specifier: '@subnetkit/wallet',
      rule: 'package-core',
    },
    {
      what: "neuron's src importing localnet",
      file: 'packages/neuron/src/__planted.ts',
      source: "import '@subnetkit/localnet';\n",
      specifier: '@subnetkit/localnet',
      rule: 'package-neuron',
    },
    {
      what: 'a package with no row in the table importing a package',
      file: 'packages/newcomer/src/__planted.ts',
      source: "import '@subnetkit/wallet';\n",
      specifier: '@subnetkit/wallet',
      rule: 'package-unlisted',
    },
    {
      what: 'a subnet importing another subnet',
      file: 'subnets/alpha/src/__planted.ts',
      source: "import { here } from '@subnetkit/subnet-beta';\nexport const x = here;\n",
      specifier: '@subnetkit/subnet-beta',
      rule: 'no-subnet-to-subnet',
    },
    {
      what: "a subnet's test importing another subnet",
      file: 'subnets/alpha/test/__planted.test.ts',
      source: "import '@subnetkit/subnet-beta';\n",
      specifier: '@subnetkit/subnet-beta',
      rule: 'no-subnet-to-subnet',
    },
    {
      what: "a subnet's src importing test-utils",
      file: 'subnets/alpha/src/validator/__planted.ts',
      source: "import '@subnetkit/test-utils';\n",
      specifier: '@subnetkit/test-utils',
      rule: 'subnet-src',
    },
    {
      what: "a subnet's src importing localnet",
      file: 'subnets/alpha/src/__localnet.ts',
      source: "import '@subnetkit/localnet';\n",
      specifier: '@subnetkit/localnet',
      rule: 'subnet-src',
    },
    {
      what: "a package's test importing a subnet",
      file: 'packages/test-utils/test/__planted.test.ts',
      source: "import '@subnetkit/subnet-alpha';\n",
      specifier: '@subnetkit/subnet-alpha',
      rule: 'no-package-to-subnet',
    },
    {
      what: 'a subnet importing tooling',
      file: 'subnets/beta/src/__planted.ts',
      source: "import '@subnetkit/demo';\n",
      specifier: '@subnetkit/demo',
      rule: 'no-import-of-tooling',
    },
    {
      what: 'a relative import climbing out of the workspace',
      file: 'packages/wallet/src/__climbing.ts',
      source: "import { here } from '../../core/src/index.js';\nexport const x = here;\n",
      specifier: '../../core/src/index.js',
      rule: 'no-climbing',
    },
    {
      what: "a subnet's src importing an undeclared third-party package",
      file: 'subnets/beta/src/__undeclared.ts',
      source: "import pad from 'left-pad';\nexport const x = pad('');\n",
      specifier: 'left-pad',
      rule: 'undeclared-dependency',
    },
  ];

  // All planted at once, each in its own file, so one run (a few seconds) checks them all: the
  // run must fail, and each import must be reported, as an error, by its own rule only.
  let plantedRun: { status: number | null; output: string };
  beforeAll(() => {
    write(fixture, Object.fromEntries(planted.map((p) => [p.file, p.source])));
    plantedRun = check(fixture);
  }, 60_000);

  it('fails, with one violation per planted import', () => {
    expect(plantedRun.status).toBe(1);
    expect(plantedRun.output).toContain(`, ${planted.length} violations`);
  });

  it.each(planted)('reports $what', ({ file, specifier, rule }) => {
    const lines = plantedRun.output.split('\n').filter((l) => l.includes(`${file}:`));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.startsWith(`${file}: import '${specifier}'`)).toBe(true);
    expect(lines[0]).toContain(`breaks rule ${rule}: `);
  });
});

describe('the real repo', () => {
  it('passes the import check', { timeout: 120_000 }, () => {
    const { status, output } = check();
    expect(output).toMatch(/check-imports: \d+ modules, \d+ imports, 0 violations/);
    expect(status).toBe(0);
  });

  it("CONTRIBUTING.md's table lists what the rules allow", () => {
    type Rule = { name: string; to: { pathNot?: string } };
    const require = createRequire(import.meta.url);
    const config = require(join(repoRoot, '.dependency-cruiser.cjs')) as { forbidden: Rule[] };
    const allowedBy = (rule: Rule | undefined, self?: string): string[] => {
      const group = /\^packages\/\(([^)]+)\)\//.exec(rule?.to.pathNot ?? '')?.[1] ?? '';
      return group
        .split('|')
        .filter((name) => name !== '' && name !== self)
        .sort();
    };
    // workspace → "rule: allowed, …"
    const fromRules = new Map<string, string>();
    for (const rule of config.forbidden) {
      const name = /^package-(.+)$/.exec(rule.name)?.[1];
      if (name !== undefined && name !== 'unlisted') {
        fromRules.set(name, `${rule.name}: ${allowedBy(rule, name).join(', ')}`);
      }
    }
    const subnet = config.forbidden.find((rule) => rule.name === 'subnet-src');
    fromRules.set('subnets/*', `subnet-src: ${allowedBy(subnet).join(', ')}`);
    expect(fromRules.size).toBeGreaterThan(9);

    // Rows of the "Allowed imports" table that name a rule: | `name` | `a`, `b` | … | `rule` |
    const doc = readFileSync(join(repoRoot, 'CONTRIBUTING.md'), 'utf8');
    const section = doc.split(/^## /m).find((s) => s.startsWith('Allowed imports')) ?? '';
    const fromDoc = new Map<string, string>();
    const rows = /^\| `([^`]+)` \|([^|]*)\|[^|]*\| `([^`]+)` \|$/gm;
    for (const [, name = '', cell = '', rule = ''] of section.matchAll(rows)) {
      const names = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '').sort();
      fromDoc.set(name, `${rule}: ${names.join(', ')}`);
    }
    expect(fromDoc).toEqual(fromRules);
  });
});
