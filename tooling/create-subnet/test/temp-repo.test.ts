/**
 * Must-show: `create-subnet demo-x` in a temp copy of the repo produces a subnet that installs,
 * typechecks, lints and passes its own tests (the template's, renamed: unit, end-to-end on an
 * in-process localnet, compliance suite).
 *
 * The copy holds what a subnet needs (root config, packages/*, tooling/tsconfig,
 * subnets/_template); `pnpm install --offline --frozen-lockfile` links it from the pnpm store
 * the repo's own install filled, with an empty metadata cache: a fresh machine has only the
 * store that `pnpm install --frozen-lockfile` filled, and no registry metadata (which
 * `--offline` without a lockfile entry would need: ERR_PNPM_NO_OFFLINE_META).
 *
 * SUBNETKIT_TEMP_REPO selects how much of the new subnet's suite runs:
 *   (unset)  its unit tests and the compliance suite (≈ 60 s in all with install and tsc);
 *   full     every test file, the end-to-end localnet test and the process test too (≈ 2 min);
 *   0        skip.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';

const repo = new URL('../../../', import.meta.url).pathname;
const template = join(repo, 'subnets', '_template');

function hasTests(dir: string): boolean {
  const walk = (d: string): boolean =>
    readdirSync(d, { withFileTypes: true }).some((e) =>
      e.name === 'node_modules'
        ? false
        : e.isDirectory()
          ? walk(join(d, e.name))
          : e.name.endsWith('.test.ts'),
    );
  return walk(template) && existsSync(join(dir, 'package.json'));
}

const pnpmVersion = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
const reasons: string[] = [];
const mode = process.env.SUBNETKIT_TEMP_REPO === 'full' ? 'full' : 'quick';
if (process.env.SUBNETKIT_TEMP_REPO === '0') reasons.push('SUBNETKIT_TEMP_REPO=0');
if (pnpmVersion.status !== 0) reasons.push('pnpm is not on PATH');
if (!existsSync(join(repo, 'node_modules', '.pnpm'))) reasons.push('the repo is not installed');
if (!hasTests(template)) reasons.push('the subnet template has no tests yet');
const skip = reasons.length > 0;
if (skip) console.warn(`[create-subnet] temp-repo test skipped: ${reasons.join('; ')}`);
else if (mode === 'quick') {
  console.warn(
    "[create-subnet] temp-repo test runs the new subnet's unit and compliance tests; SUBNETKIT_TEMP_REPO=full runs all of them",
  );
}

const work = mkdtempSync(join(tmpdir(), 'subnetkit-temp-repo-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ROOT_FILES = [
  'package.json',
  'pnpm-workspace.yaml',
  'pnpm-lock.yaml',
  '.npmrc',
  '.gitignore',
  'biome.json',
  'turbo.json',
  'vitest.config.ts',
  'vitest.shared.ts',
];
const SKIP_DIRS = new Set(['node_modules', 'dist', '.turbo', '.test-results', 'coverage']);

function copyRepo(dest: string): void {
  for (const f of ROOT_FILES) if (existsSync(join(repo, f))) cpSync(join(repo, f), join(dest, f));
  const filter = (src: string) => !src.split('/').some((part) => SKIP_DIRS.has(part));
  cpSync(join(repo, 'packages'), join(dest, 'packages'), { recursive: true, filter });
  cpSync(join(repo, 'tooling', 'tsconfig'), join(dest, 'tooling', 'tsconfig'), {
    recursive: true,
    filter,
  });
  cpSync(template, join(dest, 'subnets', '_template'), { recursive: true, filter });
}

/** The store the repo's own install used (not necessarily the default for the temp dir). */
function repoStoreDir(): string | null {
  const modules = join(repo, 'node_modules', '.modules.yaml');
  if (!existsSync(modules)) return null;
  const m = /"?storeDir"?:\s*"?([^"\n]+)"?/.exec(readFileSync(modules, 'utf8'));
  return m ? m[1]!.trim() : null;
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number) {
  const t = Date.now();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, CI: 'true', FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  return { status: r.status, out, ms: Date.now() - t };
}

describe.skipIf(skip)(`create-subnet demo-x in a temp copy of the repo (${mode})`, () => {
  it('produces a subnet that installs, typechecks, lints and passes its tests', () => {
    const root = join(work, 'repo');
    copyRepo(root);
    const storeDir = repoStoreDir();
    const install = [
      'install',
      '--offline',
      '--frozen-lockfile',
      '--reporter=append-only',
      // an empty metadata cache: what a fresh machine has
      `--config.cache-dir=${join(work, 'empty-cache')}`,
      ...(storeDir ? [`--config.store-dir=${storeDir}`] : []),
    ];
    // the repo's install first, so biome (for the formatting step) and the workspaces exist
    const install1 = run('pnpm', install, root, 120_000);
    expect(install1.status, install1.out).toBe(0);

    const out: string[] = [];
    const err: string[] = [];
    const code = main(['demo-x'], { out: (t) => out.push(t), err: (t) => err.push(t), cwd: root });
    expect(code, err.join('\n')).toBe(0);
    expect(err).toEqual([]); // formatted, no leftovers
    const dir = join(root, 'subnets', 'demo-x');
    expect(readFileSync(join(root, 'pnpm-lock.yaml'), 'utf8')).toContain('\n  subnets/demo-x:\n');

    const install2 = run('pnpm', install, root, 120_000);
    expect(install2.status, install2.out).toBe(0);
    expect(existsSync(join(dir, 'node_modules', '@subnetkit', 'neuron'))).toBe(true);

    const tsc = run('pnpm', ['exec', 'tsc', '-p', 'tsconfig.json'], dir, 120_000);
    expect(tsc.status, tsc.out).toBe(0);
    const lint = run('pnpm', ['exec', 'biome', 'check', 'subnets/demo-x'], root, 60_000);
    expect(lint.status, lint.out).toBe(0);
    const files =
      mode === 'full'
        ? []
        : ['src', 'test/compliance.test.ts'].filter((f) => existsSync(join(dir, f)));
    const tests = run('pnpm', ['exec', 'vitest', 'run', ...files], dir, 240_000);
    expect(tests.status, tests.out).toBe(0);
    // vitest names the project after the subnet and really ran tests
    expect(tests.out).toMatch(/\bdemo-x\b/);
    const passed = /Tests\s+(\d+) passed/.exec(tests.out);
    expect(passed, tests.out).not.toBeNull();
    expect(Number(passed![1])).toBeGreaterThan(0);
    expect(tests.out).not.toMatch(/\b_template\b/);
    console.log(
      `[create-subnet] temp repo: install ${install1.ms} ms, re-install ${install2.ms} ms, tsc ${tsc.ms} ms, lint ${lint.ms} ms, tests (${mode}) ${tests.ms} ms (${passed![1]} passed)`,
    );
  }, 400_000);
});
