import { ChainError } from './errors.js';

/** The named networks, as the Python SDK knows them (`--subtensor.network`). */
export const NETWORKS = {
  finney: 'wss://entrypoint-finney.opentensor.ai:443',
  test: 'wss://test.finney.opentensor.ai:443',
  archive: 'wss://archive.chain.opentensor.ai:443',
  local: 'ws://127.0.0.1:9944',
} as const;

export type NetworkName = keyof typeof NETWORKS;

export interface ResolvedNetwork {
  /** `finney`, `test`, `archive`, `local`, or `custom` for a URL. */
  name: NetworkName | 'custom';
  endpoint: string;
}

const WS_URL = /^wss?:\/\/[^\s/]+/i;

/**
 * Resolves `--subtensor.network` / `--subtensor.chain_endpoint` the way the Python SDK does:
 * an explicit endpoint wins; a network is a name or itself a ws(s) URL. An endpoint equal to
 * a named network's endpoint is reported under that name.
 */
export function resolveNetwork(
  network: string | undefined = 'finney',
  chainEndpoint?: string,
): ResolvedNetwork {
  const target = chainEndpoint?.trim() || network.trim();
  if (target === '') throw new ChainError('INVALID_NETWORK', 'network: empty network name');
  if (Object.hasOwn(NETWORKS, target)) {
    const name = target as NetworkName;
    return { name, endpoint: NETWORKS[name] };
  }
  if (WS_URL.test(target)) {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new ChainError('INVALID_NETWORK', `network: malformed URL ${JSON.stringify(target)}`, {
        details: {
          field: 'network',
        },
      });
    }
    const endpoint = target;
    const named = (Object.entries(NETWORKS) as [NetworkName, string][]).find(
      ([, url2]) => new URL(url2).href === url.href,
    );
    return { name: named ? named[0] : 'custom', endpoint };
  }
  throw new ChainError(
    'INVALID_NETWORK',
    `network: ${JSON.stringify(target)} is neither a known network (${Object.keys(NETWORKS).join(', ')}) nor a ws:// or wss:// URL`,
    { details: { field: 'network' } },
  );
}
