import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { u8aToHex } from '@polkadot/util';
import { describe, expect, it } from 'vitest';
import { createLocalnet } from '../src/index.js';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

function start(args: string[]): {
  child: ChildProcess;
  url: Promise<string>;
  output: () => string;
} {
  const child = spawn(
    process.execPath,
    [tsxCli, '--conditions=@subnetkit/source', 'src/cli.ts', ...args],
    {
      cwd: pkgDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (ws:\/\/\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
  return { child, url, output: () => out };
}

describe('subnetkit-localnet server process', () => {
  it('serves JSON-RPC, produces blocks on its own, and shuts down cleanly on SIGTERM', async () => {
    const { child, url, output } = start(['--port', '0', '--block-time', '100ms']);
    const api = await ApiPromise.create({ provider: new WsProvider(await url), noInitWarn: true });
    const first = (await api.rpc.chain.getHeader()).number.toNumber();
    await new Promise((r) => setTimeout(r, 500));
    const later = (await api.rpc.chain.getHeader()).number.toNumber();
    expect(later).toBeGreaterThan(first);
    expect(api.runtimeVersion.specName.toString()).toBe('node-subtensor');
    await api.disconnect();
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(output()).toMatch(/shutting down at block #\d+/);
  });

  it('prints the genesis hash as "genesis", not the head hash (resumed from a snapshot)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'localnet-cli-genesis-'));
    try {
      const file = join(dir, 'chain.json');
      const first = await createLocalnet({ blockTime: 'manual', snapshotFile: file });
      first.produceBlocks(3);
      const genesis = u8aToHex(first.chain.genesisHash);
      expect(first.chain.head.hash).not.toBe(genesis);
      await first.close();
      const { child, url, output } = start(['--port', '0', '--snapshot', file]);
      await url;
      const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      await exit;
      expect(/\(genesis (0x[0-9a-f]{64})/.exec(output())?.[1]).toBe(genesis);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad flags with the flag named and exit code 2', async () => {
    const { child, url, output } = start(['--block-time', 'soon']);
    await expect(url).rejects.toThrow(/exited with 2/);
    expect(output()).toMatch(/blockTime: cannot read "soon"/);
    child.kill();
  });
});
