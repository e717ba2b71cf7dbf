// An axon in its own process for the benchmark. argv[2]: JSON { workers, port? }
import { Keypair } from '@subnetkit/wallet';
import { pino } from 'pino';
import { z } from 'zod';
import { Axon, defineSynapse } from '../src/index.js';

const cfg = JSON.parse(process.argv[2] ?? '{}') as { workers?: number };
export const BenchSynapse = defineSynapse({
  name: 'Dummy',
  input: { dummy_input: z.int() },
  output: { dummy_output: z.int().nullable() },
  hashFields: ['dummy_input'],
});
const axon = new Axon(
  {
    keypair: Keypair.fromUri('//Bob'),
    host: '127.0.0.1',
    port: 0,
    verifyWorkers: cfg.workers ?? 0,
    rateLimit: false,
    maxConcurrency: 1024,
    maxQueue: 4096,
    maxConnections: 4096,
  },
  { logger: pino({ level: 'silent' }) },
);
axon.attach(BenchSynapse, { forward: (i) => ({ dummy_output: i.dummy_input * 2 }) });
await axon.start();
process.stdout.write(`PORT ${axon.port}\n`);
process.on('SIGTERM', () => void axon.stop({ graceMs: 100 }).then(() => process.exit(0)));
