// The compliance suite can fail: run it (in a child vitest) on subnets with one flaw each and
// check that exactly the check covering the flaw fails.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('describeSubnetCompliance catches broken subnets', () => {
  it('fails the wrong-vs-right check for a lenient validator and the 403 check for an open miner', async () => {
    const dir = await tempDir('compliance-fixture-');
    try {
      const out = `${dir.path}/report.json`;
      const run = spawnSync(
        process.execPath,
        [
          'node_modules/vitest/vitest.mjs',
          'run',
          '--config',
          'test/fixtures/vitest.config.ts',
          '--reporter=json',
          `--outputFile=${out}`,
        ],
        { cwd: root, encoding: 'utf8', timeout: 120_000 },
      );
      expect(run.status, run.stderr).toBe(1);
      const report = JSON.parse(readFileSync(out, 'utf8')) as {
        testResults: Array<{ assertionResults: Array<{ fullName: string; status: string }> }>;
      };
      const results = report.testResults.flatMap((f) => f.assertionResults);
      const failed = results
        .filter((r) => r.status === 'failed')
        .map((r) => r.fullName)
        .sort();
      expect(failed).toEqual([
        'lenient-validator: subnet compliance the validator scores right answers above wrong ones, and timeouts, garbage and dead axons as failures',
        'open-miner: subnet compliance the miner refuses unsigned (401) and unregistered (403) callers',
      ]);
      // Everything else about these subnets is compliant and passes.
      expect(results.filter((r) => r.status === 'passed').length).toBe(8);
    } finally {
      await dir.cleanup();
    }
  }, 150_000);
});
