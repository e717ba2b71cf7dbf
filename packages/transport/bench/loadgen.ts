// Load generator, run as its own process so it does not share the server's event loop.
// argv[2]: JSON { url, path, connections, durationMs, warmupMs, headers?, body?, file? }
// With `file`, each connection sends its own pre-signed requests, in order, once each.
//
// It shares the cores with the server under test, so it is kept as cheap as it can be: every
// request is rendered to its HTTP/1.1 bytes before the clock starts, written to a raw socket
// (one request in flight per connection), and a reply is only framed (status, content-length
// or chunked), never parsed further.
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

interface Req {
  headers: Record<string, string>;
  body: string;
}
const cfg = JSON.parse(process.argv[2]!) as {
  url: string;
  path: string;
  connections: number;
  durationMs: number;
  warmupMs: number;
  headers?: Record<string, string>;
  body?: string;
  file?: string;
};
const target = new URL(cfg.url);
const host = target.hostname;
const port = Number(target.port);

function render(req: Req): Buffer {
  const body = Buffer.from(req.body, 'utf8');
  let head = `POST ${cfg.path} HTTP/1.1\r\nhost: ${target.host}\r\n`;
  for (const [k, v] of Object.entries(req.headers)) {
    const name = k.toLowerCase();
    if (name === 'content-length' || name === 'host') continue;
    head += `${k}: ${v}\r\n`;
  }
  head += `content-length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

const lanes: Buffer[][] | undefined = cfg.file
  ? (JSON.parse(readFileSync(cfg.file, 'utf8')) as Req[][]).map((lane) => lane.map(render))
  : undefined;
const fixed = lanes ? undefined : render({ headers: cfg.headers ?? {}, body: cfg.body ?? '' });

const statuses: Record<number, number> = {};
// The CPU spent before the clock starts (startup, rendering) is not the load's.
const cpuBefore = process.cpuUsage();
let counted = 0;
/** Every answered request, warm-up included (for the server's CPU per request). */
let total = 0;
const start = performance.now();
const warmEnd = start + cfg.warmupMs;
const end = warmEnd + cfg.durationMs;
let lastFinish = warmEnd;

const CRLF2 = Buffer.from('\r\n\r\n');

/**
 * Frames one reply in `buf`: its status and total length, or undefined while incomplete. Only
 * content-length and chunked bodies (what the servers under test send) are understood.
 */
function frame(buf: Buffer): { status: number; length: number; close: boolean } | undefined {
  const headEnd = buf.indexOf(CRLF2);
  if (headEnd < 0) return undefined;
  const head = buf.toString('latin1', 0, headEnd).toLowerCase();
  const status = Number(head.slice(9, 12));
  const close = /\r\nconnection: *close/.test(head);
  const cl = /\r\ncontent-length: *(\d+)/.exec(head);
  const bodyStart = headEnd + 4;
  if (cl) {
    const length = bodyStart + Number(cl[1]);
    return buf.length >= length ? { status, length, close } : undefined;
  }
  if (!/\r\ntransfer-encoding: *chunked/.test(head)) return { status, length: bodyStart, close };
  let at = bodyStart;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(buf.toString('latin1', at, lineEnd), 16);
    if (size === 0) {
      // The last chunk, then any trailers, up to an empty line.
      const trailerEnd = buf.indexOf(CRLF2, lineEnd);
      return trailerEnd < 0 ? undefined : { status, length: trailerEnd + 4, close };
    }
    at = lineEnd + 2 + size + 2;
    if (at > buf.length) return undefined;
  }
}

function lane(i: number): Promise<void> {
  const list = lanes?.[i];
  let k = 0;
  return new Promise<void>((resolve, reject) => {
    let socket: Socket;
    let pending: Buffer = Buffer.alloc(0);
    const next = (): void => {
      const req = list ? list[k++] : fixed;
      if (!req || performance.now() >= end) {
        socket.end();
        resolve();
        return;
      }
      socket.write(req);
    };
    const open = (): void => {
      pending = Buffer.alloc(0);
      socket = connect({ host, port, noDelay: true }, next);
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        const f = frame(pending);
        if (!f) return;
        pending = pending.subarray(f.length);
        total++;
        const now = performance.now();
        if (now >= warmEnd && now <= end) {
          counted++;
          statuses[f.status] = (statuses[f.status] ?? 0) + 1;
          lastFinish = now;
        }
        if (f.close) {
          socket.removeAllListeners('close');
          socket.destroy();
          open();
        } else next();
      });
      socket.on('error', reject);
      socket.on('close', () => {
        if (performance.now() < end && (!list || k < list.length)) open();
        else resolve();
      });
    };
    open();
  });
}

await Promise.all(Array.from({ length: cfg.connections }, (_, i) => lane(i)));
const elapsed = Math.min(end, lastFinish) - warmEnd;
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${JSON.stringify({ count: counted, total, seconds: elapsed / 1000, statuses, cpuUs: cpu.user + cpu.system })}\n`,
);
