import { describe, expect, it } from 'vitest';
import { nameForms } from './names.js';
import { findLeftovers, renamePath, renameText } from './rename.js';

const f = nameForms('demo-x');

describe('renameText', () => {
  it('renames package, paths, bins, flags, env and identifiers', () => {
    const src = [
      "import { x } from '@subnetkit/subnet-template';",
      'node --import tsx subnets/_template/src/miner/main.ts',
      "export default workspaceProject('_template');",
      "programName: 'template-miner', other: 'template-validator',",
      'flags: --template.backend http --template.backend_url URL',
      'SUBNETKIT_TEMPLATE_BACKEND=http',
      "throw new Error('template.backend_url: must be http(s)')",
      'export const templateConfigSchema = extendNeuronConfig({',
      '  template: z.object({}),',
      'export type TemplateConfig = z.output<typeof templateConfigSchema>;',
      "export type TemplateBackend = TemplateConfig['template']['backend'];",
      'runMiner(createTemplateMiner(new HttpBackend(config.template.backendUrl)), { config })',
      "const c = { template: { backend: 'http' } };",
    ].join('\n');
    const out = renameText(src, f, true);
    expect(out.split('\n')).toEqual([
      "import { x } from '@subnetkit/subnet-demo-x';",
      'node --import tsx subnets/demo-x/src/miner/main.ts',
      "export default workspaceProject('demo-x');",
      "programName: 'demo-x-miner', other: 'demo-x-validator',",
      'flags: --demo_x.backend http --demo_x.backend_url URL',
      'SUBNETKIT_DEMO_X_BACKEND=http',
      "throw new Error('demo_x.backend_url: must be http(s)')",
      'export const demoXConfigSchema = extendNeuronConfig({',
      '  demoX: z.object({}),',
      'export type DemoXConfig = z.output<typeof demoXConfigSchema>;',
      "export type DemoXBackend = DemoXConfig['demoX']['backend'];",
      'runMiner(createDemoXMiner(new HttpBackend(config.demoX.backendUrl)), { config })',
      "const c = { demoX: { backend: 'http' } };",
    ]);
    expect(findLeftovers(src, true).length).toBe(src.split('\n').length);
    expect(findLeftovers(out, true)).toEqual([]);
  });

  it('leaves prose, the Python template and module paths alone', () => {
    const src = [
      "The template's protocol, wire-identical to the Python `bittensor-subnet-template`'s Dummy.",
      'See template/protocol.py. Copy this template; templates are good.',
      'Template engines: none.',
    ].join('\n');
    expect(renameText(src, f, true)).toBe(src);
    expect(findLeftovers(src, true)).toEqual([]);
  });

  it('renames object keys and config paths only in code files', () => {
    const md = 'Usage: the template: run config.template.backend';
    expect(renameText(md, f, false)).toBe(md);
    expect(renameText(md, f, true)).toBe('Usage: the demoX: run config.demoX.backend');
  });
});

describe('renamePath', () => {
  it('renames template.* and template-* code files, not directories or other files', () => {
    expect(renamePath('src/template.test.ts', f)).toBe('src/demo-x.test.ts');
    expect(renamePath('src/template-utils.ts', f)).toBe('src/demo-x-utils.ts');
    expect(renamePath('src/template-utils/a.ts', f)).toBe('src/template-utils/a.ts');
    expect(renamePath('test/template/protocol.py', f)).toBe('test/template/protocol.py');
    expect(renamePath('template.json', f)).toBe('template.json');
    expect(renamePath('src/templates.ts', f)).toBe('src/templates.ts');
    expect(renamePath('src/my-template.ts', f)).toBe('src/my-template.ts');
  });
  it('relative imports follow the renamed files', () => {
    const src = "import { a } from './template.js';\nimport b from '../lib/template-utils.js';";
    const out = renameText(src, f, true);
    expect(out).toBe("import { a } from './demo-x.js';\nimport b from '../lib/demo-x-utils.js';");
    expect(findLeftovers(src, true).length).toBe(2);
    const dirImport = "import c from './template/c.js';";
    expect(renameText(dirImport, f, true)).toBe(dirImport);
    expect(findLeftovers(out, true)).toEqual([]);
  });
});

describe('renameText on test code', () => {
  it('renames flag paths in regexes, derived strings and the bare name', () => {
    const src = [
      'expect(() => config([])).toThrow(/template\\.backend_url/);',
      "const dir = await tempDir('template-e2e-');",
      "const key = devKey('//Alice//template-e2e-validator');",
      "describeSubnetCompliance({ name: 'template' });",
      '/** plus a `template` section */',
    ].join('\n');
    const out = renameText(src, f, true);
    expect(out.split('\n')).toEqual([
      'expect(() => config([])).toThrow(/demo_x\\.backend_url/);',
      "const dir = await tempDir('demo-x-e2e-');",
      "const key = devKey('//Alice//demo-x-e2e-validator');",
      "describeSubnetCompliance({ name: 'demo-x' });",
      '/** plus a `demoX` section */',
    ]);
    expect(findLeftovers(src, true).length).toBe(5);
    expect(findLeftovers(out, true)).toEqual([]);
  });
});

describe('renameText on docs', () => {
  it('renames the names of renamed files in prose (the README lists src/template.test.ts)', () => {
    const src = [
      '- `src/template.test.ts`: the protocol wire details',
      'see template-utils.js and (template.ts)',
      'the template keeps its template/ folder and template.json',
    ].join('\n');
    const out = renameText(src, f, false);
    expect(out.split('\n')).toEqual([
      '- `src/demo-x.test.ts`: the protocol wire details',
      'see demo-x-utils.js and (demo-x.ts)',
      'the template keeps its template/ folder and template.json',
    ]);
    // The same names renamePath gives the files.
    expect(renamePath('src/template.test.ts', f)).toBe('src/demo-x.test.ts');
    expect(findLeftovers(src, false).length).toBe(2);
    expect(findLeftovers(out, false)).toEqual([]);
  });
});
