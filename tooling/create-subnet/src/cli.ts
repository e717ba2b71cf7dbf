import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createSubnet, nextSteps } from './create.js';
import { CreateSubnetError } from './errors.js';
import { formatWithBiome } from './format.js';

export const USAGE = `create-subnet — copy the subnet template into subnets/<name>

Usage: create-subnet <name> [--root DIR]

  <name>       lowercase letters, digits and dashes, starting with a letter (e.g. image-gen)
  --root DIR   the repo root (default: the nearest directory above the current one that has
               pnpm-workspace.yaml)
  -h, --help   this text`;

/** The nearest directory at or above `from` with a pnpm-workspace.yaml. */
export function findWorkspaceRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) {
      throw new CreateSubnetError(
        'ROOT_NOT_FOUND',
        `root: no pnpm-workspace.yaml in ${from} or above; run inside the repo or pass --root`,
        { details: { field: 'root' } },
      );
    }
    dir = up;
  }
}

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
}

/** Returns the exit code: 0 created, 1 refused (bad name, existing dir …), 2 usage. */
export function main(argv: readonly string[], io: CliIo): number {
  let values: { root?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { root: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (e) {
    io.err(`create-subnet: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.err(`create-subnet: expected exactly one name, got ${positionals.length}\n\n${USAGE}`);
    return 2;
  }
  try {
    const root = values.root ? resolve(io.cwd, values.root) : findWorkspaceRoot(io.cwd);
    const created = createSubnet({ name: positionals[0]!, root });
    if (created.leftovers.length > 0) {
      io.err(
        `warning: template names left in the copy (please report):\n${created.leftovers
          .map((l) => `  ${l.file}:${l.line}: ${l.text}`)
          .join('\n')}`,
      );
    }
    const fmt = formatWithBiome(root, created.dir);
    if (!fmt.ran) io.err(`note: not formatted: ${fmt.note}`);
    else if (!fmt.ok) io.err(`warning: biome check --write reported problems:\n${fmt.note}`);
    io.out(nextSteps(created, root));
    return 0;
  } catch (e) {
    if (e instanceof CreateSubnetError) {
      io.err(`create-subnet: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
