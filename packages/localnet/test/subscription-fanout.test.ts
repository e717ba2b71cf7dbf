import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLocalnet, type Localnet } from '../src/index.js';
import { Session } from '../src/rpc/handler.js';
import { StateStore } from '../src/state/store.js';

type Note = { method: string; result: unknown };

describe('subscription fan-out', () => {
  let net: Localnet;
  beforeAll(async () => {
    net = await createLocalnet({ blockTime: 'manual', drand: false });
  });
  afterAll(() => net.close());

  const subscribe = (method: string, params: unknown[]) => {
    const notes: Note[] = [];
    const s = new Session((m, _id, result) => notes.push({ method: m, result }));
    net.rpc.call(method, params, s);
    return { notes, close: () => s.close() };
  };
  const settle = () => new Promise((r) => setImmediate(r));

  it('builds a new head once per block, whatever the number of subscribers', async () => {
    const subs = [1, 2, 3].map(() => subscribe('chain_subscribeNewHeads', []));
    await settle();
    net.produceBlock();
    await settle();
    const heads = subs.map((s) => s.notes.at(-1)?.result);
    expect(heads[0]).toMatchObject({ number: `0x${net.chain.head.number.toString(16)}` });
    expect(heads[1]).toBe(heads[0]);
    expect(heads[2]).toBe(heads[0]);
    for (const s of subs) s.close();
  });

  it('reads each changed storage value once per block for all storage subscribers', async () => {
    const gets = vi.spyOn(StateStore.prototype, 'get');
    const reads = async (n: number) => {
      const subs = Array.from({ length: n }, () => subscribe('state_subscribeStorage', []));
      await settle();
      gets.mockClear();
      net.produceBlock();
      await settle();
      const count = gets.mock.calls.length;
      const changes = subs.map((s) => s.notes.at(-1)?.result);
      for (const s of subs) s.close();
      return { count, changes };
    };
    const one = await reads(1);
    const five = await reads(5);
    gets.mockRestore();
    expect(five.changes[4]).toEqual(five.changes[0]);
    expect((five.changes[0] as { changes: unknown[] }).changes.length).toBeGreaterThan(3);
    // Same empty block, same reads: four more subscribers add none.
    expect(five.count).toBe(one.count);
  });
});
