import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface FormatResult {
  ran: boolean;
  ok: boolean;
  /** Why it did not run, or biome's output when it failed. */
  note: string;
}

/**
 * Runs the repo's own biome (`biome check --write`) on the new subnet: renamed identifiers
 * change line lengths and import order, and CI lints every workspace. Skipped, with a note,
 * when the repo has no installed biome (run `pnpm install` first, then `pnpm format`).
 */
export function formatWithBiome(root: string, dir: string): FormatResult {
  const bin = join(root, 'node_modules', '.bin', 'biome');
  if (!existsSync(bin) || !existsSync(join(root, 'biome.json'))) {
    return {
      ran: false,
      ok: false,
      note: 'biome is not installed in this repo: run `pnpm install` then `pnpm format`',
    };
  }
  const r = spawnSync(bin, ['check', '--write', relative(root, dir) || '.'], {
    cwd: root,
    encoding: 'utf8',
  });
  const ok = r.status === 0;
  return { ran: true, ok, note: ok ? '' : `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}
