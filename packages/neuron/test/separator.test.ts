import { describe, expect, it } from 'vitest';
import { loadConfig, type NeuronError, neuronConfigSchema } from '../src/index.js';
import { parseStakeArgs } from '../src/stake/config.js';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error as NeuronError;
  }
  throw new Error('accepted');
};

describe('a leading `--` (pnpm <script> -- args passes it on)', () => {
  it('is skipped by the config loader, which still refuses one anywhere else', () => {
    const r = loadConfig(neuronConfigSchema, { argv: ['--', '--netuid', '5'], env: {} });
    expect(!r.help && r.config.netuid).toBe(5);
    for (const argv of [
      ['--netuid', '5', '--'],
      ['--', '--'],
    ]) {
      const e = refusal(() => loadConfig(neuronConfigSchema, { argv, env: {} }));
      expect(e.code).toBe('CONFIG_UNKNOWN_FLAG');
      expect(e.message).toContain('unexpected argument "--"');
    }
  });

  it('is skipped before the stake action', () => {
    const r = parseStakeArgs(['--', 'remove', '--all', '--netuid', '3'], {});
    expect(r).toMatchObject({ help: false, action: 'remove', config: { netuid: 3, all: true } });
  });
});

describe('subnetkit-stake arguments', () => {
  it('shows the actions in --help, with or without an action', () => {
    for (const argv of [[], ['--help'], ['add', '--help']]) {
      const r = parseStakeArgs(argv, {});
      expect(r.help && r.text).toMatch(/^Usage: subnetkit-stake add\|remove\|show \[options\]/);
    }
  });

  it('refuses an unknown action and flags that do not go with the action', () => {
    expect(refusal(() => parseStakeArgs(['stake'], {})).message).toBe(
      '"stake" is not an action: use subnetkit-stake add, remove, show (see --help)',
    );
    expect(refusal(() => parseStakeArgs(['add', '--all'], {})).message).toBe(
      '--all: only for remove, not add',
    );
    expect(
      refusal(() => parseStakeArgs(['remove', '--all', '--amount', '1'], {})).details.field,
    ).toBe('amount');
    expect(refusal(() => parseStakeArgs(['show', '--amout', '1'], {})).message).toContain(
      'did you mean --amount?',
    );
  });
});
