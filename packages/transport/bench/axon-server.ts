// An axon in its own process for the benchmark. argv[2]: JSON { workers, port? }
import { pino } from 'pino';
import { Axon } from '../src/index.js';
import { bob, Dummy } from './signed-requests.js';

const cfg = JSON.parse(process.argv[2] ?? '{}') as { workers?: number };
const axon = new Axon(
  {
    keypair: bob,
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
axon.attach(Dummy, { forward: (i) => ({ dummy_output: i.dummy_input * 2 }) });
await axon.start();
process.stdout.write(`PORT ${axon.port}\n`);
process.on('SIGTERM', () => void axon.stop({ graceMs: 100 }).then(() => process.exit(0)));
