import { RpcError } from './errors.js';
import { type RpcHandler, Session } from './handler.js';

type Callback = (error: Error | null, result: unknown) => void;
type Emitted = 'connected' | 'disconnected' | 'error';

/** The error @polkadot/rpc-provider raises for a JSON-RPC error reply. */
export class ProviderRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: string,
  ) {
    super(`${code}: ${message}${data === undefined ? '' : `: ${data}`}`);
  }
}

const toJsonShape = <T>(v: T): T =>
  v === undefined ? (null as T) : (JSON.parse(JSON.stringify(v)) as T);

/**
 * An in-process `ProviderInterface` for `ApiPromise.create({ provider })`: the same JSON-RPC
 * methods and subscriptions as the WebSocket server, without a socket. Results go through a
 * JSON round trip so the API sees exactly what it would over the wire.
 */
export class LocalnetProvider {
  readonly #handler: RpcHandler;
  readonly #listeners = new Map<Emitted, Set<(v?: unknown) => void>>();
  readonly #callbacks = new Map<string, Callback>();
  #session: Session | undefined;
  #connected = false;
  readonly stats = {
    active: { requests: 0, subscriptions: 0 },
    total: {
      bytesRecv: 0,
      bytesSent: 0,
      cached: 0,
      errors: 0,
      requests: 0,
      subscriptions: 0,
      timeout: 0,
    },
  };

  constructor(handler: RpcHandler, autoConnect = true) {
    this.#handler = handler;
    if (autoConnect) void this.connect();
  }

  get hasSubscriptions(): boolean {
    return true;
  }
  get isClonable(): boolean {
    return true;
  }
  get isConnected(): boolean {
    return this.#connected;
  }
  get ttl(): null {
    return null;
  }

  clone(): LocalnetProvider {
    return new LocalnetProvider(this.#handler);
  }

  async connect(): Promise<void> {
    if (this.#connected) return;
    this.#session = new Session((_method, id, result) => {
      const cb = this.#callbacks.get(id);
      if (cb) setImmediate(() => cb(null, toJsonShape(result)));
    });
    this.#connected = true;
    setImmediate(() => this.#emit('connected'));
  }

  async disconnect(): Promise<void> {
    if (!this.#connected) return;
    this.#connected = false;
    this.#session?.close();
    this.#callbacks.clear();
    this.#emit('disconnected');
  }

  on(type: Emitted, sub: (v?: unknown) => void): () => void {
    let set = this.#listeners.get(type);
    if (!set) {
      set = new Set();
      this.#listeners.set(type, set);
    }
    set.add(sub);
    if (type === 'connected' && this.#connected) setImmediate(() => sub());
    return () => set.delete(sub);
  }

  #emit(type: Emitted, v?: unknown): void {
    for (const l of this.#listeners.get(type) ?? []) l(v);
  }

  #call(method: string, params: unknown[]): unknown {
    if (!this.#connected || !this.#session) throw new Error('localnet provider is not connected');
    this.stats.total.requests++;
    try {
      return this.#handler.call(method, toJsonShape(params), this.#session);
    } catch (e) {
      this.stats.total.errors++;
      if (e instanceof RpcError) throw new ProviderRpcError(e.code, e.message, e.data);
      throw e;
    }
  }

  async send<T = unknown>(method: string, params: unknown[]): Promise<T> {
    await Promise.resolve();
    return toJsonShape(this.#call(method, params)) as T;
  }

  async subscribe(_type: string, method: string, params: unknown[], cb: Callback): Promise<string> {
    await Promise.resolve();
    const id = String(this.#call(method, params));
    this.#callbacks.set(id, cb);
    this.stats.total.subscriptions++;
    return id;
  }

  async unsubscribe(_type: string, method: string, id: number | string): Promise<boolean> {
    this.#callbacks.delete(String(id));
    if (!this.#connected) return false;
    return Boolean(this.#call(method, [id]));
  }
}
