// 256 axons in one process, each answering after its own delay. Prints their ports and delays.
import { pino } from 'pino';
import { Axon } from '../src/index.js';
import { bob, Dummy } from './signed-requests.js';

const count = Number(process.argv[2] ?? 256);
const slowestMs = Number(process.argv[3] ?? 100);
const keypair = bob;
const logger = pino({ level: 'silent' });
const axons: { port: number; delayMs: number }[] = [];
for (let i = 0; i < count; i++) {
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
  axons.push({ port: axon.port, delayMs });
}
process.stdout.write(`AXONS ${JSON.stringify(axons)}\n`);
process.on('SIGTERM', () => process.exit(0));
