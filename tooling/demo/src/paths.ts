import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (where `pnpm-workspace.yaml` is), found from this file. */
export function findRepoRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no pnpm-workspace.yaml above ${from}`);
    dir = up;
  }
}

export interface RepoEntries {
  localnet: string;
  miner: string;
  validator: string;
}

/** Source entry points the market runs, relative to the repo root. */
export function repoEntries(root: string): RepoEntries {
  return {
    localnet: join(root, 'packages/localnet/src/cli.ts'),
    miner: join(root, 'subnets/_template/src/miner/main.ts'),
    validator: join(root, 'subnets/_template/src/validator/main.ts'),
  };
}
