import { Keypair } from '@subnetkit/wallet';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type ChainError, SubtensorChain } from '../src/index.js';
import type { FixtureNode } from './support/fixture-node.js';
import { encodeEvents, quietLogger } from './support/harness.js';
import { serveOverWs, type WsFixtureServer } from './support/providers.js';
import { recordedNode, SPEC343_AVAILABLE } from './support/spec343.js';

const alice = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const HEAD = 6_852_690;

async function waitFor(condition: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const submissions = (node: FixtureNode) =>
  node.requests.filter((r) => r.method === 'author_submitAndWatchExtrinsic').length;

describe.skipIf(!SPEC343_AVAILABLE)('SubtensorChain over a loopback WebSocket that drops', () => {
  let node: FixtureNode;
  let server: WsFixtureServer;
  let chain: SubtensorChain;

  beforeEach(async () => {
    node = recordedNode(['metagraph']);
    server = await serveOverWs(node);
    chain = await SubtensorChain.connect(
      {
        chainEndpoint: server.url,
        connectTimeoutMs: 15_000,
        txTimeoutMs: 10_000,
        reconnect: { initialDelayMs: 50, maxDelayMs: 400 },
      },
      { logger: quietLogger },
    );
  });
  afterEach(async () => {
    await chain.close();
    await server.close();
  });

  it('keeps a block subscription across a drop; requests while down fail fast', async () => {
    // polkadot-js writes its own lines (API-WS, RPC-CORE …) to the console: none may appear.
    const raw: string[] = [];
    const spies = (['log', 'warn', 'error', 'info'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        raw.push(args.map(String).join(' '));
      }),
    );
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      raw.push(String(chunk));
      return true;
    });
    onTestFinished(() => {
      for (const s of spies) s.mockRestore();
      write.mockRestore();
    });
    const blocks: number[] = [];
    const unsubscribe = await chain.subscribeBlocks((b) => blocks.push(b.number));
    await waitFor(() => blocks.includes(HEAD), 'the first head');
    node.produceBlock();
    await waitFor(() => blocks.includes(HEAD + 1), 'block +1');

    const reconnects = chain.reconnects;
    server.setRefusing(true);
    server.dropAll();
    await waitFor(() => !chain.isConnected, 'the drop to be seen');
    await expect(chain.getCurrentBlock()).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(chain.getMetagraph(1)).rejects.toMatchObject({ code: 'DISCONNECTED' });
    expect(chain.reconnects).toBe(reconnects);

    server.setRefusing(false);
    await waitFor(() => chain.isConnected, 'the reconnect');
    // One reconnect, however many refused attempts came before it.
    expect(chain.reconnects).toBe(reconnects + 1);
    expect(server.connectionCount()).toBeGreaterThanOrEqual(2);
    node.produceBlock();
    await waitFor(() => blocks.includes(HEAD + 2), 'block +2 after the reconnect');
    expect(await chain.getCurrentBlock()).toBe(HEAD + 2);
    unsubscribe();
    expect(raw.filter((l) => /API-WS|RPC-CORE|API\/INIT|polkadot/i.test(l))).toEqual([]);
  });

  it('a watched submission dropped before inclusion is resubmitted (same bytes) and resolves', async () => {
    node.onSubmit = () => ({ kind: 'hold' });
    const pending = chain.transfer(alice, { dest: bob.ss58Address, amount: 5n });
    await waitFor(() => node.pool.length === 1, 'the pool to hold the extrinsic');
    const held = node.pool[0];
    node.onSubmit = () => ({ kind: 'include', events: (i) => encodeEvents(chain.api, i, {}) });
    server.dropAll();
    const result = await pending;
    expect(result.blockNumber).toBe(HEAD + 1);
    expect(node.blocks.at(-1)?.extrinsics).toEqual([held]);
    expect(submissions(node)).toBe(2);
  });

  it('a submission included while the link was down is found in the chain, not resent', async () => {
    node.onSubmit = () => ({ kind: 'hold' });
    const pending = chain.transfer(alice, { dest: bob.ss58Address, amount: 5n });
    await waitFor(() => node.pool.length === 1, 'the pool to hold the extrinsic');
    server.setRefusing(true);
    server.dropAll();
    await waitFor(() => !chain.isConnected, 'the drop to be seen');
    const block = node.includeNow(node.pool[0] as string, {
      kind: 'include',
      events: (i) => encodeEvents(chain.api, i, {}),
    });
    node.produceBlock();
    server.setRefusing(false);
    const result = await pending;
    expect(result.blockHash).toBe(block.hash);
    expect(submissions(node)).toBe(1);
  });

  it('a failure included while the link was down is decoded by name', async () => {
    node.onSubmit = () => ({ kind: 'hold' });
    const pending = chain.transfer(alice, { dest: bob.ss58Address, amount: 5n }).catch((e) => e);
    await waitFor(() => node.pool.length === 1, 'the pool to hold the extrinsic');
    server.setRefusing(true);
    server.dropAll();
    await waitFor(() => !chain.isConnected, 'the drop to be seen');
    node.includeNow(node.pool[0] as string, {
      kind: 'include',
      events: (i) =>
        encodeEvents(chain.api, i, {
          failedWith: { pallet: 'Balances', error: 'InsufficientBalance' },
        }),
    });
    server.setRefusing(false);
    const error = (await pending) as ChainError;
    expect(error.code).toBe('MODULE_ERROR');
    expect(error.details).toMatchObject({ section: 'balances', name: 'InsufficientBalance' });
  });

  it('a watched submission whose link never comes back fails clearly instead of hanging', async () => {
    node.onSubmit = () => ({ kind: 'hold' });
    const pending = chain
      .transfer(alice, { dest: bob.ss58Address, amount: 5n }, { timeoutMs: 1_500 })
      .catch((e) => e);
    await waitFor(() => node.pool.length === 1, 'the pool to hold the extrinsic');
    server.setRefusing(true);
    server.dropAll();
    const error = (await pending) as ChainError;
    expect(error.code).toBe('TX_OUTCOME_UNKNOWN');
    expect(error.details.txHash).toMatch(/^0x/);
  });

  it('close() makes every later request fail at once with CLOSED', async () => {
    await chain.close();
    await expect(chain.getCurrentBlock()).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(
      chain.transfer(alice, { dest: bob.ss58Address, amount: 1n }),
    ).rejects.toMatchObject({
      code: 'CLOSED',
    });
  });
});

describe('connecting', () => {
  it('gives up with CONNECT_TIMEOUT when the endpoint never answers', async () => {
    const node = SPEC343_AVAILABLE ? recordedNode(['metagraph']) : undefined;
    const server = node ? await serveOverWs(node) : undefined;
    server?.setRefusing(true);
    const url = server?.url ?? 'ws://127.0.0.1:9';
    await expect(
      SubtensorChain.connect(
        { chainEndpoint: url, connectTimeoutMs: 600, reconnect: { initialDelayMs: 50 } },
        { logger: quietLogger },
      ),
    ).rejects.toMatchObject({ code: 'CONNECT_TIMEOUT' });
    await server?.close();
  });

  it('says CONNECTION_REFUSED, at once, when nothing listens at the port', async () => {
    const { createServer } = await import('node:net');
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    const error = (await SubtensorChain.connect(
      { chainEndpoint: `ws://127.0.0.1:${port}`, connectTimeoutMs: 30_000 },
      { logger: quietLogger },
    ).catch((e) => e)) as ChainError;
    expect(error.code).toBe('CONNECTION_REFUSED');
    expect(error.message).toContain(`ws://127.0.0.1:${port}: connection refused`);
  });

  it('rejects an unknown network name, naming the field', async () => {
    await expect(SubtensorChain.connect({ network: 'mainnet' })).rejects.toMatchObject({
      code: 'INVALID_NETWORK',
      details: { field: 'network' },
    });
  });
});
