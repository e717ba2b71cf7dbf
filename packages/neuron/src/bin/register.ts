#!/usr/bin/env node
/**
 * `subnetkit-register`: registers `--wallet.hotkey` on `--netuid` by burning the registration
 * cost from the wallet's coldkey (btcli: `btcli subnets register`). Works against finney,
 * test, a subtensor localnet or a subnetkit localnet (`--subtensor.chain_endpoint ws://…`).
 * An encrypted coldkey's password comes from its `BT_PW_…` variable
 * (`subnetkit-wallet password-env` prints the line to export).
 */
import { loadConfig } from '../config/load.js';
import { neuronConfigSchema } from '../config/schema.js';
import { registerHotkey } from '../runtime/register.js';
import { exitWithError } from './exit-with-error.js';

const name = 'subnetkit-register';
try {
  const result = loadConfig(neuronConfigSchema, {
    argv: process.argv.slice(2),
    env: process.env,
    programName: name,
    summary:
      "Registers --wallet.hotkey on --netuid, paying the subnet's burn from the wallet's coldkey. Only the netuid, wallet and subtensor flags are used.",
  });
  if (result.help) {
    process.stdout.write(result.text);
    process.exit(0);
  }
  const r = await registerHotkey(result.config);
  process.stdout.write(
    r.registered
      ? `registered ${r.hotkey} on subnet ${r.netuid} as uid ${r.uid} (block ${r.blockNumber})\n`
      : `${r.hotkey} is already registered on subnet ${r.netuid} as uid ${r.uid}; nothing sent\n`,
  );
  process.exit(0);
} catch (error) {
  exitWithError(name, error);
}
