// What each workspace may import: one rule per row of the table in CONTRIBUTING.md. This file
// is the source of truth; `pnpm check:imports` (scripts/check-imports.mjs) runs it, and so does
// `pnpm test:all` ("imports: passed/failed").
//
// dependency-cruiser is pinned to 17.x: 18.x refuses to start on Node 20 (engines ^22).
//
// Paths are relative to the repo root. Imports are matched after resolution: `@subnetkit/x`
// resolves through the `@subnetkit/source` export condition to `packages/x/src/index.ts`, so a
// bare import and a relative `../../packages/x/src/...` import are caught alike. Type-only
// imports count.

/** Test code: `*.test.ts`, `*.test-util.ts`, `*.fixture.ts`, `test/`, `bench/`, vitest configs. */
const TEST =
  '(\\.test\\.ts$|\\.test-util\\.ts$|\\.fixture\\.ts$|/test/|/bench/|/vitest\\.config\\.ts$)';

/** Each package, bottom layer first, with what its non-test code may import. */
const PACKAGES = {
  core: [],
  wallet: ['core'],
  timelock: ['core'],
  scoring: ['core'],
  transport: ['wallet', 'core'],
  chain: ['timelock', 'wallet', 'core'],
  localnet: ['scoring', 'timelock', 'wallet', 'core'],
  neuron: ['transport', 'chain', 'scoring', 'timelock', 'wallet', 'core'],
  // test-utils is for tests: only test code and tooling import it (see the other rows).
  'test-utils': [
    'neuron',
    'localnet',
    'transport',
    'chain',
    'scoring',
    'timelock',
    'wallet',
    'core',
  ],
};
/** What a subnet's non-test code may import of ours, besides itself. */
const SUBNET_SRC = ['neuron', 'transport', 'chain', 'scoring', 'timelock', 'wallet', 'core'];

const TABLE = 'see "Allowed imports" in CONTRIBUTING.md';
const names = (list) =>
  list.length === 0 ? 'nothing of ours' : list.map((n) => `@subnetkit/${n}`).join(', ');

const packageRow = ([name, allowed]) => ({
  name: `package-${name}`,
  severity: 'error',
  comment: `packages/${name} (non-test code) may import only ${names(allowed)}; ${TABLE}`,
  from: { path: `^packages/${name}/`, pathNot: TEST },
  to: { path: '^packages/', pathNot: `^packages/(${[name, ...allowed].join('|')})/` },
});

module.exports = {
  forbidden: [
    ...Object.entries(PACKAGES).map(packageRow),
    {
      name: 'package-unlisted',
      severity: 'error',
      comment:
        'a package with no row in the import table may import no other package: add its row to .dependency-cruiser.cjs and CONTRIBUTING.md',
      from: {
        path: `^packages/(?!(?:${Object.keys(PACKAGES).join('|')})/)([^/]+)/`,
        pathNot: TEST,
      },
      to: { path: '^packages/', pathNot: '^packages/$1/' },
    },
    {
      name: 'subnet-src',
      severity: 'error',
      comment: `a subnet's non-test code may import only ${names(SUBNET_SRC)} and third-party libraries, never localnet or test-utils (its tests may); ${TABLE}`,
      from: { path: '^subnets/', pathNot: TEST },
      to: { path: '^packages/', pathNot: `^packages/(${SUBNET_SRC.join('|')})/` },
    },
    {
      name: 'no-package-to-subnet',
      severity: 'error',
      comment: `no package imports a subnet, not even in its tests; ${TABLE}`,
      from: { path: '^packages/' },
      to: { path: '^subnets/' },
    },
    {
      name: 'no-subnet-to-subnet',
      severity: 'error',
      comment: `no subnet imports another subnet, not even in its tests: move what both need into a package; ${TABLE}`,
      from: { path: '^subnets/([^/]+)/' },
      to: { path: '^subnets/', pathNot: '^subnets/$1/' },
    },
    {
      name: 'no-import-of-tooling',
      severity: 'error',
      comment: `only tooling imports tooling (packages and subnets never do); ${TABLE}`,
      from: { path: '^(packages|subnets)/' },
      to: { path: '^tooling/' },
    },
    {
      name: 'no-climbing',
      severity: 'error',
      comment:
        'a relative import may not climb out of its workspace (../../packages/x/src/...): import the other workspace by its package name, declared in package.json',
      from: { path: '^(packages|subnets|tooling)/([^/]+)/', pathNot: '/vitest\\.config\\.ts$' },
      to: { dependencyTypes: ['local'], pathNot: '^$1/$2/' },
    },
    {
      name: 'no-dev-dependency-in-src',
      severity: 'error',
      comment:
        'non-test code imports a package that is only in devDependencies: users will not have it installed; move it to dependencies',
      from: { path: '^(packages|subnets|tooling)/', pathNot: `${TEST}|^packages/test-utils/` },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'undeclared-dependency',
      severity: 'error',
      comment:
        "non-test code imports a package that is not in its workspace's package.json (it resolves only through the root's hoisting): declare it in dependencies. Test code may use the root's test tools (vitest, fast-check)",
      from: { path: '^(packages|subnets|tooling)/', pathNot: TEST },
      // An optional peer (the bins' launcher uses tsx when the workspace has it) is declared.
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'], dependencyTypesNot: ['npm-peer'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Our build output only (third-party packages keep their dist/: they are not followed).
    exclude: { path: '^(packages|subnets|tooling)/[^/]+/(dist|\\.turbo)/' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@subnetkit/source', 'import', 'types', 'node', 'default'],
      mainFields: ['module', 'main', 'types'],
    },
    skipAnalysisNotInRules: true,
  },
};
