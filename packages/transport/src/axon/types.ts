// What handlers and blacklists see, and what an attached route holds.
import type { IncomingHttpHeaders } from 'node:http';
import type { AnySynapse, InputOf, OutputInitOf, TerminalInfo } from '../synapse.js';

/**
 * The wires an axon can serve and a dendrite can speak: the SDK ≤ 10 Synapse wire
 * (`bt_header_*`), btauth/1 (SDK 11 `http_auth`, `X-Bittensor-*`), Epistula v2 (`Epistula-*`)
 * and Fiber plain mode (`validator-hotkey`, `miner-hotkey`, `nonce`, `signature`).
 */
export type WireName = 'synapse' | 'btauth' | 'epistula' | 'fiber';

/** The verified caller of a request, as the handlers see it. */
export interface CallerInfo extends TerminalInfo {
  hotkey: string;
  uuid: string;
  nonce: bigint;
  /** TCP peer address (the header value is replaced, as the SDK does). */
  ip: string;
  port: number;
}

/** What blacklist functions see: header-derived data only (the body is not read yet). */
export interface RequestInfo {
  /** The synapse (route) name. */
  name: string;
  /** The caller's hotkey as claimed (not yet verified when blacklist runs). */
  dendrite: CallerInfo;
  /** The call timeout in seconds (the caller's, capped by `maxTimeoutS`). */
  timeout: number;
  headers: IncomingHttpHeaders;
  /**
   * The wire the request came over. On `synapse` the blacklist sees the hotkey as claimed (SDK
   * order); on the other wires it runs after verification, so `dendrite.hotkey` is verified.
   */
  wire: WireName;
}

/** What handlers see: the verified request plus an AbortSignal (timeout or caller gone). */
export interface HandlerContext extends RequestInfo {
  signal: AbortSignal;
}

export type BlacklistVerdict =
  | boolean
  | readonly [blacklisted: boolean, reason: string]
  | { blacklisted: boolean; reason?: string };

export type StreamChunk = string | Uint8Array;

type ForwardResult<S extends AnySynapse> = S['streaming'] extends true
  ? AsyncIterable<StreamChunk>
  : OutputInitOf<S>;

export interface SynapseHandlers<S extends AnySynapse> {
  /** Answers a verified request. Streaming synapses return an async iterable of chunks. */
  forward(input: InputOf<S>, ctx: HandlerContext): ForwardResult<S> | Promise<ForwardResult<S>>;
  /** Runs before verification (SDK order); true → 403. */
  blacklist?(info: RequestInfo): BlacklistVerdict | Promise<BlacklistVerdict>;
  /** Extra verification after the built-in one (which always runs); throwing → 401. */
  verify?(input: InputOf<S>, info: RequestInfo): void | Promise<void>;
  /** Higher runs first when requests have to queue. */
  priority?(input: InputOf<S>, info: RequestInfo): number | Promise<number>;
}

/** On-chain style description of where an axon is, for dendrites. */
export interface AxonTarget {
  ip: string;
  port: number;
  hotkey: string;
  /** The wire this axon speaks (dendrite side; default: the dendrite's `wire` option). */
  wire?: WireName;
}

/** One attached synapse. */
export interface Route {
  def: AnySynapse;
  handlers: SynapseHandlers<AnySynapse>;
}

/** `[blacklisted, reason]` from any of the verdict shapes a blacklist function may return. */
export function readVerdict(verdict: BlacklistVerdict): readonly [boolean, string] {
  if (typeof verdict === 'boolean') return [verdict, ''];
  if (Array.isArray(verdict)) return verdict as readonly [boolean, string];
  const v = verdict as { blacklisted: boolean; reason?: string };
  return [v.blacklisted, v.reason ?? ''];
}
