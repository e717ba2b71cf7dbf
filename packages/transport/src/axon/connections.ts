// Connection admission: a cap on all open connections and one per address, checked as each
// connection is accepted, before node's HTTP parser sees it. A connection turned away is answered
// with a minimal status (429 past its address's limit, 503 past the cap, `Retry-After: 1`,
// `Connection: close`), its write side closed, whatever it still sends dropped (a bounded
// amount, for a bounded time), then destroyed: the client reads a status, never a bare reset.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Why a connection was turned away at accept. */
export type ConnectionRefusal =
  | 'too_many_connections_ip'
  | 'too_many_connections'
  /** More connections were being refused at once than `maxRefusing`: closed unanswered. */
  | 'connection_dropped';

export interface RefusedConnection {
  outcome: ConnectionRefusal;
  /** The status answered; 0 when the connection was dropped unanswered. */
  status: number;
  /** The peer address. */
  ip: string;
}

/**
 * How long a refused connection (or one answered 400/408/431 by the HTTP layer) may stay open
 * after its answer, to read and drop what its client still sends so the close is not a reset.
 */
export const REFUSAL_LINGER_MS = 1_000;

/** Bytes read and dropped from a refused connection before it is destroyed anyway. */
export const REFUSAL_DRAIN_BYTES = 64 * 1024;

/**
 * The address a per-address limit counts under: IPv4 as is (IPv4-mapped IPv6 unwrapped), and an
 * IPv6 address by its /64 prefix, since one host is routinely given a whole /64.
 */
export function connectionKey(address: string): string {
  const bare = (address.split('%')[0] ?? address).toLowerCase();
  if (!bare.includes(':')) return bare;
  const groups = ipv6Groups(bare);
  if (!groups) return bare;
  const g = groups.map((x) => Number.parseInt(x, 16));
  // IPv4-mapped (`::ffff:a.b.c.d`, what a dual-stack socket reports for an IPv4 peer).
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.');
  }
  return `${g
    .slice(0, 4)
    .map((x) => x.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, or `undefined` when it is not one. */
function ipv6Groups(address: string): string[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const split = (part: string | undefined): string[] => {
    if (!part) return [];
    const pieces = part.split(':');
    const last = pieces[pieces.length - 1]!;
    if (last.includes('.')) {
      // An embedded IPv4 tail is two groups.
      const b = last.split('.').map(Number);
      pieces.splice(
        -1,
        1,
        ((b[0]! << 8) | b[1]!).toString(16),
        ((b[2]! << 8) | b[3]!).toString(16),
      );
    }
    return pieces;
  };
  const head = split(halves[0]);
  const tail = split(halves[1]);
  const zeros = 8 - head.length - tail.length;
  if (halves.length === 1 ? zeros !== 0 : zeros < 0) return undefined;
  const groups = [...head, ...new Array<string>(zeros).fill('0'), ...tail];
  return groups.every((g) => /^[0-9a-f]{1,4}$/.test(g)) ? groups : undefined;
}

const REFUSAL_TEXT: Record<
  Exclude<ConnectionRefusal, 'connection_dropped'>,
  [number, string, string]
> = {
  too_many_connections_ip: [
    429,
    'Too Many Requests',
    'Too many connections from this address, try again later',
  ],
  too_many_connections: [
    503,
    'Service Unavailable',
    'Service at capacity: too many connections, try again later',
  ],
};

/** A minimal HTTP reply that closes the connection. */
export function closingReply(status: number, text: string, message: string, extra = ''): string {
  const body = JSON.stringify({ message });
  return `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`;
}

/**
 * After `socket.end(reply)`: reads and drops what the client still sends, and destroys the
 * socket when the client closes its side, after `REFUSAL_DRAIN_BYTES` or after
 * `REFUSAL_LINGER_MS`, whichever comes first. Socket errors (EPIPE, ECONNRESET) are ignored.
 */
export function lingerThenDestroy(socket: Socket, onClose?: () => void): void {
  socket.on('error', () => {});
  const timer = setTimeout(() => socket.destroy(), REFUSAL_LINGER_MS);
  timer.unref();
  let dropped = 0;
  socket.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > REFUSAL_DRAIN_BYTES) socket.destroy();
  });
  socket.once('end', () => socket.destroy());
  socket.once('close', () => {
    clearTimeout(timer);
    onClose?.();
  });
}

export interface ConnectionLimits {
  /** Open connections at most (admitted ones; refused ones are not counted). */
  maxConnections: number;
  /** Open connections per address (`connectionKey`) at most. */
  maxConnectionsPerIp: number;
  /** Connections being refused (answered, lingering) at once at most; past it they are dropped. */
  maxRefusing: number;
}

/** Counts open connections, overall and per address, and turns away those past the limits. */
export class ConnectionGate {
  readonly #limits: ConnectionLimits;
  readonly #onRefused: (r: RefusedConnection) => void;
  readonly #perKey = new Map<string, number>();
  readonly #refusing = new Set<Socket>();
  #open = 0;

  constructor(limits: ConnectionLimits, onRefused: (r: RefusedConnection) => void) {
    this.#limits = limits;
    this.#onRefused = onRefused;
  }

  /** Connections admitted and still open. */
  get open(): number {
    return this.#open;
  }

  /** Connections being refused right now. */
  get refusing(): number {
    return this.#refusing.size;
  }

  /** Admitted connections open from `address`'s key. */
  openFrom(address: string): number {
    return this.#perKey.get(connectionKey(address)) ?? 0;
  }

  /** Admits `socket` (true), or answers and closes it (false). */
  admit(socket: Socket): boolean {
    const ip = socket.remoteAddress;
    if (ip === undefined) {
      // Closed before we saw it: nothing to answer.
      socket.destroy();
      return false;
    }
    const key = connectionKey(ip);
    const fromKey = this.#perKey.get(key) ?? 0;
    if (fromKey >= this.#limits.maxConnectionsPerIp) {
      this.#refuse(socket, ip, 'too_many_connections_ip');
      return false;
    }
    if (this.#open >= this.#limits.maxConnections) {
      this.#refuse(socket, ip, 'too_many_connections');
      return false;
    }
    this.#open++;
    this.#perKey.set(key, fromKey + 1);
    socket.once('close', () => {
      this.#open--;
      const left = (this.#perKey.get(key) ?? 1) - 1;
      if (left > 0) this.#perKey.set(key, left);
      else this.#perKey.delete(key);
    });
    return true;
  }

  /** Destroys the connections still being refused (on shutdown). */
  closeRefusing(): void {
    for (const socket of this.#refusing) socket.destroy();
  }

  #refuse(socket: Socket, ip: string, outcome: Exclude<ConnectionRefusal, 'connection_dropped'>) {
    socket.on('error', () => {});
    if (this.#refusing.size >= this.#limits.maxRefusing || !socket.writable) {
      socket.destroy();
      this.#report({ outcome: 'connection_dropped', status: 0, ip });
      return;
    }
    this.#refusing.add(socket);
    lingerThenDestroy(socket, () => this.#refusing.delete(socket));
    const [status, text, message] = REFUSAL_TEXT[outcome];
    socket.end(closingReply(status, text, message, 'Retry-After: 1\r\n'));
    this.#report({ outcome, status, ip });
  }

  #report(r: RefusedConnection): void {
    try {
      this.#onRefused(r);
    } catch {
      // A metrics hook must not break admission.
    }
  }
}

/**
 * Puts `gate` in front of node's HTTP connection handling: each accepted connection reaches the
 * HTTP parser only once admitted. (node:http handles connections in its own `connection`
 * listener, registered by `createServer`; we move it behind the gate.)
 */
export function installGate(server: Server, gate: ConnectionGate): void {
  const listeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    if (!gate.admit(socket)) return;
    for (const listener of listeners) listener.call(server, socket);
  });
}
