import { Keypair } from '@subnetkit/wallet';
import { createLocalnet, type Localnet, TAO } from '../src/index.js';
import { signCall } from './sign.js';

export interface WeightsNetwork {
  net: Localnet;
  validators: Keypair[];
  /** Every uid of subnet 1 (the validators and Charlie's owner uid). */
  uids: number[];
  weights: number[];
  /** One signed set_weights over all uids per validator, with this nonce. */
  setWeights(nonce: number): Uint8Array[];
  /** Seals blocks until the next one runs no epoch (so a measured block carries none). */
  skipEpoch(): void;
}

/**
 * A subnet with `n` registered, staked validators holding permits, ready for set_weights
 * over all `n + 1` uids (a payload over 256 bytes, signed as its hash). `port` starts the ws
 * server.
 */
export async function weightsNetwork(n: number, port?: number): Promise<WeightsNetwork> {
  const validators = Array.from({ length: n }, (_, i) => Keypair.fromUri(`//Charlie//bench${i}`));
  const charlie = Keypair.fromUri('//Charlie');
  const net = await createLocalnet({
    blockTime: 'manual',
    drand: false, // no write_pulse extrinsics in the measured block
    ...(port === undefined ? {} : { port }),
    genesis: {
      subnets: [
        {
          netuid: 1,
          params: {
            tempo: 3,
            commitReveal: false,
            weightsSetRateLimit: 0,
            maxAllowedUids: n + 1,
            maxAllowedValidators: n + 1,
            maxRegistrationsPerBlock: n + 1,
            targetRegistrationsPerInterval: n + 1,
            minAllowedWeights: 1,
          },
        },
      ],
    },
  });
  let nonce = 0;
  for (const v of validators) {
    net.chain.submit(
      signCall(net, charlie, 'SubtensorModule', 'burned_register', [1, v.ss58Address], nonce++),
    );
    net.chain.submit(
      signCall(net, charlie, 'SubtensorModule', 'add_stake', [v.ss58Address, 1, TAO], nonce++),
    );
  }
  net.produceBlock();
  const st = net.chain.items.st;
  const permit = () => st.validatorPermit.get(net.chain.head.state as never, 1)[1] ?? false;
  // An epoch gives the staked validators their permits.
  for (let k = 0; k < 8 && !permit(); k++) net.produceBlock();
  if (!permit()) throw new Error('bench setup: validators got no permit');
  const uids = Array.from({ length: n + 1 }, (_, u) => u);
  const weights = uids.map((u) => 1 + ((u * 7919) % 65535));
  return {
    net,
    validators,
    uids,
    weights,
    setWeights: (nonce) =>
      validators.map((v) =>
        signCall(net, v, 'SubtensorModule', 'set_weights', [1, uids, weights, 0], nonce),
      ),
    // (b + 2) % 4 == 3 runs an epoch with tempo 3.
    skipEpoch: () => {
      while ((net.chain.head.number + 1 + 2) % 4 === 3) net.produceBlock();
    },
  };
}
