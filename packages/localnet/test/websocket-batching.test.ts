import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLocalnet, type Localnet } from '../src/index.js';

type Write = (this: Socket, ...args: unknown[]) => unknown;
const proto = Socket.prototype as unknown as { _write: Write; _writev: Write };

/** Runs `body` counting the socket writes (write and writev) made from local port `port`. */
async function countingWrites(port: number, body: () => Promise<void>): Promise<number> {
  let n = 0;
  const real = { _write: proto._write, _writev: proto._writev };
  for (const k of ['_write', '_writev'] as const) {
    proto[k] = function (this: Socket, ...args: unknown[]) {
      if (this.localPort === port) n++;
      return real[k].apply(this, args);
    };
  }
  try {
    await body();
  } finally {
    Object.assign(proto, real);
  }
  return n;
}

describe('WebSocket replies to pipelined requests', () => {
  let net: Localnet;
  beforeAll(async () => {
    net = await createLocalnet({ blockTime: 'manual', port: 0, drand: false });
  });
  afterAll(() => net.close());

  it('go out in one socket write per event-loop turn, in request order', async () => {
    const ws = new WebSocket(net.url as string, { perMessageDeflate: false });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const n = 32;
    const replies: { id: number; result: unknown }[] = [];
    const all = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        replies.push(JSON.parse(d.toString()));
        if (replies.length === n) resolve();
      }),
    );
    const frames = Array.from({ length: n }, (_, id) =>
      JSON.stringify({ jsonrpc: '2.0', id, method: 'system_chain' }),
    );
    const writes = await countingWrites(Number(new URL(net.url as string).port), async () => {
      // One client write carrying every request, so the server reads them in one turn.
      const socket = (ws as unknown as { _socket: Socket })._socket;
      socket.cork();
      for (const f of frames) ws.send(f);
      socket.uncork();
      await all;
    });
    ws.close();
    expect(replies.map((r) => r.id)).toEqual(frames.map((_, id) => id));
    expect(replies.every((r) => r.result === 'subnetkit localnet')).toBe(true);
    // Unbatched, each of the 32 replies is a write of its own.
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(writes).toBeLessThanOrEqual(2);
  });
});
