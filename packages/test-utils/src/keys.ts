import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWallet, Keypair } from '@subnetkit/wallet';

const cache = new Map<string, Keypair>();

/**
 * A keypair from a dev URI (`//Alice`, `//Bob//miner-1` …), cached: deriving one costs ~50 ms.
 * Dev keys are public knowledge: for tests and dev chains only.
 */
export function devKey(uri: string): Keypair {
  let k = cache.get(uri);
  if (!k) {
    k = Keypair.fromUri(uri);
    cache.set(uri, k);
  }
  return k;
}

/** `count` hotkeys `//{owner}//{prefix}-{i}`. */
export function devHotkeys(prefix: string, count: number, owner = 'Bob'): Keypair[] {
  return Array.from({ length: count }, (_, i) => devKey(`//${owner}//${prefix}-${i}`));
}

/** A temporary directory removed by `cleanup()`. */
export async function tempDir(prefix = 'subnetkit-test-'): Promise<{
  path: string;
  cleanup(): Promise<void>;
}> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export interface DevWalletOptions {
  /** Wallet directory (default: a new temp dir, removed by `cleanup`). */
  path?: string;
  name?: string;
  hotkey?: string;
  /** Coldkey URI (default `//Alice`, funded on every dev chain). */
  coldkeyUri?: string;
  /** Hotkey URI (default `//{coldkey}//{name}/{hotkey}`-like, deterministic per name). */
  hotkeyUri?: string;
}

export interface DevWallet {
  /** `--wallet.path`. */
  path: string;
  name: string;
  hotkeyName: string;
  coldkey: Keypair;
  hotkey: Keypair;
  /** The `--wallet.*` flags of this wallet. */
  flags: string[];
  cleanup(): Promise<void>;
}

/**
 * A btcli-layout wallet on disk (coldkey **unencrypted**, hotkey plaintext) from dev URIs, so
 * a neuron process can load it with `--wallet.path/--wallet.name/--wallet.hotkey`.
 */
export async function createDevWallet(options: DevWalletOptions = {}): Promise<DevWallet> {
  const own = options.path === undefined ? await tempDir('subnetkit-wallets-') : undefined;
  const path = options.path ?? own!.path;
  const name = options.name ?? 'dev';
  const hotkeyName = options.hotkey ?? 'default';
  const coldkeyUri = options.coldkeyUri ?? '//Alice';
  const hotkeyUri = options.hotkeyUri ?? `${coldkeyUri}//${name}//${hotkeyName}`;
  const wallet = createWallet({ name, hotkey: hotkeyName, path });
  const coldkey = await wallet.regenerateColdkey({ uri: coldkeyUri }, { encrypt: false });
  const hotkey = await wallet.regenerateHotkey({ uri: hotkeyUri });
  return {
    path,
    name,
    hotkeyName,
    coldkey,
    hotkey,
    flags: ['--wallet.path', path, '--wallet.name', name, '--wallet.hotkey', hotkeyName],
    cleanup: async () => {
      await own?.cleanup();
    },
  };
}
