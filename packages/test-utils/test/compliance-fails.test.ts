// The compliance suite can fail: run it (in a child vitest) on subnets with one flaw each and
// check that exactly the check covering the flaw fails.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../src/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('describeSubnetCompliance catches broken subnets', () => {
  it('fails the wrong-vs-right check for a lenient validator, the 403 check for an open miner, and only the streaming checks for a stream that never ends', async () => {
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
        'broken-stream / Countdown: streaming compliance the stream reaches a Python-shaped caller and our dendrite',
        'broken-stream / Countdown: streaming compliance the validator never penalises a miner for its own failure',
        'broken-stream / Countdown: streaming compliance the validator passes complete honest streams and fails wrong, cut, stalled, oversized and silent ones with the reason',
        'lenient-validator: subnet compliance the validator scores right answers above wrong ones, and timeouts, garbage and dead axons as failures',
        'open-miner: over the fiber wire the miner refuses unsigned, unregistered and misaddressed callers over fiber',
        'open-miner: subnet compliance the miner refuses unsigned (401) and unregistered (403) callers',
      ]);
      // Everything else about these subnets is compliant and passes: the broken stream's
      // refusal check, every check of its request/response synapse (Sum) and the open miner's
      // other Fiber checks among them.
      const passed = results.filter((r) => r.status === 'passed').map((r) => r.fullName);
      expect(passed.length).toBe(16);
      expect(passed.filter((n) => n.startsWith('open-miner: over the fiber wire')).length).toBe(2);
      expect(passed.filter((n) => n.startsWith('broken-stream / Sum:')).length).toBe(5);
    } finally {
      await dir.cleanup();
    }
  }, 150_000);
});
