import { createServer, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { LocalnetError } from '../errors.js';
import { batchedSender } from './batched-send.js';
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
  // Our own HTTP server so each connection's socket is at hand for reply batching.
  const http = createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain' });
    res.end(STATUS_CODES[426]);
  });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 16 * 1024 * 1024,
    // Substrate nodes negotiate no compression either; deflating hex costs more than it saves
    // on loopback. ws also sets TCP_NODELAY on the socket (no Nagle delay on replies).
    perMessageDeflate: false,
  });
  const sockets = new Set<WebSocket>();
  const serve = (ws: WebSocket, socket: Duplex) => {
    sockets.add(ws);
    const send = batchedSender(ws, socket);
    const session = new Session((method, id, result) =>
      send(notificationFrame(method, id, result)),
    );
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      const reply = handleFrame(handler, text, session);
      if (reply !== undefined) send(reply);
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      sockets.delete(ws);
      session.close();
    });
  };
  http.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, socket));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('listening', resolve);
    http.once('error', (e) =>
      reject(
        new LocalnetError('INVALID_OPTION', `cannot listen on ${host}:${port}: ${e.message}`, {
          cause: e,
        }),
      ),
    );
    http.listen(port, host);
  });
  const addr = http.address() as AddressInfo;
  return {
    url: `ws://${host.includes(':') ? `[${host}]` : host}:${addr.port}`,
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets) ws.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
