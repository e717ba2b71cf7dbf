import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { ProviderInterface } from '@subnetkit/chain';
import { type WebSocket, WebSocketServer } from 'ws';
import { type FixtureNode, RpcFailure } from './fixture-node.js';

type Callback = (error: Error | null, result: unknown) => void;

/** Formats a node failure the way @polkadot/rpc-provider's coder does ("code: message: data"). */
function rpcError(error: unknown): Error {
  if (error instanceof RpcFailure) {
    const e = new Error(
      `${error.code}: ${error.message}${error.data ? `: ${error.data}` : ''}`,
    ) as Error & {
      code: number;
      data?: string;
    };
    e.code = error.code;
    if (error.data !== undefined) e.data = error.data;
    return e;
  }
  return error as Error;
}

/** `ProviderInterface` answering from a `FixtureNode` in the same process. */
export class InProcessProvider implements ProviderInterface {
  readonly hasSubscriptions = true;
  readonly isClonable = false;
  #connected = false;
  #events = new EventEmitter();
  #subscriptions = new Map<string, string>();

  constructor(readonly node: FixtureNode) {}

  get isConnected(): boolean {
    return this.#connected;
  }

  clone(): ProviderInterface {
    throw new Error('InProcessProvider cannot be cloned');
  }

  async connect(): Promise<void> {
    if (this.#connected) return;
    this.#connected = true;
    queueMicrotask(() => this.#events.emit('connected'));
  }

  async disconnect(): Promise<void> {
    if (!this.#connected) return;
    this.#connected = false;
    for (const id of this.#subscriptions.keys()) this.node.unsubscribe(id);
    this.#subscriptions.clear();
    this.#events.emit('disconnected');
  }

  on(type: 'connected' | 'disconnected' | 'error', sub: (value?: unknown) => void): () => void {
    this.#events.on(type, sub);
    return () => this.#events.off(type, sub);
  }

  async send<T>(method: string, params: unknown[]): Promise<T> {
    if (!this.#connected) throw new Error('InProcessProvider is not connected');
    try {
      return (await this.node.request(method, params)) as T;
    } catch (error) {
      throw rpcError(error);
    }
  }

  async subscribe(_type: string, method: string, params: unknown[], cb: Callback): Promise<string> {
    if (!this.#connected) throw new Error('InProcessProvider is not connected');
    try {
      const id = await this.node.subscribe(method, params, (result) => {
        if (this.#connected) cb(null, result);
      });
      this.#subscriptions.set(id, method);
      return id;
    } catch (error) {
      throw rpcError(error);
    }
  }

  async unsubscribe(_type: string, _method: string, id: number | string): Promise<boolean> {
    this.#subscriptions.delete(String(id));
    return this.node.unsubscribe(String(id));
  }
}

export interface WsFixtureServer {
  url: string;
  /** Sockets currently open. */
  readonly sockets: Set<WebSocket>;
  /** Number of connections accepted so far. */
  readonly connectionCount: () => number;
  /** Kills every open connection abruptly (code 1006 on the client). */
  dropAll(): void;
  /** Refuse (true) or accept (false) new connections. */
  setRefusing(refusing: boolean): void;
  /** Called for each JSON-RPC request; may hold it. */
  onRequest?: (method: string) => void;
  close(): Promise<void>;
}

/** Serves a `FixtureNode` over JSON-RPC on a loopback WebSocket (ws://127.0.0.1:<port>). */
export async function serveOverWs(node: FixtureNode): Promise<WsFixtureServer> {
  let refusing = false;
  // A refused connection fails at the HTTP upgrade, so the client never sees it open.
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, verifyClient: () => !refusing });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const sockets = new Set<WebSocket>();
  let connections = 0;
  const api: WsFixtureServer = {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sockets,
    connectionCount: () => connections,
    dropAll() {
      for (const socket of sockets) socket.terminate();
    },
    setRefusing(value: boolean) {
      refusing = value;
    },
    async close() {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    const mine = new Set<string>();
    socket.on('close', () => {
      sockets.delete(socket);
      for (const id of mine) node.unsubscribe(id);
    });
    socket.on('message', async (raw) => {
      const request = JSON.parse(String(raw)) as { id: number; method: string; params: unknown[] };
      const reply = (body: Record<string, unknown>) => {
        if (socket.readyState === socket.OPEN)
          socket.send(JSON.stringify({ jsonrpc: '2.0', ...body }));
      };
      api.onRequest?.(request.method);
      try {
        if (/_subscribe|submitAndWatch/.test(request.method)) {
          const method = request.method;
          let id: string | undefined;
          const queued: unknown[] = [];
          id = await node.subscribe(method, request.params, (result) => {
            if (id === undefined) queued.push(result);
            else reply({ method: notificationName(method), params: { subscription: id, result } });
          });
          mine.add(id);
          reply({ id: request.id, result: id });
          for (const result of queued)
            reply({ method: notificationName(method), params: { subscription: id, result } });
        } else {
          reply({ id: request.id, result: await node.request(request.method, request.params) });
        }
      } catch (error) {
        const failure = error instanceof RpcFailure ? error : new RpcFailure(-32603, String(error));
        reply({
          id: request.id,
          error: {
            code: failure.code,
            message: failure.message,
            ...(failure.data ? { data: failure.data } : {}),
          },
        });
      }
    });
  });
  return api;
}

/** The notification method name a node uses for a subscription. */
function notificationName(method: string): string {
  if (method === 'author_submitAndWatchExtrinsic') return 'author_extrinsicUpdate';
  if (method === 'state_subscribeRuntimeVersion') return 'state_runtimeVersion';
  if (method === 'state_subscribeStorage') return 'state_storage';
  if (method === 'chain_subscribeNewHeads' || method === 'chain_subscribeNewHead')
    return 'chain_newHead';
  if (method === 'chain_subscribeFinalizedHeads') return 'chain_finalizedHead';
  if (method === 'chain_subscribeAllHeads') return 'chain_allHead';
  return method;
}
