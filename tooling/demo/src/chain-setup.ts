import type { SubtensorChain } from '@subnetkit/chain';
import type { Keypair } from '@subnetkit/wallet';
import { DemoError } from './errors.js';
import type { NeuronSlot } from './plan.js';

export const TAO = 1_000_000_000n;

/** The market's subnet, created at genesis by localnet (owner //Alice, uid 0). */
export const MARKET_NETUID = 1;

/**
 * Genesis for the market's localnet: subnet 1 with a short tempo, plain `set_weights`
 * (commit-reveal off, so incentives follow weights within one epoch), room for every
 * registration in a few blocks, and a weights rate limit shorter than the tempo.
 */
export function marketGenesis(tempo: number) {
  return {
    subnets: [
      {
        netuid: MARKET_NETUID,
        owner: '//Alice',
        params: {
          tempo,
          commitReveal: false,
          weightsSetRateLimit: Math.max(1, Math.floor(tempo / 4)),
          maxRegistrationsPerBlock: 64,
          targetRegistrationsPerInterval: 64,
          immunityPeriod: 10_000,
          activityCutoff: 10_000,
        },
      },
    ],
  };
}

export interface SetupOptions {
  netuid: number;
  /** Pays for everything (//Alice on a dev chain). */
  funder: Keypair;
  coldkey: Keypair;
  slots: readonly NeuronSlot[];
  hotkeys: ReadonlyMap<string, Keypair>;
  /** TAO sent from the funder to the coldkey. */
  fundTao?: bigint;
  /** TAO staked on the validator's hotkey. */
  validatorStakeTao?: bigint;
  /** Axon port published for miners that never start (`dead`). */
  deadPort: (slot: NeuronSlot) => number;
  onStep?: (message: string) => void;
}

export interface SetupResult {
  uids: Map<string, number>;
}

async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw new DemoError('SETUP_FAILED', `${what}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Funds the coldkey, registers every hotkey (burned registration), stakes on the validator,
 * and publishes an axon for each dead miner (an address where nothing will ever listen).
 * Transactions are sent one after the other: they share the coldkey's nonce.
 */
export async function setupChain(chain: SubtensorChain, o: SetupOptions): Promise<SetupResult> {
  const say = o.onStep ?? (() => {});
  const fund = (o.fundTao ?? 10_000n) * TAO;
  const stake = (o.validatorStakeTao ?? 1_000n) * TAO;
  say(`funding coldkey ${o.coldkey.ss58Address} with ${fund / TAO} TAO from //Alice`);
  await step('transfer to the coldkey', () =>
    chain.transfer(o.funder, { dest: o.coldkey.ss58Address, amount: fund }),
  );
  const uids = new Map<string, number>();
  for (const slot of o.slots) {
    const hotkey = o.hotkeys.get(slot.name)!;
    const reg = await step(`burned_register ${slot.name}`, () =>
      chain.burnedRegister(o.coldkey, { netuid: o.netuid, hotkey: hotkey.ss58Address }),
    );
    if (reg.uid === null || reg.uid === undefined) {
      throw new DemoError(
        'SETUP_FAILED',
        `burned_register ${slot.name}: no uid on chain afterwards`,
      );
    }
    uids.set(slot.name, reg.uid);
    say(`registered ${slot.name} as uid ${reg.uid}`);
  }
  const validator = o.slots.find((s) => s.role === 'validator');
  if (validator) {
    await step('add_stake on the validator', () =>
      chain.addStake(o.coldkey, {
        hotkey: o.hotkeys.get(validator.name)!.ss58Address,
        netuid: o.netuid,
        amount: stake,
      }),
    );
    say(`staked ${stake / TAO} TAO on the validator`);
  }
  for (const slot of o.slots.filter((s) => s.kind === 'dead')) {
    await step(`serve_axon for ${slot.name}`, () =>
      chain.serveAxon(o.hotkeys.get(slot.name)!, {
        netuid: o.netuid,
        ip: slot.ip,
        port: o.deadPort(slot),
      }),
    );
    say(`published ${slot.name}'s axon ${slot.ip}:${o.deadPort(slot)} (nothing listens there)`);
  }
  return { uids };
}
