import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { LocalnetError } from '../errors.js';
import { type RpcHandler, Session } from './handler.js';
import { handleFrame, notificationFrame } from './jsonrpc.js';

export interface RpcServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** JSON-RPC over WebSocket (what `WsProvider` and polkadot.js apps connect to). */
export async function startRpcServer(
  handler: RpcHandler,
  host: string,
  port: number,
): Promise<RpcServer> {
  const wss = new WebSocketServer({ host, port, maxPayload: 16 * 1024 * 1024 });
  const sockets = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    sockets.add(ws);
    const session = new Session((method, id, result) => {
      if (ws.readyState === ws.OPEN) ws.send(notificationFrame(method, id, result));
    });
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      const reply = handleFrame(handler, text, session);
      if (reply !== undefined && ws.readyState === ws.OPEN) ws.send(reply);
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      sockets.delete(ws);
      session.close();
    });
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', (e) =>
      reject(
        new LocalnetError('INVALID_OPTION', `cannot listen on ${host}:${port}: ${e.message}`, {
          cause: e,
        }),
      ),
    );
  });
  const addr = wss.address() as AddressInfo;
  return {
    url: `ws://${host.includes(':') ? `[${host}]` : host}:${addr.port}`,
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}
