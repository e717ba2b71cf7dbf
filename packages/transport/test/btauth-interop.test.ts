// btauth/1 interop with an independent Python peer (test/python/btauth_peer.py, written from
// the spec): a Python client against our verifyBtauth behind node:http, and a Python
// http.server verifying what our signBtauth signs, both over real loopback HTTP, for sr25519 and
// ed25519. Python does ed25519 itself (PyNaCl); for sr25519 it borrows only the primitive
// (sign / verify one message) from this process over a pipe, as test/interop.test.ts does.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DEV_PHRASE, Keypair, mnemonicToMiniSecret, verifySignature } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BtauthScheme,
  btauthPayload,
  createBtauthVerifier,
  ed25519Signer,
  signBtauth,
} from '../src/wires/btauth.js';

const PYTHON = '/usr/bin/python3';
const PEER = fileURLToPath(new URL('./python/btauth_peer.py', import.meta.url));
const hasPython = existsSync(PYTHON);
const hasNacl =
  hasPython && spawnSync(PYTHON, ['-c', 'import nacl.signing'], { stdio: 'ignore' }).status === 0;
if (!hasPython) {
  console.warn('[btauth interop] /usr/bin/python3 not found: Python btauth interop skipped');
} else if (!hasNacl) {
  console.warn(
    '[btauth interop] PyNaCl missing (apt-get install python3-nacl): Python btauth interop skipped',
  );
}

const ALICE_ED_SEED = 'abf8e5bdbe30c65656c0a3cbd181ff8a56294a69dfedd27982aace4a76909115';
const GOLDEN_ED25519_SIGNATURE =
  '0x1a6b631988bf1f7ea093ab9d5acf61f05c316d0b0e428b24b487b75a5f6ee0e1' +
  'a56a26918fdf871b6cf09437e6588023a4ce423cf622621b2a7feee17612f704';
const alice = Keypair.fromUri('//Alice');
const bob = Keypair.fromUri('//Bob');
const charlie = Keypair.fromUri('//Charlie');
const aliceEd = ed25519Signer(Buffer.from(ALICE_ED_SEED, 'hex'));
const SCHEMES: BtauthScheme[] = ['sr25519', 'ed25519'];
const other = (scheme: BtauthScheme): BtauthScheme =>
  scheme === 'sr25519' ? 'ed25519' : 'sr25519';

/** Runs the peer; answers its SIGN / VERIFY lines with the sr25519 primitive only. */
function peer(mode: string, config: unknown, onLine: (line: string) => void = () => {}) {
  const child = spawn(PYTHON, [PEER, mode, JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line.startsWith('SIGN ')) {
      const signature = alice.sign(Buffer.from(line.slice(5), 'hex'));
      child.stdin!.write(`0x${Buffer.from(signature).toString('hex')}\n`);
    } else if (line.startsWith('VERIFY ')) {
      const [message, signature, publicKey] = line.slice(7).split(' ') as [string, string, string];
      const good = verifySignature(
        Buffer.from(message, 'hex'),
        Buffer.from(signature, 'hex'),
        Buffer.from(publicKey, 'hex'),
      );
      child.stdin!.write(good ? '1\n' : '0\n');
    } else {
      onLine(line);
    }
  });
  const exited = new Promise<never>((_, reject) => {
    child.on('exit', (code) => reject(new Error(`python ${mode} exited ${code}: ${stderr}`)));
  });
  return { child, exited };
}

function result<T>(mode: string, config: unknown): Promise<T> {
  const { exited } = peer(mode, config, (line) => {
    if (line.startsWith('RESULT ')) resolve(JSON.parse(line.slice(7)) as T);
  });
  let resolve!: (value: T) => void;
  const got = new Promise<T>((r) => {
    resolve = r;
  });
  return Promise.race([got, exited]);
}

describe.skipIf(!hasNacl)('btauth/1 interop with an independent Python peer', () => {
  it('Python derives the same //Alice ed25519 key and rebuilds the golden vectors', async () => {
    const v = await result<Record<string, string>>('vectors', {
      mini_secret: Buffer.from(mnemonicToMiniSecret(DEV_PHRASE, '')).toString('hex'),
      alice_sr: alice.ss58Address,
      bob: bob.ss58Address,
    });
    expect(v.ed_seed).toBe(ALICE_ED_SEED);
    expect(v.ed_address).toBe(aliceEd.ss58Address);
    expect(v.bob_public).toBe(Buffer.from(bob.publicKey).toString('hex'));
    expect(v.body_sha256).toBe('341c57448e531310fbbe83f44cea2a5e838bd9e8a6b82b269f01d0dbbc23c3cc');
    expect(v.ed_signature).toBe(GOLDEN_ED25519_SIGNATURE);
    const body = new TextEncoder().encode('{"prompt": "hello"}');
    const fields = {
      method: 'POST',
      pathAndQuery: '/generate?stream=false',
      body,
      nonce: 1_752_076_800_000_000_000n,
      receiver: bob.ss58Address,
    };
    const ours = (scheme: BtauthScheme, sender: string) =>
      Buffer.from(btauthPayload({ ...fields, scheme, sender })).toString('utf8');
    expect(v.sr_payload).toBe(ours('sr25519', alice.ss58Address));
    expect(v.ed_payload).toBe(ours('ed25519', aliceEd.ss58Address));
  });

  describe('a Python client against our verifyBtauth (node:http)', () => {
    const servers = new Map<BtauthScheme, { server: Server; url: string }>();
    beforeAll(async () => {
      for (const scheme of SCHEMES) {
        const verifier = createBtauthVerifier({ receiverHotkey: bob.ss58Address, scheme });
        const server = createServer((req, res) => {
          const chunks: Buffer[] = [];
          req.on('data', (c: Buffer) => chunks.push(c));
          req.on('end', async () => {
            const verdict = await verifier.verify({
              method: req.method!,
              pathAndQuery: req.url!,
              headers: req.headersDistinct,
              body: Buffer.concat(chunks),
            });
            const out = verdict.ok
              ? {
                  ok: true,
                  sender: verdict.caller.hotkey,
                  nonce: String(verdict.caller.nonce),
                }
              : { ok: false, kind: verdict.refusal.kind, code: verdict.refusal.code };
            res.writeHead(verdict.ok ? 200 : verdict.refusal.status, {
              'content-type': 'application/json',
            });
            res.end(JSON.stringify(out));
          });
        });
        await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
        const { port } = server.address() as AddressInfo;
        servers.set(scheme, { server, url: `http://127.0.0.1:${port}` });
      }
    });
    afterAll(async () => {
      for (const { server } of servers.values()) {
        await new Promise((r) => server.close(r));
      }
    });

    it('accepts what Python signs and refuses each tampering for its reason', async () => {
      type Reply = { status: number; json: Record<string, unknown> };
      const results = await result<Record<BtauthScheme, Record<string, Reply>>>('client', {
        servers: Object.fromEntries([...servers].map(([s, { url }]) => [s, url])),
        receiver: bob.ss58Address,
        other: charlie.ss58Address,
        sr_sender: alice.ss58Address,
        ed_seed: ALICE_ED_SEED,
      });
      for (const scheme of SCHEMES) {
        const r = results[scheme];
        const sender = scheme === 'sr25519' ? alice.ss58Address : aliceEd.ss58Address;
        expect(r.sender, scheme).toBe(sender);
        expect(r.valid, scheme).toEqual({
          status: 200,
          json: { ok: true, sender, nonce: expect.stringMatching(/^\d{19}$/) },
        });
        expect(r.lowercase_names_upper_crypto!.status, scheme).toBe(200);
        const refused = (name: string, kind: string, code: string) =>
          expect(r[name], `${scheme} ${name}`).toEqual({
            status: 401,
            json: { ok: false, kind, code },
          });
        refused('replayed', 'ReplayedRequest', 'REPLAYED');
        refused('stale', 'StaleRequest', 'NONCE_TOO_OLD');
        refused('future', 'StaleRequest', 'NONCE_IN_FUTURE');
        refused('wrong_receiver', 'WrongReceiver', 'WRONG_RECEIVER');
        refused('missing_receiver', 'WrongReceiver', 'MISSING_RECEIVER');
        refused('body_changed', 'BadSignature', 'BAD_SIGNATURE');
        refused('path_changed', 'BadSignature', 'BAD_SIGNATURE');
        refused('method_changed', 'BadSignature', 'BAD_SIGNATURE');
        refused('wrong_scheme', 'MalformedAuth', 'SCHEME_MISMATCH');
      }
      // An ed25519 signature with its Crypto header stripped is checked as sr25519 only.
      expect(results.ed25519.crypto_stripped_to_sr).toEqual({
        status: 401,
        json: { ok: false, kind: 'BadSignature', code: 'BAD_SIGNATURE' },
      });
    });
  });

  describe('our signBtauth against a Python http.server', () => {
    const pythons = new Map<BtauthScheme, { child: ChildProcess; port: number }>();
    beforeAll(async () => {
      for (const scheme of SCHEMES) {
        let resolvePort!: (port: number) => void;
        const port = new Promise<number>((r) => {
          resolvePort = r;
        });
        const { child, exited } = peer('server', { scheme, self: bob.ss58Address }, (line) => {
          if (line.startsWith('PORT ')) resolvePort(Number(line.slice(5)));
        });
        pythons.set(scheme, { child, port: await Promise.race([port, exited]) });
      }
    });
    afterAll(() => {
      for (const { child } of pythons.values()) child.kill();
    });

    type PyReply = { status: number; json: Record<string, unknown> };
    function send(
      scheme: BtauthScheme,
      method: string,
      path: string,
      headers: Record<string, string>,
      body: Uint8Array,
    ): Promise<PyReply> {
      return new Promise((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: pythons.get(scheme)!.port,
            method,
            path,
            headers: { ...headers, 'content-length': String(body.length) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode!,
                json: JSON.parse(Buffer.concat(chunks).toString()),
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    }

    const body = new TextEncoder().encode('{"prompt": "héllo", "n": 3}');
    const target = '/generate%20now/%E2%9C%93?stream=false&q=a%2Fb';
    const sign = (scheme: BtauthScheme, changes: Partial<Parameters<typeof signBtauth>[0]> = {}) =>
      signBtauth({
        method: 'POST',
        pathAndQuery: target,
        body,
        ...(scheme === 'sr25519' ? { keypair: alice } : { signer: aliceEd }),
        receiver: bob.ss58Address,
        ...changes,
      });

    for (const scheme of SCHEMES) {
      it(`${scheme}: Python accepts our requests, rebuilds our payload, and refuses tampering`, async () => {
        const headers = sign(scheme);
        const valid = await send(scheme, 'POST', target, headers, body);
        const sender = scheme === 'sr25519' ? alice.ss58Address : aliceEd.ss58Address;
        expect(valid.status, JSON.stringify(valid.json)).toBe(200);
        expect(valid.json.sender).toBe(sender);
        const ours = btauthPayload({
          scheme,
          method: 'POST',
          pathAndQuery: target,
          body,
          nonce: BigInt(headers['X-Bittensor-Nonce']!),
          sender,
          receiver: bob.ss58Address,
        });
        expect(valid.json.payload).toBe(Buffer.from(ours).toString('hex'));

        const expectRefused = async (reply: Promise<PyReply>, error: string, what: string) => {
          const r = await reply;
          expect(r.status, what).toBe(401);
          expect(r.json.error, `${what}: ${JSON.stringify(r.json)}`).toBe(error);
        };
        await expectRefused(
          send(scheme, 'POST', target, headers, body),
          'ReplayedRequest',
          'replay',
        );
        const now = BigInt(Date.now()) * 1_000_000n;
        await expectRefused(
          send(scheme, 'POST', target, sign(scheme, { nonce: now - 20_000_000_000n }), body),
          'StaleRequest',
          'stale',
        );
        await expectRefused(
          send(scheme, 'POST', target, sign(scheme, { nonce: now + 5_000_000_000n }), body),
          'StaleRequest',
          'future',
        );
        await expectRefused(
          send(scheme, 'POST', target, sign(scheme, { receiver: charlie.ss58Address }), body),
          'WrongReceiver',
          'wrong receiver',
        );
        await expectRefused(
          send(scheme, 'POST', target, sign(scheme, { receiver: null }), body),
          'WrongReceiver',
          'unbound',
        );
        await expectRefused(
          send(scheme, 'POST', target, sign(scheme), new TextEncoder().encode('{"prompt": "hi"}')),
          'BadSignature',
          'body changed',
        );
        await expectRefused(
          send(scheme, 'POST', '/generate?stream=true', sign(scheme), body),
          'BadSignature',
          'path changed',
        );
        await expectRefused(
          send(scheme, 'PUT', target, sign(scheme), body),
          'BadSignature',
          'method changed',
        );
        await expectRefused(
          send(other(scheme), 'POST', target, sign(scheme), body),
          'MalformedAuth',
          'wrong scheme',
        );
      });
    }
  });
});
