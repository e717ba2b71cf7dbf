// The REAL dendrite (`createDendrite`, a per-target `wire`) against the independent Python
// servers (test/python/*_peer.py `server` mode, written from shared/reference/wires.md) over
// loopback HTTP. The interop tests check what the pure signBtauth/signEpistula/signFiber
// produce; this checks what the dendrite actually puts on the wire: the path it signs, the JSON
// body it sends (Python hashes the bytes it received), the receiver it binds to the target's
// hotkey and a fresh nonce per call. Python borrows only sr25519 verification from this process
// over stdio (it has no stdlib sr25519); every other check is Python's.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { verifySignature } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  type AnySynapse,
  createDendrite,
  type Dendrite,
  defineSynapse,
  type OutputOf,
  type WireName,
} from '../src/index.js';
import { alice, bob, charlie, silent } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const hasPython = existsSync(PYTHON);
const hasNacl =
  hasPython && spawnSync(PYTHON, ['-c', 'import nacl.signing'], { stdio: 'ignore' }).status === 0;
if (!hasPython) {
  console.warn(
    '[transport real dendrite → Python servers] SKIPPED: /usr/bin/python3 not found (Debian: apt-get install -y python3)',
  );
} else if (!hasNacl) {
  console.warn(
    '[transport real dendrite → Python servers] btauth part SKIPPED: PyNaCl missing (apt-get install python3-nacl)',
  );
}

const addresses = { Alice: alice.ss58Address, Bob: bob.ss58Address, Charlie: charlie.ss58Address };

type Script = 'btauth_peer.py' | 'epistula_peer.py' | 'fiber_peer.py';

/**
 * Runs `script server <config>`, answers its sr25519 VERIFY requests and resolves with its port.
 * btauth_peer asks `VERIFY <message hex> <signature hex> <public key hex>`, the Epistula and
 * Fiber peers `VERIFY <ss58> <0x signature> <message hex>`; the answer is `1` or `0`.
 */
function startServer(
  script: Script,
  config: object,
): Promise<{ child: ChildProcess; port: number }> {
  const path = fileURLToPath(new URL(`./python/${script}`, import.meta.url));
  const child = spawn(PYTHON, [path, 'server', JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`${script} server exited ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [verb, ...args] = line.split(' ');
      if (verb === 'PORT') {
        resolve({ child, port: Number(args[0]) });
      } else if (verb === 'VERIFY') {
        let good = false;
        try {
          good =
            script === 'btauth_peer.py'
              ? verifySignature(
                  Buffer.from(args[0]!, 'hex'),
                  Buffer.from(args[1]!, 'hex'),
                  Buffer.from(args[2]!, 'hex'),
                )
              : verifySignature(Buffer.from(args[2]!, 'hex'), args[1]!, args[0]!);
        } catch {}
        child.stdin!.write(good ? '1\n' : '0\n');
      }
    });
  });
}

// One synapse per wire: its output is what that Python server answers on success (optional, as
// defineSynapse requires of output fields: they are empty in requests).
const input = { q: z.string() };
const BtauthEcho = defineSynapse({
  name: 'BtauthEcho',
  input,
  output: {
    ok: z.literal(true).optional(),
    sender: z.string().optional(),
    payload: z.string().optional(),
    body_sha256: z.string().optional(),
  },
});
const EpistulaEcho = defineSynapse({
  name: 'EpistulaEcho',
  input,
  output: {
    ok: z.literal(true).optional(),
    signed_by: z.string().optional(),
    message: z.string().optional(),
    body_sha256: z.string().optional(),
  },
});
const FiberEcho = defineSynapse({
  name: 'FiberEcho',
  input,
  output: {
    ok: z.literal(true).optional(),
    validator: z.string().optional(),
    message: z.string().optional(),
    body_sha256: z.string().optional(),
  },
});

interface Case<S extends AnySynapse> {
  wire: Exclude<WireName, 'synapse'>;
  script: Script;
  config: object;
  def: S;
  /** The sender the Python server verified. */
  sender(out: OutputOf<S>): string;
  /** The body hash in the message Python rebuilt and verified (not only the one it reports). */
  signedBodyHash(out: OutputOf<S>): string;
  /** What the server keys replays by (a reused one would be refused). */
  replayKey(out: OutputOf<S>): string;
  /** The server's answer to a request signed for another hotkey: [status, detail]. */
  wrongReceiver: [number, string];
  /** Needs PyNaCl (btauth_peer imports it). */
  nacl?: boolean;
}
const defineCase = <S extends AnySynapse>(c: Case<S>) => c;

const CASES = [
  defineCase({
    wire: 'btauth',
    script: 'btauth_peer.py',
    config: { scheme: 'sr25519', self: bob.ss58Address },
    def: BtauthEcho,
    sender: (out) => out.sender!,
    // btauth/1 <scheme> <METHOD> <target> <sha256(body)> <nonce> <sender> <receiver>
    signedBodyHash: (out) => Buffer.from(out.payload!, 'hex').toString('utf8').split('\n')[4]!,
    replayKey: (out) => Buffer.from(out.payload!, 'hex').toString('utf8').split('\n')[5]!,
    wrongReceiver: [401, 'wrong receiver'],
    nacl: true,
  }),
  defineCase({
    wire: 'epistula',
    script: 'epistula_peer.py',
    config: { hotkey: bob.ss58Address, addresses },
    def: EpistulaEcho,
    sender: (out) => out.signed_by!,
    // <sha256(body)>.<uuid>.<timestamp>.<signed_for>
    signedBodyHash: (out) => out.message!.split('.')[0]!,
    replayKey: (out) => out.message!.split('.')[1]!,
    wrongReceiver: [400, 'not intended for self'],
  }),
  defineCase({
    wire: 'fiber',
    script: 'fiber_peer.py',
    config: {
      hotkey: bob.ss58Address,
      stakes: { [alice.ss58Address]: 5_000 },
      min_stake: 1_000,
      addresses,
    },
    def: FiberEcho,
    sender: (out) => out.validator!,
    // <nonce>:<miner hotkey>:<sha256(body)>
    signedBodyHash: (out) => out.message!.split(':')[2]!,
    replayKey: (out) => out.message!.split(':')[0]!,
    wrongReceiver: [401, 'wrong miner-hotkey'],
  }),
] as Case<AnySynapse>[];

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe.skipIf(!hasPython)(
  'the signed wires: the real dendrite → independent Python servers',
  () => {
    const servers = new Map<WireName, { child: ChildProcess; port: number }>();
    let dendrite: Dendrite;

    beforeAll(async () => {
      const wanted = CASES.filter((c) => hasNacl || !c.nacl);
      const started = await Promise.all(wanted.map((c) => startServer(c.script, c.config)));
      for (const [i, c] of wanted.entries()) servers.set(c.wire, started[i]!);
      dendrite = createDendrite({ keypair: alice }, { logger: silent });
    });
    afterAll(async () => {
      for (const { child } of servers.values()) child.kill();
      await dendrite?.close();
    });

    for (const c of CASES) {
      it.skipIf(c.nacl && !hasNacl)(`${c.wire} (${c.script})`, async () => {
        const { port } = servers.get(c.wire)!;
        const target = { ip: '127.0.0.1', port, hotkey: bob.ss58Address, wire: c.wire };
        const q = `hello ${randomBytes(8).toString('hex')} “ünïcode”`;
        // The dendrite's body on a signed wire: the input fields as plain JSON.
        const bodySha = sha256Hex(JSON.stringify({ q }));

        // Two calls in a row with the same input: both accepted, each under a fresh nonce.
        const first = await dendrite.call(target, c.def, { q }, { timeout: 5 });
        const second = await dendrite.call(target, c.def, { q }, { timeout: 5 });
        const keys: string[] = [];
        for (const [n, r] of [first, second].entries()) {
          const what = `${c.wire} call ${n + 1}: ${r.dendrite.status_code} ${r.dendrite.status_message}`;
          expect(r.ok, what).toBe(true);
          expect(r.error, what).toBeUndefined();
          expect(r.dendrite.status_code, what).toBe(200);
          expect(r.wire, what).toBe(c.wire);
          expect(r.input, what).toEqual({ q });
          const out = r.output!;
          expect(out.ok, what).toBe(true);
          // The sender Python verified is the dendrite's hotkey.
          expect(c.sender(out), what).toBe(alice.ss58Address);
          // The body arrived intact: Python's hash of the bytes it received, and the hash in the
          // message whose signature it verified, are both the hash of our input as JSON.
          expect(out.body_sha256, what).toBe(bodySha);
          expect(c.signedBodyHash(out), what).toBe(bodySha);
          keys.push(c.replayKey(out));
        }
        expect(keys[0]).toMatch(/\S/);
        expect(keys[1]).not.toBe(keys[0]);

        // Signed for another hotkey than the server's: Python refuses it as a wrong receiver, and
        // our result carries the server's status and detail (not an error of ours).
        const misaddressed = await dendrite.call(
          { ...target, hotkey: charlie.ss58Address },
          c.def,
          { q },
          { timeout: 5 },
        );
        expect(misaddressed.ok).toBe(false);
        expect(misaddressed.wire).toBe(c.wire);
        expect(misaddressed.output).toBeUndefined();
        expect(misaddressed.error).toBeUndefined();
        expect([misaddressed.dendrite.status_code, misaddressed.dendrite.status_message]).toEqual(
          c.wrongReceiver,
        );
        expect(misaddressed.axon.status_code).toBe(c.wrongReceiver[0]);

        // The server still accepts a correctly addressed call afterwards.
        const again = await dendrite.call(target, c.def, { q: `${q}!` }, { timeout: 5 });
        expect(again.ok, again.dendrite.status_message).toBe(true);
        expect(again.output!.body_sha256).toBe(sha256Hex(JSON.stringify({ q: `${q}!` })));
      });
    }
  },
);
