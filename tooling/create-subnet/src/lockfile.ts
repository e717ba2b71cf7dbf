/**
 * Adds the new subnet to `pnpm-lock.yaml` as a copy of the template's importer, so that
 * `pnpm install` needs no registry metadata for it: its dependencies are the template's, already
 * resolved and in the store (`--offline` and `--frozen-lockfile` both work right after
 * create-subnet). Both importers sit at `subnets/<name>`, so their `link:` paths are the same.
 */

/** What happened to the lockfile. */
export type LockfileUpdate =
  | { updated: true }
  | { updated: false; reason: 'no-lockfile' | 'no-template-importer' | 'already-present' };

function importerBlock(lines: string[], key: string): { start: number; end: number } | null {
  const importers = lines.indexOf('importers:');
  if (importers < 0) return null;
  const header = `  ${key}:`;
  const start = lines.findIndex((l, i) => i > importers && (l === header || l === `${header} {}`));
  if (start < 0) return null;
  let end = start + 1;
  // the block runs until the next importer key (two spaces) or the next top-level key
  while (end < lines.length && !/^ {0,2}\S/.test(lines[end]!)) end++;
  // keep the blank line that separates importers with the following one
  while (end > start + 1 && lines[end - 1] === '') end--;
  return { start, end };
}

function importerKeys(lines: string[]): Array<{ key: string; line: number }> {
  const importers = lines.indexOf('importers:');
  const keys: Array<{ key: string; line: number }> = [];
  for (let i = importers + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^\S/.test(l)) break;
    const m = /^ {2}(\S[^:]*):/.exec(l);
    if (m) keys.push({ key: m[1]!, line: i });
  }
  return keys;
}

/**
 * Returns `text` with importer `to` added as a copy of importer `from`, in pnpm's sorted order,
 * or `null` when `from` is not there or `to` already is.
 */
export function copyImporter(text: string, from: string, to: string): string | null {
  const lines = text.split('\n');
  if (importerBlock(lines, to)) return null;
  const block = importerBlock(lines, from);
  if (!block) return null;
  const copy = [`  ${to}:`, ...lines.slice(block.start + 1, block.end)];
  const next = importerKeys(lines).find((k) => k.key > to);
  if (next) {
    lines.splice(next.line, 0, ...copy, '');
  } else {
    // after the last importer block
    const last = importerKeys(lines).at(-1)!;
    const lastBlock = importerBlock(lines, last.key)!;
    lines.splice(lastBlock.end, 0, '', ...copy);
  }
  return lines.join('\n');
}
