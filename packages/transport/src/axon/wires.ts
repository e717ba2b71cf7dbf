// One handler, many wires: telling a request's wire by its headers, and verifying the signed
// wires beside Synapse (btauth/1, Epistula v2, Fiber plain mode) with the pure wire modules,
// over the raw body bytes as received and the raw request target as sent.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Keypair } from '@subnetkit/wallet';
import type { AxonOutcome } from '../metrics.js';
import { type BtauthVerifier, createBtauthVerifier } from '../wires/btauth.js';
import { createEpistulaVerifier, type EpistulaVerifier } from '../wires/epistula.js';
import { createFiberVerifier, type FiberVerifier } from '../wires/fiber.js';
import { MemoryReplayStore } from '../wires/replay.js';
import type { WireRefusal } from '../wires/shared.js';
import { type Exchange, Rejection } from './exchange.js';
import type { AxonComponents, ResolvedAxonOptions } from './options.js';
import type { CallerInfo, WireName } from './types.js';

/** The wires whose headers a request carries (header names are lowercase in node). */
export function wiresOf(headers: IncomingHttpHeaders): WireName[] {
  let synapse = false;
  let btauth = false;
  let epistula = false;
  let fiber = false;
  for (const name of Object.keys(headers)) {
    if (name.startsWith('bt_header_') || name === 'computed_body_hash') synapse = true;
    else if (name.startsWith('x-bittensor-')) btauth = true;
    else if (name.startsWith('epistula-')) epistula = true;
    else if (
      name === 'validator-hotkey' ||
      name === 'miner-hotkey' ||
      name === 'symmetric-key-uuid'
    )
      fiber = true;
  }
  const out: WireName[] = [];
  if (synapse) out.push('synapse');
  if (btauth) out.push('btauth');
  if (epistula) out.push('epistula');
  if (fiber) out.push('fiber');
  return out;
}

/**
 * The wire of a request, or a rejection: two wires' headers (400), a wire this axon does not
 * serve (400), or no wire's headers when the Synapse wire is not served (401; with Synapse
 * served, such a request goes down its path and gets its 401, as before).
 */
export function chooseWire(
  headers: IncomingHttpHeaders,
  enabled: readonly WireName[],
  ex: Exchange,
): WireName {
  const found = wiresOf(headers);
  if (found.length > 1) {
    throw new Rejection(
      400,
      'mixed_wires',
      `Request mixes the headers of wires ${found.join(' and ')}: send one wire's headers only`,
    );
  }
  const wire = found[0];
  if (wire === undefined) {
    if (enabled.includes('synapse')) return 'synapse';
    if (enabled.length === 1) return enabled[0]!;
    throw new Rejection(
      401,
      'unsigned',
      `Unsigned request: no headers of a wire this axon serves (${enabled.join(', ')})`,
    );
  }
  if (!enabled.includes(wire)) {
    ex.wire = wire;
    throw new Rejection(
      400,
      'wire_not_enabled',
      `Wire ${wire} is not enabled on this axon (enabled: ${enabled.join(', ')})`,
    );
  }
  return wire;
}

/** The verifiers of the signed wires an axon serves. */
export interface WireVerifiers {
  btauth?: BtauthVerifier;
  epistula?: EpistulaVerifier;
  fiber?: FiberVerifier;
}

/** Builds the enabled wires' verifiers (bad settings throw `TransportError` at construction). */
export function createWireVerifiers(
  keypair: Keypair,
  o: ResolvedAxonOptions,
  components: AxonComponents,
): WireVerifiers {
  const hotkey = keypair.ss58Address;
  const replayStore = components.replayStore ?? new MemoryReplayStore();
  const out: WireVerifiers = {};
  if (o.wires.includes('btauth')) {
    out.btauth = createBtauthVerifier(
      {
        receiverHotkey: hotkey,
        scheme: o.btauth.scheme ?? 'sr25519',
        ...(o.btauth.requireReceiver === undefined
          ? {}
          : { requireReceiver: o.btauth.requireReceiver }),
        ...(o.btauth.window ? { window: o.btauth.window } : {}),
      },
      { replayStore },
    );
  }
  if (o.wires.includes('epistula')) {
    out.epistula = createEpistulaVerifier({ ...o.epistula, hotkey }, { replayStore });
  }
  if (o.wires.includes('fiber')) {
    out.fiber = createFiberVerifier(
      { ...o.fiber, hotkey },
      {
        replayStore,
        // Only with minStake: the lookup serves nothing else (and the verifier refuses one alone).
        ...(o.fiber.minStake !== undefined && components.stakeLookup
          ? { stakeLookup: components.stakeLookup }
          : {}),
      },
    );
  }
  return out;
}

/** How a wire refusal is counted (its code goes to the metrics as `reason`). */
function outcomeOf(code: string): AxonOutcome {
  if (code.startsWith('MISSING_') && code !== 'MISSING_RECEIVER') return 'unsigned';
  switch (code) {
    case 'WRONG_RECEIVER':
    case 'MISSING_RECEIVER':
      return 'wrong_receiver';
    case 'STALE':
    case 'FUTURE':
    case 'NONCE_TOO_OLD':
    case 'NONCE_IN_FUTURE':
      return 'stale_nonce';
    case 'REPLAYED':
      return 'replayed';
    case 'NOT_REGISTERED':
    case 'STAKE_TOO_LOW':
      return 'blacklisted';
    case 'REPLAY_STORE_UNAVAILABLE':
    case 'STAKE_LOOKUP_FAILED':
      return 'overloaded';
    case 'UNSUPPORTED':
      return 'not_implemented';
    default:
      return 'bad_signature';
  }
}

/** A wire verifier's refusal as the axon's rejection (status as the wire's reference answers). */
export function refusalRejection(ex: Exchange, refusal: WireRefusal<string, string>): Rejection {
  ex.reason = refusal.code;
  return new Rejection(
    refusal.status,
    outcomeOf(refusal.code),
    `${refusal.code}: ${refusal.message}`,
  );
}

/**
 * Verifies `body` (the raw bytes as received) on a signed wire and returns the verified caller
 * in the handlers' shape: `nonce` in ns, `uuid` the wire's request id (Epistula's uuid, Fiber's
 * nonce text; empty for btauth, which has none).
 */
export async function verifyWire(
  wire: Exclude<WireName, 'synapse'>,
  verifiers: WireVerifiers,
  req: IncomingMessage,
  body: Buffer,
  ex: Exchange,
): Promise<CallerInfo> {
  const base = { ip: req.socket.remoteAddress ?? '', port: req.socket.remotePort ?? 0 };
  const headers = req.headers;
  if (wire === 'btauth') {
    const v = await verifiers.btauth!.verify({
      method: req.method ?? '',
      pathAndQuery: req.url ?? '',
      headers,
      body,
    });
    if (!v.ok) throw refusalRejection(ex, v.refusal);
    return { ...base, hotkey: v.caller.hotkey, uuid: '', nonce: v.caller.nonce };
  }
  if (wire === 'epistula') {
    const v = await verifiers.epistula!.verify({ headers, body });
    if (!v.ok) throw refusalRejection(ex, v.refusal);
    const nonce = BigInt(v.caller.timestampMs) * 1_000_000n;
    return { ...base, hotkey: v.caller.hotkey, uuid: v.caller.uuid, nonce };
  }
  const v = await verifiers.fiber!.verify({ headers, body });
  if (!v.ok) throw refusalRejection(ex, v.refusal);
  return { ...base, hotkey: v.caller.hotkey, uuid: v.caller.nonce, nonce: v.caller.timeNs };
}
