import type { SubtensorChain } from '@subnetkit/chain';
import type { Keypair } from '@subnetkit/wallet';
import { DemoError } from './errors.js';
import { FIRST_NETUID, type NeuronSlot } from './plan.js';

export const TAO = 1_000_000_000n;

/**
 * Genesis for the market's localnet: one subnet per netuid (owner //Alice, uid 0), each with a
 * short tempo, plain `set_weights` (commit-reveal off, so incentives follow weights within one
 * epoch), room for every registration in a few blocks, and a weights rate limit shorter than
 * the tempo.
 */
export function marketGenesis(tempo: number, netuids: readonly number[] = [FIRST_NETUID]) {
  return {
    subnets: netuids.map((netuid) => ({
      netuid,
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
    })),
  };
}

export interface SetupOptions {
  /** Pays for everything (//Alice on a dev chain). */
  funder: Keypair;
  coldkey: Keypair;
  /** Every neuron, each registered on its own `netuid`. */
  slots: readonly NeuronSlot[];
  /** Hotkey per slot id. */
  hotkeys: ReadonlyMap<string, Keypair>;
  /** TAO sent from the funder to the coldkey (default 9 000 + the validators' stake). */
  fundTao?: bigint;
  /** TAO staked on each validator's hotkey (default 1 000). */
  validatorStakeTao?: bigint;
  /** Axon port published for miners that never start (`entry: null`, dead). */
  deadPort: (slot: NeuronSlot) => number;
  onStep?: (message: string) => void;
}

export interface SetupResult {
  /** Uid per slot id, on the slot's netuid. */
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
 * Funds the coldkey, registers every hotkey on its subnet (burned registration), stakes on
 * each validator, and publishes an axon for each dead miner (an address where nothing will
 * ever listen). Transactions are sent one after the other: they share the coldkey's nonce.
 */
export async function setupChain(chain: SubtensorChain, o: SetupOptions): Promise<SetupResult> {
  const say = o.onStep ?? (() => {});
  const validators = o.slots.filter((s) => s.role === 'validator');
  const stake = (o.validatorStakeTao ?? 1_000n) * TAO;
  const fund =
    o.fundTao !== undefined ? o.fundTao * TAO : 9_000n * TAO + stake * BigInt(validators.length);
  say(`funding coldkey ${o.coldkey.ss58Address} with ${fund / TAO} TAO from //Alice`);
  await step('transfer to the coldkey', () =>
    chain.transfer(o.funder, { dest: o.coldkey.ss58Address, amount: fund }),
  );
  const uids = new Map<string, number>();
  for (const slot of o.slots) {
    const hotkey = o.hotkeys.get(slot.id)!;
    const reg = await step(`burned_register ${slot.id} on netuid ${slot.netuid}`, () =>
      chain.burnedRegister(o.coldkey, { netuid: slot.netuid, hotkey: hotkey.ss58Address }),
    );
    if (reg.uid === null || reg.uid === undefined) {
      throw new DemoError(
        'SETUP_FAILED',
        `burned_register ${slot.id} on netuid ${slot.netuid}: no uid on chain afterwards`,
      );
    }
    uids.set(slot.id, reg.uid);
    say(`registered ${slot.subnet} ${slot.name} as uid ${reg.uid} on netuid ${slot.netuid}`);
  }
  for (const validator of validators) {
    await step(`add_stake on ${validator.id}`, () =>
      chain.addStake(o.coldkey, {
        hotkey: o.hotkeys.get(validator.id)!.ss58Address,
        netuid: validator.netuid,
        amount: stake,
      }),
    );
    say(`staked ${stake / TAO} TAO on ${validator.subnet}'s validator`);
  }
  for (const slot of o.slots.filter((s) => s.role === 'miner' && s.entry === null)) {
    await step(`serve_axon for ${slot.id}`, () =>
      chain.serveAxon(o.hotkeys.get(slot.id)!, {
        netuid: slot.netuid,
        ip: slot.ip,
        port: o.deadPort(slot),
      }),
    );
    say(
      `published ${slot.subnet} ${slot.name}'s axon ${slot.ip}:${o.deadPort(slot)} (nothing listens there)`,
    );
  }
  return { uids };
}
