import type { ApiPromise } from '@polkadot/api';
import { num } from './decode.js';

/**
 * Waits for this signer's earlier submissions to reach the pool; returns the function that
 * lets the next one go (idempotent).
 */
export async function queueSigner(
  queues: Map<string, Promise<void>>,
  address: string,
): Promise<() => void> {
  const previous = queues.get(address) ?? Promise.resolve();
  let open!: () => void;
  const mine = new Promise<void>((resolve) => {
    open = resolve;
  });
  const tail = previous.then(() => mine);
  queues.set(address, tail);
  await previous;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    open();
    if (queues.get(address) === tail) queues.delete(address);
  };
}

/**
 * The nonce for the next transaction of `address`: the node's `system_accountNextIndex`
 * (state nonce plus the sender's transactions in its pool), or, on a node without that RPC,
 * `AccountNonceApi` / `System.Account`; never below one past this instance's own unsettled
 * submissions. (`nonce: -1` would make polkadot-js ask `AccountNonceApi`, which ignores the
 * pool, so two writes from one key in the same block collided with 1014.)
 */
export async function nextNonce(
  api: ApiPromise,
  pending: Map<string, Set<number>>,
  address: string,
): Promise<number> {
  // biome-ignore lint/suspicious/noExplicitAny: decorated from the node's rpc_methods
  const rpc = (api.rpc as any).system?.accountNextIndex;
  // biome-ignore lint/suspicious/noExplicitAny: decorated from the metadata's runtime APIs
  const runtimeApi = (api.call as any).accountNonceApi?.accountNonce;
  let next: number;
  if (rpc) next = num(await rpc(address));
  else if (runtimeApi) next = num(await runtimeApi(address));
  else {
    const account = (await api.query.system!.account!(address)) as unknown as {
      nonce: unknown;
    };
    next = num(account.nonce as never);
  }
  for (const n of pending.get(address) ?? []) if (n >= next) next = n + 1;
  return next;
}
