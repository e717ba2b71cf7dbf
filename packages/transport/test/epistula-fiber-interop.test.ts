// Interop of the Epistula v2 and Fiber wires with independent Python 3 (stdlib only) peers,
// written from shared/reference/wires.md §2–3 (test/python/*_peer.py), over real loopback HTTP:
// a Python client against our verifiers, and a Python server checking what our signers send.
// Python borrows only the sr25519 operation itself from us (no stdlib sr25519), over stdio.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Keypair, verifySignature } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nowNs } from '../src/nonce.js';
import {
  createEpistulaVerifier,
  type EpistulaVerdict,
  epistulaMessage,
  signEpistula,
} from '../src/wires/epistula.js';
import {
  createFiberVerifier,
  type FiberVerdict,
  fiberMessage,
  fiberNonce,
  signFiber,
} from '../src/wires/fiber.js';
import { sha256Hex } from '../src/wires/shared.js';

const PYTHON = '/usr/bin/python3';
const hasPython = existsSync(PYTHON);
if (!hasPython) {
  console.warn(
    '[transport epistula/fiber interop] SKIPPED: /usr/bin/python3 not found (Debian: apt-get install -y python3)',
  );
}
const peerPath = (name: string) => fileURLToPath(new URL(`./python/${name}`, import.meta.url));

const KEYS: Record<string, Keypair> = {
  Alice: Keypair.fromUri('//Alice'),
  Bob: Keypair.fromUri('//Bob'),
  Charlie: Keypair.fromUri('//Charlie'),
};
const [alice, bob, charlie] = [KEYS.Alice!, KEYS.Bob!, KEYS.Charlie!];
const addresses = Object.fromEntries(Object.entries(KEYS).map(([k, v]) => [k, v.ss58Address]));

interface Peer {
  child: ChildProcess;
  /** Resolves with the rest of the first stdout line starting with `prefix`. */
  line(prefix: string): Promise<string>;
}

/** Starts a Python peer and answers its SIGN / VERIFY requests with the dev keys. */
function startPeer(script: string, mode: 'client' | 'server', config: object): Peer {
  const child = spawn(PYTHON, [peerPath(script), mode, JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const waiting = new Map<string, (rest: string) => void>();
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code) => reject(new Error(`${script} ${mode} exited ${code}: ${stderr}`))),
  );
  exited.catch(() => {});
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const [verb, ...args] = line.split(' ');
    if (verb === 'SIGN') {
      const signature = KEYS[args[0]!]!.sign(Buffer.from(args[1]!, 'hex'));
      child.stdin!.write(`0x${Buffer.from(signature).toString('hex')}\n`);
    } else if (verb === 'VERIFY') {
      let ok = false;
      try {
        ok = verifySignature(Buffer.from(args[2]!, 'hex'), args[1]!, args[0]!);
      } catch {}
      child.stdin!.write(ok ? '1\n' : '0\n');
    } else {
      for (const [prefix, resolve] of waiting) {
        if (line.startsWith(`${prefix} `)) {
          waiting.delete(prefix);
          resolve(line.slice(prefix.length + 1));
        }
      }
    }
  });
  return {
    child,
    line: (prefix) =>
      Promise.race([new Promise<string>((resolve) => waiting.set(prefix, resolve)), exited]),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A loopback HTTP server answering every request with what `verify` says. */
async function serve(
  verify: (request: {
    headers: IncomingMessage['headers'];
    body: Buffer;
  }) => Promise<EpistulaVerdict | FiberVerdict>,
): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const verdict = await verify({ headers: req.headers, body: await readBody(req) });
    const [status, out] = verdict.ok
      ? [200, { ok: true, hotkey: verdict.caller.hotkey }]
      : [verdict.refusal.status, { code: verdict.refusal.code, message: verdict.refusal.message }];
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(out));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat` };
}

type Outcome = { status: number; json: Record<string, unknown> };
const summary = (results: Record<string, Outcome>) =>
  Object.fromEntries(
    Object.entries(results).map(([k, r]) => [k, [r.status, r.json.code ?? r.json.ok]]),
  );

async function send(
  url: string,
  headers: Record<string, string>,
  body?: Uint8Array,
  method = 'POST',
): Promise<Outcome> {
  const response = await fetch(url, { method, headers, ...(body ? { body } : {}) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe.skipIf(!hasPython)('Epistula v2 with an independent Python peer', () => {
  let ours: { server: Server; url: string };
  beforeAll(async () => {
    const verifier = createEpistulaVerifier({ hotkey: bob.ss58Address });
    ours = await serve((request) => verifier.verify(request));
  });
  afterAll(() => new Promise<void>((resolve) => ours.server.close(() => resolve())));

  it("accepts a Python sender's requests and refuses its bad ones for the right reasons", async () => {
    const peer = startPeer('epistula_peer.py', 'client', {
      url: ours.url,
      receiver: bob.ss58Address,
      other: charlie.ss58Address,
      addresses,
    });
    const results = JSON.parse(await peer.line('RESULT')) as Record<string, Outcome>;
    peer.child.kill();
    expect(results.valid!.json).toEqual({ ok: true, hotkey: alice.ss58Address });
    expect(summary(results)).toEqual({
      valid: [200, true],
      replayed: [400, 'REPLAYED'],
      get: [200, true],
      stale: [400, 'STALE'],
      future: [400, 'FUTURE'],
      wrong_receiver: [400, 'WRONG_RECEIVER'],
      unbound: [400, 'WRONG_RECEIVER'],
      body_changed: [400, 'BAD_SIGNATURE'],
      malformed_timestamp: [400, 'MALFORMED_HEADER'],
      missing_uuid: [400, 'MISSING_HEADER'],
      version_1: [400, 'UNSUPPORTED_VERSION'],
      bad_signature: [400, 'BAD_SIGNATURE'],
    });
  });

  it('a Python receiver accepts what we sign and refuses our bad requests for the right reasons', async () => {
    const peer = startPeer('epistula_peer.py', 'server', { hotkey: bob.ss58Address, addresses });
    try {
      const url = `http://127.0.0.1:${await peer.line('PORT')}/v1/chat/completions`;
      const body = json({ messages: [{ role: 'user', content: 'héllo "world"' }], seed: 7 });
      const sign = (over: Parameters<typeof signEpistula>[2] = {}, signer = alice, b = body) =>
        signEpistula(signer, b, { signedFor: bob.ss58Address, ...over });
      const detail = (r: Outcome) => [r.status, r.json.detail ?? r.json.ok];

      const headers = sign();
      const valid = await send(url, headers, body);
      expect(valid.json).toMatchObject({ ok: true, signed_by: alice.ss58Address });
      // The message Python rebuilt from the spec is the one we signed.
      expect(valid.json.message).toBe(
        epistulaMessage(
          sha256Hex(body),
          headers['Epistula-Uuid']!,
          headers['Epistula-Timestamp']!,
          bob.ss58Address,
        ),
      );
      expect(detail(await send(url, headers, body))).toEqual([400, 'replayed uuid']);
      const get = await send(url, sign({}, alice, new Uint8Array(0)), undefined, 'GET');
      expect(detail(get)).toEqual([200, true]);
      const stale = sign({ timestampMs: Date.now() - 30_000 });
      expect(detail(await send(url, stale, body))).toEqual([400, 'stale']);
      const future = sign({ timestampMs: Date.now() + 30_000 });
      expect(detail(await send(url, future, body))).toEqual([400, 'future']);
      const other = sign({ signedFor: charlie.ss58Address });
      expect(detail(await send(url, other, body))).toEqual([400, 'not intended for self']);
      expect(detail(await send(url, sign(), json({ seed: 8 })))).toEqual([
        400,
        'signature mismatch',
      ]);
      const malformed = { ...sign(), 'Epistula-Timestamp': 'soon' };
      expect(detail(await send(url, malformed, body))).toEqual([400, 'malformed']);
      const forged = { ...sign({}, charlie), 'Epistula-Signed-By': alice.ss58Address };
      expect(detail(await send(url, forged, body))).toEqual([400, 'signature mismatch']);
    } finally {
      peer.child.kill();
    }
  });
});

describe.skipIf(!hasPython)('Fiber (plain mode) with an independent Python peer', () => {
  let ours: { server: Server; url: string };
  beforeAll(async () => {
    const stakes = new Map([
      [alice.ss58Address, 5_000],
      [charlie.ss58Address, 10],
    ]);
    const verifier = createFiberVerifier(
      { hotkey: bob.ss58Address, minStake: 1_000 },
      { stakeLookup: (hotkey) => stakes.get(hotkey) },
    );
    ours = await serve((request) => verifier.verify(request));
  });
  afterAll(() => new Promise<void>((resolve) => ours.server.close(() => resolve())));

  it("accepts a Python validator's requests and refuses its bad ones for the right reasons", async () => {
    const peer = startPeer('fiber_peer.py', 'client', {
      url: ours.url,
      receiver: bob.ss58Address,
      other: charlie.ss58Address,
      addresses,
    });
    const results = JSON.parse(await peer.line('RESULT')) as Record<string, Outcome>;
    peer.child.kill();
    expect(results.valid!.json).toEqual({ ok: true, hotkey: alice.ss58Address });
    expect(summary(results)).toEqual({
      valid: [200, true],
      replayed: [401, 'REPLAYED'],
      stale: [401, 'STALE'],
      future: [401, 'FUTURE'],
      wrong_receiver: [401, 'WRONG_RECEIVER'],
      body_changed: [401, 'BAD_SIGNATURE'],
      malformed_nonce: [401, 'MALFORMED_HEADER'],
      missing_signature: [422, 'MISSING_HEADER'],
      bad_signature: [401, 'BAD_SIGNATURE'],
      low_stake: [403, 'STAKE_TOO_LOW'],
      encrypted: [501, 'UNSUPPORTED'],
    });
  });

  it('a Python miner accepts what we sign and refuses our bad requests for the right reasons', async () => {
    const peer = startPeer('fiber_peer.py', 'server', {
      hotkey: bob.ss58Address,
      stakes: { [alice.ss58Address]: 5_000, [charlie.ss58Address]: 10 },
      min_stake: 1_000,
      addresses,
    });
    try {
      const url = `http://127.0.0.1:${await peer.line('PORT')}/tune`;
      const body = json({ prompt: 'héllo "world"', n: 7 });
      const sign = (
        over: Partial<Parameters<typeof signFiber>[2]> = {},
        signer = alice,
      ): Record<string, string> => ({
        'content-type': 'application/json',
        ...signFiber(signer, body, { minerHotkey: bob.ss58Address, ...over }),
      });
      const detail = (r: Outcome) => [r.status, r.json.detail ?? r.json.ok];
      const nonceProblem = (problem: string) => `Oi, that nonce is not valid! (${problem})`;
      const badSignature = "Oi, invalid signature, you're not who you said you were!";

      const headers = sign();
      const valid = await send(url, headers, body);
      expect(valid.json).toMatchObject({ ok: true, validator: alice.ss58Address });
      expect(valid.json.message).toBe(
        fiberMessage(headers.nonce!, bob.ss58Address, sha256Hex(body)),
      );
      expect(detail(await send(url, headers, body))).toEqual([
        401,
        nonceProblem('nonce already used'),
      ]);
      const stale = sign({ nonce: fiberNonce(nowNs() - 200_000_000_000n) });
      expect(detail(await send(url, stale, body))).toEqual([401, nonceProblem('nonce too old')]);
      const future = sign({ nonce: fiberNonce(nowNs() + 200_000_000_000n) });
      expect(detail(await send(url, future, body))).toEqual([
        401,
        nonceProblem('nonce from the future'),
      ]);
      const other = sign({ minerHotkey: charlie.ss58Address });
      expect(detail(await send(url, other, body))).toEqual([401, 'wrong miner-hotkey']);
      expect(detail(await send(url, sign(), json({ prompt: 'x', n: 8 })))).toEqual([
        401,
        badSignature,
      ]);
      const malformed = { ...sign(), nonce: 'abc_xxxxxxxxxx' };
      expect(detail(await send(url, malformed, body))).toEqual([
        401,
        nonceProblem('nonce malformed'),
      ]);
      const { signature: _, ...unsigned } = sign();
      expect((await send(url, unsigned, body)).status).toBe(422);
      const forged = { ...sign({}, charlie), 'validator-hotkey': alice.ss58Address };
      expect(detail(await send(url, forged, body))).toEqual([401, badSignature]);
      const low = await send(url, sign({}, charlie), body);
      expect(detail(low)).toEqual([403, 'Insufficient stake of 10 ']);
    } finally {
      peer.child.kill();
    }
  });
});
