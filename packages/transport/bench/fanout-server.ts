// A shard of the fan-out's axons in one process, each answering after its own delay. Prints
// their ports and delays. argv: <count> <slowestMs> [<shard> <shards>]: this process serves the
// axons i < count with i % shards === shard (all of them by default).
import { pino } from 'pino';
import { Axon } from '../src/index.js';
import { bob, Dummy } from './signed-requests.js';

const count = Number(process.argv[2] ?? 256);
const slowestMs = Number(process.argv[3] ?? 100);
const shard = Number(process.argv[4] ?? 0);
const shards = Number(process.argv[5] ?? 1);
const keypair = bob;
const logger = pino({ level: 'silent' });
const axons: { index: number; port: number; delayMs: number }[] = [];
for (let i = shard; i < count; i += shards) {
  // Delays spread over [slowest/2, slowest); the last axon is the slowest.
  const delayMs = i === count - 1 ? slowestMs : slowestMs / 2 + ((i * 37) % 50) * (slowestMs / 100);
  const axon = new Axon(
    { keypair, host: '127.0.0.1', port: 0, rateLimit: false, verifyWorkers: 0 },
    { logger },
  );
  axon.attach(Dummy, {
    forward: async (input) => {
      await new Promise((r) => setTimeout(r, delayMs));
      return { dummy_output: input.dummy_input };
    },
  });
  await axon.start();
  axons.push({ index: i, port: axon.port, delayMs });
}
process.stdout.write(`AXONS ${JSON.stringify(axons)}\n`);
process.on('SIGTERM', () => process.exit(0));
