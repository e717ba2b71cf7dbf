// The request pipeline. The wire is told from the headers first (mixed or not enabled → 400).
// Synapse wire, in the SDK's order: route → blacklist (403) → verify (401) → rate limit (429) →
// priority (503/408) → forward (408/500). Signed wires (btauth, Epistula, Fiber): route → body
// → verify (the wire's statuses) → blacklist (403) → input (400) → the same tail. Every step
// throws a `Rejection`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@subnetkit/core';
import type { RateLimiter } from '../ratelimit.js';
import { parseFloatHeader } from '../synapse-headers.js';
import { type Exchange, notVerified, overBudget, Rejection } from './exchange.js';
import { forward } from './forward.js';
import { type BodyBudget, readBody, routeName } from './http.js';
import type { ResolvedAxonOptions } from './options.js';
import type { PriorityGate } from './queue.js';
import type { ReplyWriter } from './reply.js';
import { type RequestInfo, type Route, readVerdict } from './types.js';
import { awaitBody, type Claim, parseInput, type RequestVerifier } from './verify.js';
import { chooseWire, verifyWire, type WireVerifiers } from './wires.js';

/** The axon's parts the pipeline runs through. */
export interface PipelineParts {
  options: ResolvedAxonOptions;
  routes: ReadonlyMap<string, Route>;
  draining: () => boolean;
  verify: RequestVerifier;
  /** The signed wires' verifiers (those enabled). */
  wires: WireVerifiers;
  rateLimiter: RateLimiter | undefined;
  gate: PriorityGate;
  /** Request-body bytes held over all requests (`maxBodyBytesInFlight`). */
  bodies: BodyBudget;
  replies: ReplyWriter;
  logger: Logger;
}

/**
 * Runs a request through the pipeline. The steps that need nothing asynchronous (wire, route,
 * method, size, the auth headers) run here and throw their `Rejection` synchronously, so a
 * turned-away request (every unsigned one) costs no rejected promise; the returned promise
 * runs the rest and rejects with the later steps' `Rejection`s.
 */
export function runPipeline(
  req: IncomingMessage,
  res: ServerResponse,
  ex: Exchange,
  p: PipelineParts,
): Promise<void> {
  const o = p.options;
  // Until the wire is known, replies carry no bt_header_*.
  ex.plain = true;
  const wire = chooseWire(req.headers, o.wires, ex);
  ex.wire = wire;
  ex.plain = wire !== 'synapse';
  const name = routeName(req.url);
  const route = name !== undefined ? p.routes.get(name) : undefined;
  if (!route) throw new Rejection(404, 'not_found', `Synapse name '${name ?? req.url}' not found`);
  ex.route = route.def.name;
  if (req.method !== 'POST' && req.method !== 'GET') {
    throw new Rejection(405, 'method_not_allowed', `Method ${req.method} not allowed`);
  }
  if (p.draining()) throw new Rejection(503, 'shutting_down', 'Axon is shutting down');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > o.maxBodyBytes) {
    throw new Rejection(413, 'body_too_large', `Request body over ${o.maxBodyBytes} bytes`);
  }
  if (wire !== 'synapse') return runSignedWire(req, res, ex, p, route, wire, declared);
  // Auth headers first: an unsigned request is turned away before its body is read.
  const claim = p.verify.readClaim(req, ex);
  // Memory over all requests is bounded: a declared body is counted before a byte is read.
  const body = startBody(req, ex, p, declared);
  return runSynapse(req, res, ex, p, route, claim, body);
}

/** The Synapse wire once its auth headers are read: blacklist, verify, input, forward. */
async function runSynapse(
  req: IncomingMessage,
  res: ServerResponse,
  ex: Exchange,
  p: PipelineParts,
  route: Route,
  claim: Claim,
  body: Promise<Buffer>,
): Promise<void> {
  const { caller, timeout } = claim;
  const info: RequestInfo = {
    name: route.def.name,
    dendrite: caller,
    timeout,
    headers: req.headers,
    wire: 'synapse',
  };

  // Blacklist (403), on headers only, as the SDK does. (Steps a route does not have are
  // skipped without an await: each costs a promise and a microtask turn per request.)
  if (route.handlers.blacklist) await checkBlacklist(route, info);

  // Verify (401): nonce window, signature addressed to *our* hotkey, then body hash.
  await p.verify.checkSignature(claim, ex);
  const input = await p.verify.readInput(route.def, body, claim);
  if (route.handlers.verify) await runExtraVerify(route, input, info);

  await admitAndForward(res, ex, p, route, input, info);
}

/**
 * Starts reading the body, counted against the in-flight budget before a byte is read (503
 * past it); the exchange releases the bytes when it ends.
 */
function startBody(
  req: IncomingMessage,
  ex: Exchange,
  p: PipelineParts,
  declared: number,
): Promise<Buffer> {
  const read = readBody(req, p.options.maxBodyBytes, p.bodies, declared);
  if (!read) throw overBudget(p.options.maxBodyBytesInFlight);
  ex.releaseBody = read.release;
  read.body.catch(() => {});
  return read.body;
}

/** The route's blacklist (403). */
async function checkBlacklist(route: Route, info: RequestInfo): Promise<void> {
  if (!route.handlers.blacklist) return;
  const [blacklisted, reason] = readVerdict(await route.handlers.blacklist(info));
  if (blacklisted) {
    throw new Rejection(403, 'blacklisted', `Forbidden. Key is blacklisted: ${reason}.`);
  }
}

/** The route's own extra verification, after the built-in one (throwing → 401). */
async function runExtraVerify(
  route: Route,
  input: Record<string, unknown>,
  info: RequestInfo,
): Promise<void> {
  if (!route.handlers.verify) return;
  try {
    await route.handlers.verify(input, info);
  } catch (err) {
    throw notVerified('bad_signature', `${(err as Error)?.message ?? err}`);
  }
}

/** Rate limit (429), priority (503/408), then forward (408/500): the same on every wire. */
async function admitAndForward(
  res: ServerResponse,
  ex: Exchange,
  p: PipelineParts,
  route: Route,
  input: Record<string, unknown>,
  info: RequestInfo,
): Promise<void> {
  const { timeout } = info;
  // Rate limit per verified hotkey (429).
  if (p.rateLimiter && !p.rateLimiter.take(info.dendrite.hotkey)) {
    throw new Rejection(429, 'rate_limited', 'Too many requests from this hotkey');
  }

  // Priority (503 queue full, 408 waited past the timeout).
  const deadline = ex.start + timeout * 1000;
  const priority = route.handlers.priority ? Number(await route.handlers.priority(input, info)) : 0;
  const admission = p.gate.acquire(Number.isFinite(priority) ? priority : 0, deadline);
  const granted = typeof admission === 'string' ? admission : await admission;
  if (granted === 'full') {
    throw new Rejection(503, 'overloaded', 'Service at capacity, try again later');
  }
  if (granted === 'timeout') {
    throw new Rejection(408, 'queue_timeout', `Response timeout after: ${timeout}s`);
  }

  // Forward (408 past the deadline, 500 when the handler throws).
  try {
    await forward(res, ex, { route, input, info, deadline }, p.replies, p.logger);
  } finally {
    p.gate.release();
  }
}

/**
 * A signed wire (btauth, Epistula, Fiber): the whole body is read (bounded as on Synapse), the
 * wire module verifies its raw bytes and the raw target as sent, then the blacklist sees the
 * verified caller, and the body is the synapse's input fields as plain JSON.
 */
async function runSignedWire(
  req: IncomingMessage,
  res: ServerResponse,
  ex: Exchange,
  p: PipelineParts,
  route: Route,
  wire: 'btauth' | 'epistula' | 'fiber',
  declared: number,
): Promise<void> {
  const o = p.options;
  // These wires carry no timeout; our dendrite sends an unsigned `timeout` hint (capped).
  let timeout = o.defaultTimeoutS;
  const timeoutText = req.headers.timeout;
  if (timeoutText !== undefined) {
    const t = parseFloatHeader(Array.isArray(timeoutText) ? undefined : timeoutText);
    if (t === undefined || !Number.isFinite(t) || t <= 0) {
      throw new Rejection(400, 'bad_request', 'Header "timeout" is not a positive number');
    }
    timeout = Math.min(t, o.maxTimeoutS);
  }
  ex.timeout = timeout;
  const raw = await awaitBody(startBody(req, ex, p, declared), o);

  // Verify with the wire's module: its checks, in its order, with its statuses.
  const caller = await verifyWire(wire, p.wires, req, raw, ex);
  ex.hotkey = caller.hotkey;
  const info: RequestInfo = {
    name: route.def.name,
    dendrite: caller,
    timeout,
    headers: req.headers,
    wire,
  };

  // Blacklist (403), on the verified caller.
  if (route.handlers.blacklist) await checkBlacklist(route, info);
  const { input } = parseInput(route.def, raw);
  if (route.handlers.verify) await runExtraVerify(route, input, info);
  await admitAndForward(res, ex, p, route, input, info);
}
