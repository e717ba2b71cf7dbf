import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TextSubnetError } from '../errors.js';
import { loadReferenceModel, REFERENCE_ARTIFACT_PATH } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'subnet-text-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadReferenceModel', () => {
  const model = loadReferenceModel();

  it('is cached per process', () => {
    expect(loadReferenceModel() === model).toBe(true);
  });

  it('points at dist/model.bin of this package', () => {
    expect(REFERENCE_ARTIFACT_PATH).toMatch(/subnets[/\\]text[/\\]dist[/\\]model\.bin$/);
  });

  it('reads an artifact from a path, with the same versionHash', () => {
    const path = join(dir, 'model.bin');
    writeFileSync(path, model.serialize());
    const loaded = loadReferenceModel({ path });
    expect(loaded === model).toBe(false);
    expect(loaded.versionHash).toBe(model.versionHash);
    expect(Buffer.from(model.serialize()).equals(readFileSync(path))).toBe(true);
  });

  it('refuses a broken or missing artifact given by path', () => {
    const path = join(dir, 'broken.bin');
    writeFileSync(path, model.serialize().subarray(0, 1000));
    expect(() => loadReferenceModel({ path })).toThrow(TextSubnetError);
    try {
      loadReferenceModel({ path: join(dir, 'missing.bin') });
      expect.unreachable();
    } catch (error) {
      expect((error as TextSubnetError).code).toBe('MODEL_INVALID');
    }
  });
});
