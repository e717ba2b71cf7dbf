import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './cli.js';
import { createWallet } from './wallet.js';

const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'subnetkit-cli-sep-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('subnetkit-wallet after the `--` pnpm passes on (pnpm <script> -- args)', () => {
  it('reads the command and its flags after a leading `--`', async () => {
    let out = '';
    let err = '';
    const io = {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      env: {},
    };
    const args = ['regen', 'hotkey', '--uri', '//Alice', '--wallet.path', root];
    expect(await main(['--', ...args], io)).toBe(0);
    expect(err).toBe('');
    expect(out).toContain(ALICE);
    expect((await createWallet({ path: root, env: {} }).getHotkeypub()).ss58Address).toBe(ALICE);
    // Anywhere else `--` still ends the options: what follows is an argument.
    expect(await main(['show', '--', '--json'], io)).toBe(2);
    expect(err).toContain('unexpected argument "--json"');
  });
});
