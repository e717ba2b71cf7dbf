/**
 * The bench's ws client, run as a child process so its cost is not the server's: it keeps its
 * connections across rounds and answers each round with its wall time and CPU.
 *   { kind: 'raw', url, frames, connections }: pre-built author_submitExtrinsic frames,
 *     pipelined over `connections` sockets (a lean client: no encoding, no API);
 *   { kind: 'api', url, hexes }: `api.rpc.author.submitExtrinsic` of each signed hex through
 *     @polkadot/api over its WsProvider, all in flight (what a polkadot-js client gets);
 *   { kind: 'provider', … }: the same WsProvider's `send`, without the API's type decoding.
 */

import { ApiPromise, WsProvider } from '@polkadot/api';
import WebSocket from 'ws';

export type Round =
  | { kind: 'raw'; url: string; frames: string[]; connections: number }
  | { kind: 'provider' | 'api'; url: string; hexes: string[] };

export interface RoundResult {
  ms: number;
  cpuUs: number;
  errors: number;
  firstError?: string;
}

const sockets: WebSocket[] = [];
let api: ApiPromise | undefined;
let provider: WsProvider | undefined;

async function open(url: string, n: number): Promise<WebSocket[]> {
  while (sockets.length < n) {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    sockets.push(ws);
  }
  return sockets.slice(0, n);
}

async function raw(r: Extract<Round, { kind: 'raw' }>): Promise<Omit<RoundResult, 'ms' | 'cpuUs'>> {
  const conns = await open(r.url, r.connections);
  let errors = 0;
  let firstError: string | undefined;
  let pending = r.frames.length;
  await new Promise<void>((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const text = data.toString();
      // A reply is `{"jsonrpc":"2.0","id":…,"result":…}` or carries `"error"`.
      if (!text.includes('"result"')) {
        errors++;
        firstError ??= text;
      }
      if (--pending === 0) {
        for (const ws of conns) ws.off('message', onMessage);
        resolve();
      }
    };
    for (const ws of conns) ws.on('message', onMessage);
    for (const [k, f] of r.frames.entries()) conns[k % conns.length]?.send(f);
  });
  return firstError === undefined ? { errors } : { errors, firstError };
}

async function polkadot(
  r: Extract<Round, { kind: 'provider' | 'api' }>,
): Promise<Omit<RoundResult, 'ms' | 'cpuUs'>> {
  if (!api) {
    provider = new WsProvider(r.url);
    api = await ApiPromise.create({ provider, noInitWarn: true });
  }
  const [client, ws] = [api, provider as WsProvider];
  const submit =
    r.kind === 'api'
      ? (h: string) => client.rpc.author.submitExtrinsic(h)
      : (h: string) => ws.send('author_submitExtrinsic', [h]);
  const out = await Promise.allSettled(r.hexes.map(submit));
  const failed = out.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  return failed.length === 0
    ? { errors: 0 }
    : { errors: failed.length, firstError: String(failed[0]?.reason) };
}

// A round arrives first ('loaded' answers it), then 'go' runs it: the transfer of the
// round's frames is outside the measured window on both sides.
let loaded: Round | undefined;
process.on('message', async (msg: Round | 'go' | 'exit') => {
  if (msg === 'exit') {
    for (const ws of sockets) ws.terminate();
    await api?.disconnect();
    process.exit(0);
  }
  if (msg !== 'go') {
    loaded = msg;
    process.send?.('loaded');
    return;
  }
  if (!loaded) throw new Error('ws-client: go before a round');
  const round = loaded;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const res = round.kind === 'raw' ? await raw(round) : await polkadot(round);
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  process.send?.({ ...res, ms, cpuUs: c.user + c.system } satisfies RoundResult);
});
process.send?.('ready');
