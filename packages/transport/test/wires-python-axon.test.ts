// The independent Python peers (test/python/*_peer.py, written from shared/reference/wires.md)
// as clients of the REAL axon: `createAxon` serving all four wires with one attached synapse
// handler, over loopback HTTP. The interop tests check the pure verify functions behind a bare
// node:http server; this checks what the axon does with the same requests: a valid one reaches
// the handler and gets its answer, each refused one gets the wire's status and code, and the
// handler never runs for it. Python borrows only sr25519 signing from this process (stdio).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Axon, createAxon, TransportMetrics, type WireName } from '../src/index.js';
import { alice, bob, charlie, DummySynapse, silent } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const hasPython = existsSync(PYTHON);
const hasNacl =
  hasPython && spawnSync(PYTHON, ['-c', 'import nacl.signing'], { stdio: 'ignore' }).status === 0;
if (!hasPython) {
  console.warn(
    '[transport wires ← Python, real axon] SKIPPED: /usr/bin/python3 not found (Debian: apt-get install -y python3)',
  );
} else if (!hasNacl) {
  console.warn(
    '[transport wires ← Python, real axon] btauth part SKIPPED: PyNaCl missing (apt-get install python3-nacl)',
  );
}

/** //Alice's ed25519 seed (btauth's golden vectors): a key of the scheme the axon does not pin. */
const ALICE_ED_SEED = 'abf8e5bdbe30c65656c0a3cbd181ff8a56294a69dfedd27982aace4a76909115';
const KEYS: Record<string, Keypair> = { Alice: alice, Bob: bob, Charlie: charlie };
const addresses = Object.fromEntries(Object.entries(KEYS).map(([k, v]) => [k, v.ss58Address]));

type Outcome = { status: number; json: Record<string, unknown> | null };

/**
 * Runs `script axon <config>` and resolves with its RESULT. It asks for sr25519 signatures as
 * `SIGN <hex>` (btauth_peer: alice) or `SIGN <key name> <hex>` (epistula/fiber peers).
 */
function runPeer(script: string, config: object): Promise<Record<string, Outcome>> {
  const path = fileURLToPath(new URL(`./python/${script}`, import.meta.url));
  const child = spawn(PYTHON, [path, 'axon', JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`${script} exited ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [verb, ...args] = line.split(' ');
      if (verb === 'SIGN') {
        const [key, hex] = args.length === 1 ? ['Alice', args[0]!] : [args[0]!, args[1]!];
        const signature = KEYS[key]!.sign(Buffer.from(hex, 'hex'));
        child.stdin!.write(`0x${Buffer.from(signature).toString('hex')}\n`);
      } else if (verb === 'RESULT') {
        resolve(JSON.parse(line.slice(7)) as Record<string, Outcome>);
        child.kill();
      }
    });
  });
}

describe.skipIf(!hasPython)('the signed wires: independent Python clients → the real axon', () => {
  let axon: Axon;
  let url: string;
  const metrics = new TransportMetrics();
  /** Every handler call: the wire and the input it ran for. */
  const calls: { wire: WireName; input: number }[] = [];
  const stakes = new Map([
    [alice.ss58Address, 5_000],
    [charlie.ss58Address, 10],
  ]);

  beforeAll(async () => {
    axon = createAxon(
      {
        keypair: bob,
        host: '127.0.0.1',
        port: 0,
        wires: ['synapse', 'btauth', 'epistula', 'fiber'],
        btauth: { scheme: 'sr25519' },
        fiber: { minStake: 1_000 },
      },
      { logger: silent, metrics, stakeLookup: (hotkey) => stakes.get(hotkey) },
    ).attach(DummySynapse, {
      forward: (input, ctx) => {
        calls.push({ wire: ctx.wire, input: input.dummy_input });
        return { dummy_output: input.dummy_input * 2 };
      },
    });
    await axon.start();
    url = `http://127.0.0.1:${axon.port}`;
  });
  afterAll(() => axon.stop({ graceMs: 100 }));

  /** Two valid inputs (the answer must follow them) and inputs only refused requests carry. */
  const inputsFor = (base: number) => ({
    inputs: [base + 21, base + 100 + Math.floor(Math.random() * 900)],
    refused_inputs: Array.from({ length: 20 }, (_, i) => base + 5_000 + i),
  });

  /** The valid requests got the handler's answer; each refusal its status and wire code. */
  function check(
    wire: WireName,
    results: Record<string, Outcome>,
    valid: number[],
    refusals: Record<string, [number, string]>,
  ) {
    for (const [i, n] of valid.entries()) {
      expect(results[`valid_${i}`], `${wire} valid_${i}`).toEqual({
        status: 200,
        json: { dummy_output: n * 2 },
      });
    }
    const got = Object.fromEntries(
      Object.keys(refusals).map((name) => {
        const r = results[name]!;
        const message = String(r.json?.message ?? '');
        return [name, [r.status, message.match(/^([A-Z_]+): /)?.[1] ?? message]];
      }),
    );
    const want = Object.fromEntries(
      Object.entries(refusals).map(([name, [status, code]]) => [
        name,
        [status, code === 'mixed' ? expect.stringMatching(/^Request mixes the headers/) : code],
      ]),
    );
    expect(got, wire).toEqual(want);
    // The handler ran once per valid request, and never for a refused one.
    expect(calls.filter((c) => c.wire === wire).map((c) => c.input)).toEqual(valid);
    const counted = metrics.snapshot().wires[wire]!.rejections;
    for (const [name, [, code]] of Object.entries(refusals)) {
      if (code !== 'mixed') expect(counted[code], `${wire} ${name} counted`).toBeGreaterThan(0);
    }
  }

  it.skipIf(!hasNacl)('btauth/1 (btauth_peer.py)', async () => {
    const cfg = inputsFor(10_000);
    const results = await runPeer('btauth_peer.py', {
      url,
      path: '/Dummy',
      receiver: bob.ss58Address,
      other: charlie.ss58Address,
      sr_sender: alice.ss58Address,
      ed_seed: ALICE_ED_SEED,
      ...cfg,
    });
    check('btauth', results, cfg.inputs, {
      replayed: [401, 'REPLAYED'],
      stale: [401, 'NONCE_TOO_OLD'],
      future: [401, 'NONCE_IN_FUTURE'],
      wrong_receiver: [401, 'WRONG_RECEIVER'],
      missing_receiver: [401, 'MISSING_RECEIVER'],
      body_changed: [401, 'BAD_SIGNATURE'],
      path_changed: [401, 'BAD_SIGNATURE'],
      wrong_scheme: [401, 'SCHEME_MISMATCH'],
      mixed_epistula: [400, 'mixed'],
      mixed_fiber: [400, 'mixed'],
    });
    // The two mixed requests were refused before any wire's verifier ran.
    expect(metrics.snapshot().rejections.mixed_wires).toBeGreaterThanOrEqual(2);
  });

  it('Epistula v2 (epistula_peer.py)', async () => {
    const cfg = inputsFor(20_000);
    const results = await runPeer('epistula_peer.py', {
      url: `${url}/Dummy`,
      receiver: bob.ss58Address,
      other: charlie.ss58Address,
      addresses,
      ...cfg,
    });
    check('epistula', results, cfg.inputs, {
      replayed: [400, 'REPLAYED'],
      stale: [400, 'STALE'],
      future: [400, 'FUTURE'],
      wrong_receiver: [400, 'WRONG_RECEIVER'],
      unbound: [400, 'WRONG_RECEIVER'],
      body_changed: [400, 'BAD_SIGNATURE'],
      mixed_fiber: [400, 'mixed'],
    });
  });

  it('Fiber plain mode (fiber_peer.py)', async () => {
    const cfg = inputsFor(30_000);
    const results = await runPeer('fiber_peer.py', {
      url: `${url}/Dummy`,
      receiver: bob.ss58Address,
      other: charlie.ss58Address,
      addresses,
      ...cfg,
    });
    check('fiber', results, cfg.inputs, {
      replayed: [401, 'REPLAYED'],
      stale: [401, 'STALE'],
      future: [401, 'FUTURE'],
      wrong_receiver: [401, 'WRONG_RECEIVER'],
      body_changed: [401, 'BAD_SIGNATURE'],
      low_stake: [403, 'STAKE_TOO_LOW'],
      mixed_btauth: [400, 'mixed'],
    });
  });
});
