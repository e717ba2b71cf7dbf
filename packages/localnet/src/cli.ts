#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { u8aToHex } from '@polkadot/util';
import { LocalnetError } from './errors.js';
import { createLocalnet } from './localnet.js';

const USAGE = `subnetkit-localnet — a subtensor-compatible dev chain

Usage: subnetkit-localnet [--port 9944] [--host 127.0.0.1] [--block-time 12s|250ms|manual]
                          [--config genesis.json] [--block-emission RAO] [--state-history N]
                          [--snapshot chain.json]  (resume from it; saved on exit and every 100 blocks)
                          [--drand-seed S] [--drand-period SECONDS] [--no-drand]

Connect with @polkadot/api (WsProvider) or any subtensor client at ws://HOST:PORT.
Dev accounts //Alice..//Ferdie are funded; //Alice is the sudo key.`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    // `pnpm <script> -- args` passes the `--` on (npm drops it).
    args: argv[0] === '--' ? argv.slice(1) : argv,
    options: {
      port: { type: 'string', default: '9944' },
      host: { type: 'string', default: '127.0.0.1' },
      'block-time': { type: 'string', default: '12s' },
      config: { type: 'string' },
      'block-emission': { type: 'string' },
      'state-history': { type: 'string' },
      snapshot: { type: 'string' },
      'drand-seed': { type: 'string' },
      'drand-period': { type: 'string' },
      'no-drand': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LocalnetError('INVALID_OPTION', `--port: "${values.port}" is not a port number`);
  }
  const started = performance.now();
  const net = await createLocalnet({
    port,
    host: values.host,
    blockTime: values['block-time'],
    ...(values.config ? { configFile: values.config } : {}),
    ...(values['block-emission'] ? { blockEmission: BigInt(values['block-emission']) } : {}),
    ...(values['state-history'] ? { stateHistory: Number(values['state-history']) } : {}),
    ...(values.snapshot ? { snapshotFile: values.snapshot } : {}),
    ...(values['no-drand']
      ? { drand: false as const }
      : {
          drand: {
            ...(values['drand-seed'] ? { seed: values['drand-seed'] } : {}),
            ...(values['drand-period'] ? { period: Number(values['drand-period']) } : {}),
          },
        }),
  });
  const ms = (performance.now() - started).toFixed(0);
  console.log(
    `subnetkit-localnet listening on ${net.url} (genesis ${u8aToHex(net.chain.genesisHash)}, head #${
      net.chain.head.number
    } ${net.chain.head.hash}, block time ${
      net.blockTimeMs === 0 ? 'manual' : `${net.blockTimeMs} ms`
    }, ready in ${ms} ms)`,
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`subnetkit-localnet: ${signal}, shutting down at block #${net.chain.head.number}`);
    await net.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  const msg = e instanceof Error ? e.message : String(e);
  console.error(`subnetkit-localnet: ${msg}`);
  console.error(USAGE);
  process.exit(2);
});
