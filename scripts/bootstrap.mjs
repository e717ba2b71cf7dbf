#!/usr/bin/env node
// Entry point of `npm run demo`, `npm test` and `npm run bench` on a machine that has only
// Node and npm: installs the pinned pnpm, the workspace dependencies and the Debian packages
// the tests need, then hands over to the real command. Safe to run again: each step checks
// first and does nothing when it is already satisfied.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = manifest.packageManager.replace(/^pnpm@/, '');
const systemDeps = JSON.parse(readFileSync(join(root, 'scripts', 'system-deps.json'), 'utf8'));

const commands = {
  demo: ['run', 'demo:run'],
  test: ['run', 'test:all'],
  bench: ['run', 'bench:all'],
};

function log(message) {
  process.stderr.write(`[bootstrap] ${message}\n`);
}

function output(cmd, args) {
  try {
    return execFileSync(cmd, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function mustRun(cmd, args, options) {
  const status = run(cmd, args, options);
  if (status !== 0) {
    log(`\`${cmd} ${args.join(' ')}\` failed with exit code ${status}`);
    process.exit(status);
  }
}

function ensurePnpm() {
  if (output('pnpm', ['--version']) === pnpmVersion) return;
  log(`installing pnpm ${pnpmVersion} with npm`);
  mustRun('npm', ['install', '--global', `pnpm@${pnpmVersion}`]);
}

function missingDebianPackages(packages) {
  return packages.filter((name) => {
    const status = output('dpkg', ['--status', name]);
    return !status?.includes('Status: install ok installed');
  });
}

function ensureSystemPackages(job) {
  const wanted = systemDeps[job] ?? [];
  if (wanted.length === 0) return;
  if (!output('dpkg', ['--version'])) {
    log(`not a Debian system: tests that need ${wanted.join(', ')} will skip with a note`);
    return;
  }
  const missing = missingDebianPackages(wanted);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    log(`missing Debian packages (${missing.join(', ')}); run as root to install them, or`);
    log(`install them yourself: sudo apt-get install -y ${missing.join(' ')}`);
    log('tests that need them will skip with a note');
    return;
  }
  log(`installing Debian packages: ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  mustRun('apt-get', ['update', '-qq'], { env });
  mustRun('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

// Nothing here may phone home: turbo's anonymous telemetry is off for every child process.
process.env.TURBO_TELEMETRY_DISABLED = '1';
process.env.DO_NOT_TRACK = '1';

const job = process.argv[2];
if (!commands[job]) {
  log(`unknown job "${job}"; expected one of: ${Object.keys(commands).join(', ')}`);
  process.exit(2);
}
ensurePnpm();
mustRun('pnpm', ['install', '--frozen-lockfile', '--reporter=append-only']);
ensureSystemPackages(job);
process.exit(run('pnpm', [...commands[job], ...process.argv.slice(3)]));
