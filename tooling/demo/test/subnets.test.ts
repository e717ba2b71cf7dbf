import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DemoError } from '../src/errors.js';
import { findRepoRoot } from '../src/paths.js';
import { describeSubnets, discoverSubnets, selectSubnets } from '../src/subnets.js';

const tmp = mkdtempSync(join(tmpdir(), 'subnetkit-market-discovery-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fake repo: `subnets/<dir>` with a package.json and, when given, a roster module. */
function fakeRepo(
  name: string,
  subnets: Record<string, { exports?: unknown; roster?: string }>,
): string {
  const root = join(tmp, name);
  for (const [dir, s] of Object.entries(subnets)) {
    mkdirSync(join(root, 'subnets', dir, 'src'), { recursive: true });
    writeFileSync(
      join(root, 'subnets', dir, 'package.json'),
      JSON.stringify({ name: `@x/${dir}`, exports: s.exports ?? { '.': './src/index.ts' } }),
    );
    if (s.roster) writeFileSync(join(root, 'subnets', dir, 'src', 'roster.mjs'), s.roster);
  }
  return root;
}

const roster = (subnet: string) => `
const u = (p) => new URL(p, import.meta.url);
export const market = {
  subnet: ${JSON.stringify(subnet)},
  validator: { entry: u('./validator.mjs') },
  miners: [
    { variant: 'honest', honest: true, description: 'right', entry: u('./miner.mjs') },
    { variant: 'dead', honest: false, description: 'never starts', entry: null },
  ],
};
`;
const marketExport = { './market': { '@subnetkit/source': './src/roster.mjs' } };

async function code(f: () => Promise<unknown>): Promise<string> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(DemoError);
    return `${(e as DemoError).code}: ${(e as Error).message}`;
  }
  throw new Error('did not throw');
}

describe('discoverSubnets', () => {
  it("finds the repo's template through its ./market export, every entry on disk", async () => {
    const found = await discoverSubnets(findRepoRoot());
    const template = found.find((s) => s.roster.subnet === 'template');
    expect(template).toMatchObject({
      dir: 'subnets/_template',
      source: 'subnets/_template/src/market/roster.ts',
    });
    for (const m of [template!.roster.validator, ...template!.roster.miners]) {
      if (m.entry) expect(existsSync(fileURLToPath(m.entry)), m.entry.href).toBe(true);
    }
    expect(describeSubnets(found)).toMatch(/template\n\s+honest=3\s+honest: /);
  });

  it('reads every subnets/* with a ./market export, by directory, and skips the others', async () => {
    const root = fakeRepo('ok', {
      zeta: { exports: marketExport, roster: roster('zeta') },
      alpha: { exports: marketExport, roster: roster('alpha') },
      plain: {},
    });
    const found = await discoverSubnets(root);
    expect(found.map((s) => [s.roster.subnet, s.dir])).toEqual([
      ['alpha', 'subnets/alpha'],
      ['zeta', 'subnets/zeta'],
    ]);
    expect(found[0]!.roster.miners[0]!.count).toBe(1);
  });

  it('refuses a roster that is missing, malformed or named twice, naming the file', async () => {
    const noSource = fakeRepo('no-source', { a: { exports: { './market': { default: 'x.js' } } } });
    expect(await code(() => discoverSubnets(noSource))).toMatch(
      /^ROSTER_INVALID: subnets\/a\/package.json: exports\["\.\/market"\] has no "@subnetkit\/source"/,
    );
    const missing = fakeRepo('missing', { a: { exports: marketExport } });
    expect(await code(() => discoverSubnets(missing))).toContain(
      'names subnets/a/src/roster.mjs, which does not exist',
    );
    const noExport = fakeRepo('no-export', {
      a: { exports: marketExport, roster: 'export const roster = 1;' },
    });
    expect(await code(() => discoverSubnets(noExport))).toContain(
      'subnets/a/src/roster.mjs: exports no `market`',
    );
    const bad = fakeRepo('bad', {
      a: {
        exports: marketExport,
        roster: roster('a').replace("'honest', honest: true", "'honest', honest: 1"),
      },
    });
    expect(await code(() => discoverSubnets(bad))).toBe(
      'ROSTER_INVALID: market roster "a" (subnets/a/src/roster.mjs): miners[0].honest: must be true or false',
    );
    const twice = fakeRepo('twice', {
      a: { exports: marketExport, roster: roster('same') },
      b: { exports: marketExport, roster: roster('same') },
    });
    expect(await code(() => discoverSubnets(twice))).toContain(
      'subnet name "same" is used by both subnets/a/src/roster.mjs and subnets/b/src/roster.mjs',
    );
  });
});

describe('selectSubnets', () => {
  const found = ['template', 'image', 'text'].map((subnet) => ({ roster: { subnet } })) as never[];
  it('every subnet by default, else the ones named, in that order', () => {
    expect(selectSubnets(found, null)).toHaveLength(3);
    expect(
      selectSubnets(found, ['text', 'template']).map(
        (s: { roster: { subnet: string } }) => s.roster.subnet,
      ),
    ).toEqual(['text', 'template']);
  });
  it('refuses an unknown or repeated name, naming the known ones; and an empty repo', async () => {
    expect(await code(async () => selectSubnets(found, ['image', 'music']))).toBe(
      'INVALID_OPTION: --subnets: unknown subnet "music" (known: template, image, text)',
    );
    expect(await code(async () => selectSubnets(found, ['text', 'text']))).toContain('twice');
    expect(await code(async () => selectSubnets([], null))).toMatch(/^NO_SUBNETS: /);
  });
});

describe('npm run demo -- --subnets', () => {
  it('an unknown subnet exits 2 before anything starts, naming the known ones', () => {
    const root = findRepoRoot();
    const r = spawnSync(
      process.execPath,
      [
        '--conditions=@subnetkit/source',
        '--import',
        'tsx',
        join(root, 'tooling/demo/src/cli.ts'),
        '--subnets',
        'template,no-such-subnet',
        '--tmp',
        join(tmp, 'never-made'),
      ],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /--subnets: unknown subnet "no-such-subnet" \(known: [^)]*\btemplate\b/,
    );
    expect(r.stdout).toBe('');
    expect(existsSync(join(tmp, 'never-made'))).toBe(false);
  }, 60_000);
});
