// Load generator, run as its own process so it does not share the server's event loop.
// argv[2]: JSON { url, path, connections, durationMs, warmupMs, headers?, body?, file? }
// With `file`, each connection sends its own pre-signed requests, in order, once each.
import { readFileSync } from 'node:fs';
import { Client } from 'undici';

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
const lanes: Req[][] | undefined = cfg.file
  ? JSON.parse(readFileSync(cfg.file, 'utf8'))
  : undefined;
const statuses: Record<number, number> = {};
let counted = 0;
/** Every answered request, warm-up included (for the server's CPU per request). */
let total = 0;
const start = performance.now();
const warmEnd = start + cfg.warmupMs;
const end = warmEnd + cfg.durationMs;
let lastFinish = warmEnd;

async function lane(i: number): Promise<void> {
  const client = new Client(cfg.url, { pipelining: 1, keepAliveTimeout: 30_000 });
  const list = lanes?.[i];
  let k = 0;
  while (performance.now() < end) {
    const req = list ? list[k++] : { headers: cfg.headers ?? {}, body: cfg.body ?? '' };
    if (!req) break;
    const res = await client.request({
      path: cfg.path,
      method: 'POST',
      headers: req.headers,
      body: req.body,
    });
    await res.body.dump();
    total++;
    const now = performance.now();
    if (now >= warmEnd && now <= end) {
      counted++;
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      lastFinish = now;
    }
  }
  await client.close();
}

await Promise.all(Array.from({ length: cfg.connections }, (_, i) => lane(i)));
const elapsed = Math.min(end, lastFinish) - warmEnd;
process.stdout.write(
  `${JSON.stringify({ count: counted, total, seconds: elapsed / 1000, statuses })}\n`,
);
