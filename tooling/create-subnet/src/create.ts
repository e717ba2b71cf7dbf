import { spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { CreateSubnetError } from './errors.js';
import { copyImporter, type LockfileUpdate } from './lockfile.js';
import { type NameForms, nameForms } from './names.js';
import { findLeftovers, isCodeFile, type Leftover, renamePath, renameText } from './rename.js';

/** Never copied: installs, builds, caches, local state. */
export const EXCLUDED = new Set(['node_modules', 'dist', '.turbo', 'coverage', '.cache', '.state']);
const EXCLUDED_SUFFIXES = ['.tsbuildinfo', '.log'];

export const TEMPLATE_DIR = join('subnets', '_template');

export interface CreateSubnetOptions {
  name: string;
  /** Repo root that holds `subnets/_template` and receives `subnets/<name>`. */
  root: string;
}

export interface CreatedSubnet {
  name: string;
  forms: NameForms;
  packageName: string;
  dir: string;
  /** Paths relative to `dir`. */
  files: string[];
  /** Template names that survived the rename (a generator bug if not empty). */
  leftovers: Array<Leftover & { file: string }>;
  /** Whether `pnpm-lock.yaml` got the new workspace (a copy of the template's entry). */
  lockfile: LockfileUpdate;
}

function addToLockfile(root: string, kebab: string): LockfileUpdate {
  const path = join(root, 'pnpm-lock.yaml');
  if (!existsSync(path)) return { updated: false, reason: 'no-lockfile' };
  const text = readFileSync(path, 'utf8');
  const target = `subnets/${kebab}`;
  if (text.includes(`\n  ${target}:`)) return { updated: false, reason: 'already-present' };
  const out = copyImporter(text, TEMPLATE_DIR.split(sep).join('/'), target);
  if (out === null) return { updated: false, reason: 'no-template-importer' };
  const staged = `${path}.create-${process.pid}`;
  writeFileSync(staged, out);
  renameSync(staged, path);
  return { updated: true };
}

function walk(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (EXCLUDED.has(entry.name)) continue;
    if (EXCLUDED_SUFFIXES.some((s) => entry.name.endsWith(s))) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, base));
    else if (entry.isFile()) out.push(relative(base, full));
  }
  return out.sort();
}

function excluded(rel: string): boolean {
  const parts = rel.split(/[\\/]/);
  return (
    parts.some((p) => EXCLUDED.has(p)) ||
    EXCLUDED_SUFFIXES.some((s) => parts[parts.length - 1]!.endsWith(s))
  );
}

/**
 * The template's files that git tracks (index included), relative to `dir`; `null` when `dir`
 * is not in a git checkout, git is not installed, or git tracks none of it (then the caller
 * walks the directory). Untracked scratch files, `.env`s and editor litter are never copied.
 */
export function trackedFiles(dir: string): string[] | null {
  const r = spawnSync('git', ['ls-files', '-z', '--cached', '--', '.'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error || r.status !== 0) return null;
  const files = r.stdout
    .split('\0')
    .filter((f) => f !== '' && !excluded(f))
    .map((f) => f.split('/').join(sep))
    .filter((f) => {
      try {
        return lstatSync(join(dir, f)).isFile(); // tracked but deleted: skipped
      } catch {
        return false;
      }
    });
  return files.length > 0 ? [...new Set(files)].sort() : null;
}

function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8000).includes(0);
}

function rewritePackageJson(text: string, forms: NameForms): string {
  const pkg = JSON.parse(renameText(text, forms, true)) as Record<string, unknown>;
  pkg.name = `@subnetkit/subnet-${forms.kebab}`;
  pkg.version = '0.1.0';
  pkg.description = `The ${forms.kebab} subnet: miner and validator (created with create-subnet).`;
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function rewriteReadme(text: string, forms: NameForms): string {
  const renamed = renameText(text, forms, false);
  const title = `# @subnetkit/subnet-${forms.kebab}`;
  const note = `Created with \`create-subnet ${forms.kebab}\` from the subnetkit subnet template.`;
  const lines = renamed.split('\n');
  const h1 = lines.findIndex((l) => /^# /.test(l));
  if (h1 >= 0) lines.splice(h1, 1, title, '', note);
  else lines.unshift(title, '', note, '');
  return lines.join('\n');
}

/**
 * Copies `subnets/_template` (only the files git tracks in a git checkout; every file but build
 * litter otherwise) to `subnets/<name>` with every template name changed: package
 * `@subnetkit/subnet-<name>`, bins `<name>-miner` / `<name>-validator`, vitest project
 * `<name>`, config section `--<name>.*`, identifiers (`createTemplateMiner` →
 * `create<Name>Miner`), README title. Writes into a temp dir first and renames it into place,
 * so a failure leaves nothing half-made. Then adds the workspace to `pnpm-lock.yaml` (a copy
 * of the template's entry), so the next `pnpm install` needs no registry metadata.
 */
export function createSubnet(options: CreateSubnetOptions): CreatedSubnet {
  const forms = nameForms(options.name);
  const template = join(options.root, TEMPLATE_DIR);
  if (!existsSync(join(template, 'package.json'))) {
    throw new CreateSubnetError(
      'TEMPLATE_MISSING',
      `no subnet template at ${template} (is --root the repo root?)`,
      { details: { field: 'root' } },
    );
  }
  const dir = join(options.root, 'subnets', forms.kebab);
  if (existsSync(dir)) {
    throw new CreateSubnetError(
      'TARGET_EXISTS',
      `name: subnets/${forms.kebab} already exists; pick another name or remove it first`,
      { details: { field: 'name' } },
    );
  }
  const staging = join(options.root, 'subnets', `.${forms.kebab}.create-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  const files = trackedFiles(template) ?? walk(template);
  const leftovers: CreatedSubnet['leftovers'] = [];
  try {
    for (const file of files) {
      const src = join(template, file);
      const target = renamePath(file.split(sep).join('/'), forms);
      const dest = join(staging, target);
      mkdirSync(dirname(dest), { recursive: true });
      const buf = readFileSync(src);
      const mode = statSync(src).mode & 0o777;
      if (isBinary(buf)) {
        writeFileSync(dest, buf, { mode });
        continue;
      }
      const text = buf.toString('utf8');
      const code = isCodeFile(file);
      let out: string;
      if (file === 'package.json') out = rewritePackageJson(text, forms);
      else if (file === 'README.md') out = rewriteReadme(text, forms);
      else out = renameText(text, forms, code);
      writeFileSync(dest, out, { mode });
      for (const l of findLeftovers(out, code))
        leftovers.push({ file: file.split(sep).join('/'), ...l });
    }
    renameSync(staging, dir);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  const lockfile = addToLockfile(options.root, forms.kebab);
  return {
    name: forms.kebab,
    forms,
    packageName: `@subnetkit/subnet-${forms.kebab}`,
    dir,
    files: files.map((f) => renamePath(f.split(sep).join('/'), forms)).sort(),
    leftovers,
    lockfile,
  };
}

/** What to do next, printed by the CLI. */
export function nextSteps(created: CreatedSubnet, root: string): string {
  const rel = relative(root, created.dir) || '.';
  const pkg = created.packageName;
  const n = created.forms.kebab;
  return [
    `Created ${rel} (${pkg}, ${created.files.length} files).`,
    '',
    'Next steps, from the repo root:',
    created.lockfile.updated
      ? '  pnpm install                       # links the new workspace (pnpm-lock.yaml already has it: commit it)'
      : '  pnpm install                       # links the new workspace (updates pnpm-lock.yaml: commit it)',
    `  pnpm --filter ${pkg} test`,
    `  pnpm --filter ${pkg} typecheck`,
    `  node --conditions=@subnetkit/source --import tsx ${rel}/src/miner/main.ts --help`,
    '',
    `Then make it yours: the protocol in ${rel}/src/protocol.ts, the miner's backend in`,
    `${rel}/src/miner/, the checks in ${rel}/src/validator/, and the --${created.forms.snake}.* flags`,
    `in ${rel}/src/config.ts. Bins once built: ${n}-miner, ${n}-validator.`,
    'CI picks it up with no other edit (every subnets/* workspace is tested).',
  ].join('\n');
}
