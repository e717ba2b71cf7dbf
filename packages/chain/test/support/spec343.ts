import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { xxhashAsHex } from '@polkadot/util-crypto';
import { FixtureNode, type FixtureNodeOptions, type HeaderJson } from './fixture-node.js';

/** `/work/shared/fixtures/subtensor-spec343/`, computed from this file (never copied). */
export const SPEC343_DIR = fileURLToPath(
  new URL('../../../../../shared/fixtures/subtensor-spec343/', import.meta.url),
);
export const SPEC343_AVAILABLE =
  existsSync(`${SPEC343_DIR}metadata-at-version-v15.hex`) &&
  existsSync(`${SPEC343_DIR}recorded-rpc.json`);

if (!SPEC343_AVAILABLE) {
  console.warn(
    `[chain tests] mainnet fixtures not found at ${SPEC343_DIR}: fixture tests are SKIPPED`,
  );
}

/** Bittensor mainnet (finney) genesis hash. */
export const FINNEY_GENESIS = '0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03';
export const SYSTEM_EVENTS_KEY = `${xxhashAsHex('System', 128)}${xxhashAsHex('Events', 128).slice(2)}`;

type Recording = Record<string, Record<string, { result?: unknown }>>;

export interface Spec343 {
  metadataAtVersion15: string;
  recordings: Record<string, Recording>;
  runtimeVersion: Record<string, unknown>;
  rpcMethods: string[];
}

let cached: Spec343 | undefined;

export function loadSpec343(): Spec343 {
  if (cached) return cached;
  const raw = readFileSync(`${SPEC343_DIR}metadata-at-version-v15.hex`, 'utf8').trim();
  const recordings = JSON.parse(readFileSync(`${SPEC343_DIR}recorded-rpc.json`, 'utf8')) as Record<
    string,
    Recording
  >;
  const metagraph = recordings.metagraph as Recording;
  const runtimeVersion = Object.values(metagraph.state_getRuntimeVersion ?? {})[0]
    ?.result as Record<string, unknown>;
  const rpc = Object.values(recordings.neurons_lite?.rpc_methods ?? {})[0]?.result as {
    methods: string[];
  };
  cached = {
    metadataAtVersion15: raw.startsWith('0x') ? raw : `0x${raw}`,
    recordings,
    runtimeVersion,
    rpcMethods: rpc?.methods ?? [],
  };
  return cached;
}

const strip = (hex: string) => (hex.startsWith('0x') ? hex : `0x${hex}`).toLowerCase();

/**
 * A node that serves the recorded traffic of the named recording sessions (storage values,
 * runtime-API results) with the spec-343 V15 metadata. The head block is the first
 * session's recorded head.
 */
export function recordedNode(
  sessions: string[],
  extra: Partial<FixtureNodeOptions> = {},
): FixtureNode {
  const fx = loadSpec343();
  const storage = new Map<string, string | null>();
  const calls = new Map<string, string>();
  let head: HeaderJson | undefined;
  let headHash: string | undefined;
  for (const name of sessions) {
    const session = fx.recordings[name];
    if (!session) throw new Error(`no recording session ${name}`);
    for (const [method, byParams] of Object.entries(session)) {
      for (const [paramsJson, response] of Object.entries(byParams)) {
        let params: unknown[];
        try {
          params = JSON.parse(paramsJson) as unknown[];
        } catch {
          continue;
        }
        const result = response?.result;
        if (method === 'state_getStorageAt' || method === 'state_getStorage') {
          storage.set(strip(String(params[0])), result === null ? null : strip(String(result)));
        } else if (method === 'state_queryStorageAt') {
          for (const change of (result as { changes: [string, string | null][] }[])[0]?.changes ??
            []) {
            storage.set(strip(change[0]), change[1] === null ? null : strip(change[1]));
          }
        } else if (method === 'state_call') {
          calls.set(`${params[0]}:${strip(String(params[1]))}`, String(result));
        } else if (method === 'chain_getHead' && !headHash) {
          headHash = String(result);
        }
      }
    }
    if (!head) {
      const headers = Object.values(session.chain_getHeader ?? {}).map(
        (r) => r.result as HeaderJson,
      );
      head = headers.find((h) => h && typeof h.number === 'string');
    }
  }
  if (!head) throw new Error(`sessions ${sessions.join(', ')} recorded no header`);
  return new FixtureNode({
    metadataAtVersion15: fx.metadataAtVersion15,
    runtimeVersion: fx.runtimeVersion,
    genesisHash: FINNEY_GENESIS,
    head: { ...head, digest: { logs: [] } },
    ...(headHash ? { headHash } : {}),
    storage,
    calls,
    rpcMethods: fx.rpcMethods,
    eventsKey: SYSTEM_EVENTS_KEY,
    unknownStorage: 'null',
    ...extra,
  });
}
