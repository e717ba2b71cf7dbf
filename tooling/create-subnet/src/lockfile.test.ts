import { describe, expect, it } from 'vitest';
import { copyImporter } from './lockfile.js';

const LOCK = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true

importers:

  .:
    devDependencies:
      typescript:
        specifier: 5.9.3
        version: 5.9.3

  packages/neuron:
    dependencies:
      zod:
        specifier: ^3.25.0
        version: 3.25.76

  subnets/_template:
    dependencies:
      '@subnetkit/neuron':
        specifier: workspace:*
        version: link:../../packages/neuron
      zod:
        specifier: ^3.25.0
        version: 3.25.76

  tooling/tsconfig: {}

packages:

  zod@3.25.76:
    resolution: {integrity: sha512-abc}
`;

describe('copyImporter', () => {
  it("adds the new subnet as a copy of the template's importer, in sorted order", () => {
    const out = copyImporter(LOCK, 'subnets/_template', 'subnets/demo-x');
    expect(out).not.toBeNull();
    const tail = out!.slice(out!.indexOf('  subnets/_template:'));
    expect(tail).toBe(`  subnets/_template:
    dependencies:
      '@subnetkit/neuron':
        specifier: workspace:*
        version: link:../../packages/neuron
      zod:
        specifier: ^3.25.0
        version: 3.25.76

  subnets/demo-x:
    dependencies:
      '@subnetkit/neuron':
        specifier: workspace:*
        version: link:../../packages/neuron
      zod:
        specifier: ^3.25.0
        version: 3.25.76

  tooling/tsconfig: {}

packages:

  zod@3.25.76:
    resolution: {integrity: sha512-abc}
`);
  });

  it('puts a name that sorts first before the template', () => {
    const out = copyImporter(LOCK, 'subnets/_template', 'subnets/0x')!;
    expect(out.indexOf('  subnets/0x:')).toBeLessThan(out.indexOf('  subnets/_template:'));
    expect(out.indexOf('  subnets/0x:')).toBeGreaterThan(out.indexOf('  packages/neuron:'));
  });

  it('appends after the last importer when the new key sorts last', () => {
    const out = copyImporter(LOCK, 'subnets/_template', 'zz/last')!;
    const at = out.indexOf('  zz/last:');
    expect(at).toBeGreaterThan(out.indexOf('  tooling/tsconfig: {}'));
    expect(at).toBeLessThan(out.indexOf('packages:\n'));
  });

  it('returns null when the template has no importer or the target has one', () => {
    expect(copyImporter(LOCK, 'subnets/nope', 'subnets/demo-x')).toBeNull();
    expect(copyImporter(LOCK, 'subnets/_template', 'packages/neuron')).toBeNull();
    expect(copyImporter('lockfileVersion: 9.0\n', 'subnets/_template', 'subnets/x')).toBeNull();
  });
});
