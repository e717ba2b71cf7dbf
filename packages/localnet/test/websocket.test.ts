import { ApiPromise, WsProvider } from '@polkadot/api';
import { compactFromU8a, hexToU8a, u8aToHex } from '@polkadot/util';
import { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLocalnet, type Localnet } from '../src/index.js';
import { signerFor } from './signer.js';

const alice = Keypair.fromUri('//Alice');

/** A raw socket that returns the next message after each send. */
async function rawClient(url: string) {
  const ws = new WebSocket(url);
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  const inbox: string[] = [];
  const waiters: ((m: string) => void)[] = [];
  ws.on('message', (d) => {
    const m = d.toString();
    const w = waiters.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  const next = () =>
    new Promise<string>((r) => {
      const m = inbox.shift();
      if (m !== undefined) r(m);
      else waiters.push(r);
    });
  return {
    ask: async (frame: string | Buffer): Promise<unknown> => {
      ws.send(frame);
      return JSON.parse(await next());
    },
    close: () => ws.close(),
  };
}

describe('JSON-RPC over WebSocket', () => {
  let net: Localnet;
  let api: ApiPromise;
  beforeAll(async () => {
    net = await createLocalnet({ blockTime: 'manual', port: 0 });
    api = await ApiPromise.create({ provider: new WsProvider(net.url), noInitWarn: true });
  });
  afterAll(async () => {
    await api.disconnect();
    await net.close();
  });

  it('ApiPromise works over a real socket (WsProvider)', async () => {
    net.produceBlock();
    const header = await api.rpc.chain.getHeader();
    expect(header.number.toNumber()).toBeGreaterThanOrEqual(1);
    const acc = (await api.query.system!.account!(alice.ss58Address)) as unknown as {
      data: { free: { toBigInt(): bigint } };
    };
    expect(acc.data.free.toBigInt()).toBe(1_000_000n * 10n ** 9n);
  });

  it('answers garbage with JSON-RPC errors and keeps serving', async () => {
    const c = await rawClient(net.url as string);
    const err = (r: unknown) =>
      (r as { error: { code: number; message: string; data?: string } }).error;
    expect(err(await c.ask('this is not json'))).toMatchObject({ code: -32700 });
    expect(err(await c.ask('{"jsonrpc":"2.0","id":1'))).toMatchObject({ code: -32700 });
    expect(err(await c.ask('[]'))).toMatchObject({ code: -32600 });
    expect(err(await c.ask('42'))).toMatchObject({ code: -32600 });
    expect(err(await c.ask('{"id":3,"method":"chain_getHeader"}'))).toMatchObject({ code: -32600 });
    expect(
      err(await c.ask('{"jsonrpc":"2.0","id":4,"method":"no_suchMethod","params":[]}')),
    ).toMatchObject({
      code: -32601,
    });
    expect(
      err(await c.ask('{"jsonrpc":"2.0","id":5,"method":"chain_getHeader","params":{"a":1}}')),
    ).toMatchObject({
      code: -32602,
    });
    expect(
      err(await c.ask('{"jsonrpc":"2.0","id":6,"method":"state_getStorage","params":["zz"]}')),
    ).toMatchObject({
      code: -32602,
    });
    expect(
      err(
        await c.ask('{"jsonrpc":"2.0","id":7,"method":"state_call","params":["NoSuch_api","0x"]}'),
      ),
    ).toMatchObject({ code: 4003 });
    expect(
      err(
        await c.ask(
          '{"jsonrpc":"2.0","id":8,"method":"state_call","params":["NeuronInfoRuntimeApi_get_neurons_lite","0x01"]}',
        ),
      ),
    ).toMatchObject({ code: 4003 });
    expect(
      err(
        await c.ask(
          '{"jsonrpc":"2.0","id":9,"method":"author_submitExtrinsic","params":["0x1234"]}',
        ),
      ),
    ).toMatchObject({ code: 1001 });
    expect(
      err(await c.ask('{"jsonrpc":"2.0","id":10,"method":"author_submitExtrinsic","params":[12]}')),
    ).toMatchObject({ code: -32602 });
    expect(err(await c.ask(Buffer.from([0xff, 0xfe, 0x00])))).toMatchObject({ code: -32700 });
    const batch = (await c.ask(
      '[{"jsonrpc":"2.0","id":11,"method":"system_chain"},{"bad":true},{"jsonrpc":"2.0","id":12,"method":"nope"}]',
    )) as { id: number | null; result?: unknown; error?: { code: number } }[];
    expect(batch.map((r) => r.error?.code ?? r.result)).toEqual([
      'subnetkit localnet',
      -32600,
      -32601,
    ]);
    const unsub = (await c.ask(
      '{"jsonrpc":"2.0","id":13,"method":"chain_unsubscribeNewHeads","params":["nope"]}',
    )) as {
      result: boolean;
    };
    expect(unsub.result).toBe(false);

    // Wrongly signed, replayed, unsigned and truncated extrinsics.
    const tx = api.tx.system!.remark!('0x42');
    await tx.signAsync(alice.ss58Address, { signer: signerFor(alice) });
    const good = tx.toU8a();
    const [offset] = compactFromU8a(good);
    const bad = good.slice();
    const at = offset + 1 + 33 + 1 + 5; // a byte inside the sr25519 signature
    bad[at] = (bad[at] as number) ^ 0xff;
    const submit = (x: Uint8Array | string) =>
      c.ask(
        JSON.stringify({
          jsonrpc: '2.0',
          id: 20,
          method: 'author_submitExtrinsic',
          params: [typeof x === 'string' ? x : u8aToHex(x)],
        }),
      );
    expect(err(await submit(bad))).toEqual({
      code: 1010,
      message: 'Invalid Transaction',
      data: 'Transaction has a bad signature',
    });
    expect(err(await submit(good.slice(0, good.length - 3)))).toMatchObject({ code: 1001 });
    const ok = (await submit(good)) as { result: string };
    expect(ok.result).toMatch(/^0x[0-9a-f]{64}$/);
    const pending = (await c.ask(
      '{"jsonrpc":"2.0","id":21,"method":"author_pendingExtrinsics"}',
    )) as {
      result: string[];
    };
    expect(pending.result).toEqual([u8aToHex(good)]);
    expect(err(await submit(good))).toMatchObject({ code: 1013 });
    net.produceBlock();
    expect(err(await submit(good))).toEqual({
      code: 1010,
      message: 'Invalid Transaction',
      data: 'Transaction is outdated',
    });
    const unsigned = u8aToHex(hexToU8a(api.tx.system!.remark!('0x42').toHex()));
    expect(err(await submit(unsigned))).toMatchObject({ code: 1011 });

    // Still alive.
    const head = (await c.ask('{"jsonrpc":"2.0","id":30,"method":"chain_getHeader"}')) as {
      result: { number: string };
    };
    expect(Number.parseInt(head.result.number, 16)).toBe(net.chain.head.number);
    c.close();
  });

  it('pushes subscriptions: new heads and watched extrinsics to finalized', async () => {
    const heads: number[] = [];
    const unsub = await api.rpc.chain.subscribeNewHeads((h) => {
      heads.push(h.number.toNumber());
    });
    const statuses: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      api.tx.system!.remark!('0x43')
        .signAndSend(alice.ss58Address, { signer: signerFor(alice) }, (r) => {
          statuses.push(r.status.type);
          if (r.status.isReady) setTimeout(() => net.produceBlock(), 10);
          if (r.status.isFinalized) resolve();
        })
        .catch(reject);
    });
    await done;
    expect(statuses).toEqual(['Ready', 'InBlock', 'Finalized']);
    await new Promise((r) => setTimeout(r, 50));
    unsub();
    expect(heads.at(-1)).toBe(net.chain.head.number);
  });
});
