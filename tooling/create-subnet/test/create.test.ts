import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { createSubnet } from '../src/create.js';
import { CreateSubnetError } from '../src/errors.js';
import { findLeftovers, isCodeFile } from '../src/rename.js';

const repo = new URL('../../../', import.meta.url).pathname;
const template = join(repo, 'subnets', '_template');
const work = mkdtempSync(join(tmpdir(), 'subnetkit-create-subnet-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A fresh fake repo root holding a copy of the real template (plus build litter to skip). */
function fakeRoot(): string {
  const root = mkdtempSync(join(work, 'root-'));
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - subnets/*\n');
  mkdirSync(join(root, 'subnets'));
  cpSync(template, join(root, 'subnets', '_template'), {
    recursive: true,
    filter: (src) => !src.includes('node_modules'),
  });
  mkdirSync(join(root, 'subnets', '_template', 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(root, 'subnets', '_template', 'node_modules', 'x', 'index.js'), '');
  mkdirSync(join(root, 'subnets', '_template', 'dist'), { recursive: true });
  writeFileSync(join(root, 'subnets', '_template', 'dist', 'index.js'), '');
  return root;
}

function allFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? allFiles(join(dir, e.name), base)
      : [join(dir, e.name).slice(base.length + 1)],
  );
}

describe('createSubnet on the real template', () => {
  it('copies it with every name changed and no template name left', () => {
    const root = fakeRoot();
    const created = createSubnet({ name: 'demo-x', root });
    const dir = join(root, 'subnets', 'demo-x');
    expect(created.dir).toBe(dir);
    expect(created.leftovers).toEqual([]);
    const files = allFiles(dir).sort();
    expect(files).toEqual(created.files);
    expect(files.some((f) => f.startsWith('node_modules') || f.startsWith('dist'))).toBe(false);
    expect(files.filter((f) => /(^|\/)template[.-][^/]*\.ts$/.test(f))).toEqual([]);
    expect(files).toContain('src/miner/main.ts');
    expect(files).toContain('src/validator/main.ts');

    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.name).toBe('@subnetkit/subnet-demo-x');
    expect(Object.keys(pkg.bin ?? {}).sort()).toEqual(['demo-x-miner', 'demo-x-validator']);
    const original = JSON.parse(readFileSync(join(template, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual(original.dependencies);
    expect(readFileSync(join(dir, 'vitest.config.ts'), 'utf8')).toContain(
      "workspaceProject('demo-x')",
    );
    if (existsSync(join(template, 'README.md'))) {
      expect(readFileSync(join(dir, 'README.md'), 'utf8').split('\n')[0]).toBe(
        '# @subnetkit/subnet-demo-x',
      );
    }
    // An independent scan of every generated file (not the generator's own report).
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(findLeftovers(text, isCodeFile(f)), f).toEqual([]);
      expect(text, f).not.toMatch(
        /@subnetkit\/subnet-template|subnets\/_template|template-(miner|validator)/,
      );
    }
    // The template itself is untouched.
    expect(
      JSON.parse(readFileSync(join(root, 'subnets/_template/package.json'), 'utf8')).name,
    ).toBe('@subnetkit/subnet-template');
  });

  it('refuses an existing directory and bad names, leaving nothing behind', () => {
    const root = fakeRoot();
    mkdirSync(join(root, 'subnets', 'taken'));
    expect(() => createSubnet({ name: 'taken', root })).toThrow(CreateSubnetError);
    try {
      createSubnet({ name: 'taken', root });
    } catch (e) {
      expect((e as CreateSubnetError).code).toBe('TARGET_EXISTS');
    }
    expect(() => createSubnet({ name: 'Bad_Name', root })).toThrow(/lowercase/);
    expect(() => createSubnet({ name: 'x', root: work })).toThrow(/no subnet template/);
    expect(readdirSync(join(root, 'subnets')).sort()).toEqual(['_template', 'taken']);
  });
});

describe('which template files are copied', () => {
  const git = (cwd: string, ...args: string[]) => {
    const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  /** A fake root that is a git checkout tracking the template, plus two untracked files. */
  function gitRoot(): string {
    const root = fakeRoot();
    git(root, 'init', '-q');
    git(root, 'add', 'subnets/_template');
    writeFileSync(join(root, 'subnets/_template/src/scratch.ts'), 'export const notes = 1;\n');
    writeFileSync(join(root, 'subnets/_template/.env.local'), 'SECRET=1\n');
    return root;
  }

  it('in a git checkout: only the files git tracks (untracked scratch files stay behind)', () => {
    const root = gitRoot();
    const created = createSubnet({ name: 'tracked-only', root });
    const dir = join(root, 'subnets', 'tracked-only');
    expect(existsSync(join(dir, 'src/scratch.ts'))).toBe(false);
    expect(existsSync(join(dir, '.env.local'))).toBe(false);
    expect(created.files).not.toContain('src/scratch.ts');
    expect(created.files).toContain('src/miner/main.ts');
    expect(created.files).toEqual(allFiles(dir).sort());
  });

  it('without git (not a checkout, or no git binary): every file but build litter', () => {
    const plain = fakeRoot();
    writeFileSync(join(plain, 'subnets/_template/src/scratch.ts'), 'export const notes = 1;\n');
    expect(createSubnet({ name: 'walked', root: plain }).files).toContain('src/scratch.ts');

    const root = gitRoot();
    const path = process.env.PATH;
    process.env.PATH = '';
    try {
      const created = createSubnet({ name: 'no-git', root });
      expect(created.files).toContain('src/scratch.ts');
      expect(created.files).not.toContain('node_modules/x/index.js');
    } finally {
      process.env.PATH = path;
    }
  });

  it("the copy's README names the renamed test file, not template.test.ts", () => {
    const root = fakeRoot();
    const created = createSubnet({ name: 'readme-x', root });
    expect(created.files).toContain('src/readme-x.test.ts');
    const readme = readFileSync(join(root, 'subnets/readme-x/README.md'), 'utf8');
    expect(readme).not.toMatch(/template\.test\.ts/);
    if (readFileSync(join(template, 'README.md'), 'utf8').includes('src/template.test.ts')) {
      expect(readme).toContain('src/readme-x.test.ts');
    }
  });
});

describe('create-subnet CLI', () => {
  it('creates, prints next steps, and finds the root from a subdirectory', () => {
    const root = fakeRoot();
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      out: (t: string) => out.push(t),
      err: (t: string) => err.push(t),
      cwd: join(root, 'subnets'),
    };
    expect(main(['demo-y'], io)).toBe(0);
    expect(err).toEqual([
      'note: not formatted: biome is not installed in this repo: run `pnpm install` then `pnpm format`',
    ]);
    expect(out.join('\n')).toContain('pnpm install');
    expect(out.join('\n')).toContain('pnpm --filter @subnetkit/subnet-demo-y test');
    expect(existsSync(join(root, 'subnets', 'demo-y', 'package.json'))).toBe(true);
    // again: refused, exit 1
    expect(main(['demo-y'], io)).toBe(1);
    expect(err.at(-1)).toContain('already exists');
    // usage errors: exit 2
    expect(main([], io)).toBe(2);
    expect(main(['a', 'b'], io)).toBe(2);
    expect(main(['--nope'], io)).toBe(2);
    expect(main(['--help'], io)).toBe(0);
    expect(main(['z', '--root', work], { ...io, cwd: '/' })).toBe(1);
  });
});
