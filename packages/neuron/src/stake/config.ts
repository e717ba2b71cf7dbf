import { z } from 'zod';
import { type LoadConfigResult, loadConfig } from '../config/load.js';
import { subtensorSection, walletSection } from '../config/schema.js';
import { NeuronError } from '../errors.js';

export const STAKE_ACTIONS = ['add', 'remove', 'show'] as const;
export type StakeAction = (typeof STAKE_ACTIONS)[number];

/** The flags of `subnetkit-stake`: the register ones plus the amount and the target hotkey. */
export const stakeConfigSchema = z.object({
  netuid: z.number().int().min(0).max(65535).default(1).describe('Subnet id'),
  amount: z.string().optional().meta({
    description: 'add: TAO to stake; remove: alpha to unstake (up to 9 decimals)',
    placeholder: 'NUMBER',
  }),
  all: z.boolean().default(false).describe('remove: the whole stake'),
  hotkey: z.string().optional().meta({
    description: "Hotkey SS58 address to stake on (default: the wallet's --wallet.hotkey)",
    placeholder: 'SS58',
  }),
  wallet: walletSection,
  subtensor: subtensorSection,
});

export type StakeCliConfig = z.output<typeof stakeConfigSchema>;

const SUMMARY =
  "add: stake --amount TAO from the wallet's coldkey on a hotkey of --netuid. remove: unstake --amount alpha (or --all) back to the coldkey. show: the stake, the free balance and the hotkey's uid.";

/**
 * Reads `subnetkit-stake <action> [flags]` (a leading `--` from `pnpm <script> --` is
 * skipped): the action, then the flags through the neuron's config loader.
 */
export function parseStakeArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { help: true; text: string } | { help: false; action: StakeAction; config: StakeCliConfig } {
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const [first, ...rest] = args;
  const help = (text: string) => ({
    help: true as const,
    text: `${text.replace('[options]', `${STAKE_ACTIONS.join('|')} [options]`).trimEnd()}\n`,
  });
  const load = (flags: readonly string[]): LoadConfigResult<StakeCliConfig> =>
    loadConfig(stakeConfigSchema, {
      argv: flags,
      env,
      programName: 'subnetkit-stake',
      summary: SUMMARY,
    });
  if (first === undefined || first === '--help' || first === '-h') {
    const r = load(['--help']);
    if (r.help) return help(r.text);
  }
  if (!STAKE_ACTIONS.includes(first as StakeAction)) {
    throw new NeuronError(
      'CONFIG_INVALID',
      `${JSON.stringify(first)} is not an action: use subnetkit-stake ${STAKE_ACTIONS.join(', ')} (see --help)`,
      { details: { field: 'action' } },
    );
  }
  const r = load(rest);
  if (r.help) return help(r.text);
  const action = first as StakeAction;
  const { config } = r;
  if (action !== 'remove' && config.all) {
    throw new NeuronError('CONFIG_INVALID', `--all: only for remove, not ${action}`, {
      details: { field: 'all' },
    });
  }
  if (action === 'remove' && config.all && config.amount !== undefined) {
    throw new NeuronError('CONFIG_INVALID', '--amount and --all: give one of them, not both', {
      details: { field: 'amount' },
    });
  }
  return { help: false, action, config };
}
