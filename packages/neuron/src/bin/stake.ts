#!/usr/bin/env node
/**
 * `subnetkit-stake add|remove|show`: the stake of the wallet's coldkey on a hotkey of
 * `--netuid` (btcli: `btcli stake add|remove|list`). Works against finney, test, a subtensor
 * localnet or a subnetkit localnet (`--subtensor.chain_endpoint ws://…`). An encrypted
 * coldkey's password comes from its `BT_PW_…` variable (`subnetkit-wallet password-env`).
 */
import { formatAmount, parseAmount } from '../stake/amount.js';
import { parseStakeArgs } from '../stake/config.js';
import { addStake, removeStake, type StakeChange, showStake } from '../stake/stake.js';
import { exitWithError } from './exit-with-error.js';

const name = 'subnetkit-stake';
const uid = (u: number | null) => (u === null ? 'not registered' : `uid ${u}`);
const change = (c: StakeChange) =>
  `stake ${formatAmount(c.before.stake)} -> ${formatAmount(c.after.stake)} alpha, free ${formatAmount(c.before.free)} -> ${formatAmount(c.after.free)} TAO`;

try {
  const parsed = parseStakeArgs(process.argv.slice(2), process.env);
  if (parsed.help) {
    process.stdout.write(parsed.text);
    process.exit(0);
  }
  const { action, config } = parsed;
  if (action === 'show') {
    const p = await showStake(config);
    process.stdout.write(
      `subnet ${p.netuid}: coldkey ${p.coldkey} has ${formatAmount(p.stake)} alpha staked on hotkey ${p.hotkey} (${uid(p.uid)}); free balance ${formatAmount(p.free)} TAO\n`,
    );
  } else if (action === 'add') {
    const amount = parseAmount(config.amount);
    const c = await addStake(config, amount);
    process.stdout.write(
      `staked ${formatAmount(amount)} TAO on hotkey ${c.after.hotkey} on subnet ${c.after.netuid} (block ${c.blockNumber}): ${change(c)}\n`,
    );
  } else {
    const amount = config.all ? 'all' : parseAmount(config.amount);
    const c = await removeStake(config, amount);
    process.stdout.write(
      `unstaked ${formatAmount(c.before.stake - c.after.stake)} alpha from hotkey ${c.after.hotkey} on subnet ${c.after.netuid} (block ${c.blockNumber}): ${change(c)}\n`,
    );
  }
  process.exit(0);
} catch (error) {
  exitWithError(name, error);
}
