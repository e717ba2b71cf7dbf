import type { Codec } from '@polkadot/types/types';
import type { SubtensorError } from '../../metadata/subtensor-errors.js';
import * as A from '../../runtime/args.js';
import { type BlockContext, ensureSigned, type Origin } from '../../runtime/runtime.js';
import type { AxonInfo } from '../../state/codecs.js';
import { axonOf, registeredAnywhere } from './neurons.js';

const U32_MAX = 0xffffffffn;
const U128_MAX = (1n << 128n) - 1n;

/** subtensor's is_valid_ip_address (serving.rs). */
export function isValidIpAddress(ipType: number, ip: bigint, allowZero: boolean): boolean {
  if (!allowZero && ip === 0n) return false;
  if (ipType === 4 && (ip >= U32_MAX || ip === 0x7f000001n)) return false;
  if (ipType === 6 && (ip === U128_MAX || ip === 1n)) return false;
  return true;
}

export interface ServeAxonArgs {
  netuid: number;
  version: number;
  ip: bigint;
  port: number;
  ipType: number;
  protocol: number;
  placeholder1: number;
  placeholder2: number;
}

export const readServeArgs = (args: Codec[]): ServeAxonArgs => ({
  netuid: A.num(args[0]),
  version: A.num(args[1]),
  ip: A.big(args[2]),
  port: A.num(args[3]),
  ipType: A.num(args[4]),
  protocol: A.num(args[5]),
  placeholder1: A.num(args[6]),
  placeholder2: A.num(args[7]),
});

/** validate_serve_axon: returns the first error by name, or undefined when it would pass. */
export function validateServeAxon(
  ctx: BlockContext,
  hotkey: Uint8Array,
  a: ServeAxonArgs,
): SubtensorError | undefined {
  const i = ctx.items.st;
  if (!registeredAnywhere(ctx, hotkey)) return 'HotKeyNotRegisteredInNetwork';
  if (a.ipType !== 4 && a.ipType !== 6) return 'InvalidIpType';
  if (!isValidIpAddress(a.ipType, a.ip, true)) return 'InvalidIpAddress';
  const prev = axonOf(ctx, a.netuid, hotkey);
  const limit = i.servingRateLimit.get(ctx.st, a.netuid);
  if (!(limit === 0n || prev.block === 0n || ctx.block - prev.block >= limit))
    return 'ServingRateLimitExceeded';
  if (a.port === 0) return 'InvalidPort';
  return undefined;
}

export function serveAxon(ctx: BlockContext, origin: Origin, args: Codec[]): void {
  const hotkey = ensureSigned(origin);
  const a = readServeArgs(args);
  const err = validateServeAxon(ctx, hotkey, a);
  if (err) throw ctx.stError(err);
  const axon: AxonInfo = {
    block: ctx.block,
    version: a.version,
    ip: a.ip,
    port: a.port,
    ipType: a.ipType,
    protocol: a.protocol,
    placeholder1: a.placeholder1,
    placeholder2: a.placeholder2,
  };
  ctx.items.st.axons.set(ctx.st, [a.netuid, hotkey], axon);
  ctx.deposit({ SubtensorModule: { AxonServed: [a.netuid, hotkey] } });
}

export function servePrometheus(ctx: BlockContext, origin: Origin, args: Codec[]): void {
  const hotkey = ensureSigned(origin);
  const netuid = A.num(args[0]);
  const ip = A.big(args[2]);
  const ipType = A.num(args[4]);
  const port = A.num(args[3]);
  const i = ctx.items.st;
  ctx.ensure(registeredAnywhere(ctx, hotkey), 'HotKeyNotRegisteredInNetwork');
  ctx.ensure(ipType === 4 || ipType === 6, 'InvalidIpType');
  ctx.ensure(isValidIpAddress(ipType, ip, false), 'InvalidIpAddress');
  const prev = i.prometheus.getOpt(ctx.st, netuid, hotkey);
  const limit = i.servingRateLimit.get(ctx.st, netuid);
  ctx.ensure(
    !prev || limit === 0n || prev.block === 0n || ctx.block - prev.block >= limit,
    'ServingRateLimitExceeded',
  );
  ctx.ensure(port !== 0, 'InvalidPort');
  i.prometheus.set(ctx.st, [netuid, hotkey], {
    block: ctx.block,
    version: A.num(args[1]),
    ip,
    port,
    ipType,
  });
  ctx.deposit({ SubtensorModule: { PrometheusServed: [netuid, hotkey] } });
}
