/**
 * The workspace's bins (subnetkit-wallet, subnetkit-localnet, subnetkit-register,
 * subnetkit-stake) run on a fresh clone with no build: each package.json bin is a committed
 * launcher that runs `dist/` when built and the TypeScript source otherwise.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const packages = readdirSync(join(root, 'packages')).map((name) => join('packages', name));
const manifest = (dir: string) =>
  JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
    name: string;
    bin?: Record<string, string>;
    files?: string[];
  };
const bins = packages.flatMap((dir) =>
  Object.entries(manifest(dir).bin ?? {}).map(([name, file]) => ({ dir, name, file })),
);
/** What each bin prints first for `--help`. */
const HELP: Record<string, RegExp> = {
  'subnetkit-wallet': /^subnetkit-wallet: btcli-compatible wallets/,
  'subnetkit-localnet': /^subnetkit-localnet — a subtensor-compatible dev chain/,
  'subnetkit-register': /^Usage: subnetkit-register \[options\]/,
  'subnetkit-stake': /^Usage: subnetkit-stake add\|remove\|show \[options\]/,
};

function run(
  command: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const temps: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A copy of a package's `bin/` beside its real `src/`, with or without tsx, never a `dist/`. */
function unbuiltCopy(dir: string, options: { tsx: boolean; dist?: string }): string {
  const copy = tempDir('subnetkit-bin-');
  cpSync(join(root, dir, 'bin'), join(copy, 'bin'), { recursive: true });
  symlinkSync(join(root, dir, 'src'), join(copy, 'src'));
  writeFileSync(join(copy, 'package.json'), '{ "type": "module" }\n');
  if (options.tsx) symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  if (options.dist) {
    mkdirSync(join(copy, 'dist/bin'), { recursive: true });
    for (const file of ['dist/cli.js', 'dist/bin/register.js', 'dist/bin/stake.js']) {
      writeFileSync(join(copy, file), options.dist);
    }
  }
  return copy;
}

describe('package.json bins', () => {
  it('are the four CLIs, each a committed executable node script shipped in `files`', () => {
    expect(bins.map((b) => b.name).sort()).toEqual(Object.keys(HELP).sort());
    for (const { dir, name, file } of bins) {
      const path = join(dir, file);
      const staged = execFileSync('git', ['ls-files', '--stage', '--', path], {
        cwd: root,
      }).toString();
      expect(staged, `${name}: ${path} is not committed`).toMatch(/^100755 /);
      expect(readFileSync(join(root, path), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
      expect(manifest(dir).files).toContain(file.replace(/^\.\//, '').split('/')[0]);
    }
  });

  it('share one launcher, byte for byte', () => {
    const launchers = [
      ...new Set(bins.map((b) => join(root, dirname(join(b.dir, b.file)), 'launch.js'))),
    ];
    expect(launchers.length).toBeGreaterThan(1);
    const texts = launchers.map((path) => readFileSync(path, 'utf8'));
    for (const text of texts) expect(text).toBe(texts[0]);
  });
});

describe('a launcher with no dist/', () => {
  it.each(bins)(
    'runs $name from the TypeScript source, past the `--` pnpm passes on',
    async ({ dir, name, file }) => {
      const copy = unbuiltCopy(dir, { tsx: true });
      const r = await run(process.execPath, [join(copy, file), '--', '--help'], copy);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(HELP[name]!);
    },
    120_000,
  );

  it('says how to build when tsx is not there either', async () => {
    const copy = unbuiltCopy('packages/wallet', { tsx: false });
    const r = await run(process.execPath, [join(copy, 'bin/subnetkit-wallet.js'), '--help'], copy);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${copy}/dist/cli.js is not built`);
    expect(r.err).toContain('run `pnpm build`');
  });

  it('runs dist/ when it is built, without tsx', async () => {
    const dist =
      "export const main = async (argv) => { console.log('dist', argv.join(' ')); return 3; };\n";
    const copy = unbuiltCopy('packages/wallet', { tsx: false, dist });
    const r = await run(
      process.execPath,
      [join(copy, 'bin/subnetkit-wallet.js'), 'list', '--json'],
      copy,
    );
    expect(r.out).toBe('dist list --json\n');
    expect(r.code).toBe(3);
  });
});

describe('a fresh pnpm install of the workspace', () => {
  it('prints no warning, and every bin then runs from the root with no build', async () => {
    const clone = tempDir('subnetkit-clone-');
    const listed = execFileSync(
      'git',
      ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
      {
        cwd: root,
      },
    )
      .toString()
      .split('\0')
      .filter((f) => f !== '' && !f.includes('node_modules/'));
    for (const file of listed) {
      try {
        cpSync(join(root, file), join(clone, file), { recursive: false });
      } catch {
        // deleted in the working tree but still in the index
      }
    }
    const install = await run('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], clone);
    expect(install.code, install.out + install.err).toBe(0);
    const output = install.out + install.err;
    expect(output).not.toMatch(/Failed to create bin/);
    expect(output).not.toMatch(/Ignored build scripts/);
    expect(output).not.toMatch(/WARN/);
    const runs = await Promise.all(
      Object.keys(HELP).map((name) => run('pnpm', ['exec', name, '--help'], clone)),
    );
    Object.keys(HELP).forEach((name, i) => {
      expect(runs[i]!.code, `${name}: ${runs[i]!.err}`).toBe(0);
      expect(runs[i]!.out).toMatch(HELP[name]!);
    });
  }, 300_000);
});
