/**
 * `describeSubnetCompliance(subnet)`: the checks every subnet's tests run. It drives the
 * subnet's own miner and validator definitions through the real transport (loopback axons,
 * a real dendrite, raw Python-shaped wire requests) and, last, through `runMiner` /
 * `runValidator` on an in-process localnet until weights are on chain.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Metagraph } from '@subnetkit/chain';
import {
  type MinerBackend,
  type MinerDefinition,
  type NeuronConfig,
  type RunningMiner,
  type RunningValidator,
  runMiner,
  runValidator,
  seededRandom,
  silentLogger,
  type ValidatorDefinition,
  type WeightsRecord,
} from '@subnetkit/neuron';
import { deriveSeed, EvidenceLog, explainScore } from '@subnetkit/neuron/evidence';
import {
  createValidatorState,
  loadValidatorState,
  saveValidatorState,
  type ValidatorState,
} from '@subnetkit/neuron/state';
import { runValidatorStep } from '@subnetkit/neuron/steps';
import {
  type AnySynapse,
  computeBodyHash,
  createDendrite,
  type Dendrite,
  encodeSynapseBody,
  encodeSynapseHeaders,
  type InputOf,
  type OutputInitOf,
  PROTOCOL_VERSION,
  requestMessage,
  requestValues,
  type TerminalInfo,
} from '@subnetkit/transport';
import type { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MinerHarness, startMinerHarness, testNeuronContext } from './harness.js';
import { devHotkeys, devKey, tempDir } from './keys.js';
import { startLocalnet } from './localnet.js';
import { fakeMetagraph } from './metagraph.js';

/** What a subnet hands the compliance suite. */
export interface SubnetUnderTest<S extends AnySynapse, P = unknown> {
  /** Shown in the test names. */
  name: string;
  protocol: S;
  /** A fresh honest miner with its offline backend. */
  createMiner(): MinerDefinition<S, MinerBackend, never>;
  /** A fresh validator. */
  createValidator(): ValidatorDefinition<S, P, unknown, never>;
  /** A wrong answer of the right shape for `input` (what a lazy or dishonest miner sends). */
  wrongAnswer(input: InputOf<S>, honest: OutputInitOf<S>): OutputInitOf<S>;
  /** The subnet's config from flags (its own schema), for `runMiner` / `runValidator`. */
  loadConfig(argv: string[]): NeuronConfig;
  /** Seconds a miner has in these tests unless a task says otherwise (default 1.5). */
  timeoutS?: number;
  /** Leave out the localnet test (weights on chain); default false. */
  skipChain?: boolean;
}

type AnyMiner = MinerDefinition<AnySynapse, MinerBackend, unknown>;
type AnyValidator = ValidatorDefinition<AnySynapse, unknown, unknown, unknown>;

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** The honest miner with its answers replaced by `wrongAnswer`. */
function wrongMiner(subnet: SubnetUnderTest<AnySynapse>): AnyMiner {
  const honest = subnet.createMiner() as unknown as AnyMiner;
  return {
    ...honest,
    forward: async (input, ctx) =>
      subnet.wrongAnswer(input, (await honest.forward(input, ctx)) as OutputInitOf<AnySynapse>),
  };
}

/** A miner that never answers before the deadline. */
function slowMiner(subnet: SubnetUnderTest<AnySynapse>): AnyMiner {
  const honest = subnet.createMiner() as unknown as AnyMiner;
  return {
    ...honest,
    forward: async (_input, ctx) => {
      await untilAborted(ctx.signal);
      throw new Error('compliance: slow miner gave up');
    },
  };
}

/** An HTTP server on the synapse's route that answers 200 with `body` (no Python axon would). */
async function garbageServer(body: string, contentType: string): Promise<Server> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

const portOf = (s: Server) => (s.address() as { port: number }).port;

/** A closed loopback port (bound, then released). */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = portOf(s);
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * A request built field by field from the Python SDK's wire rules (what a Python dendrite
 * sends): headers with `bt_header_input_obj_*` placeholders, the pydantic-ordered JSON body,
 * the body hash of the required hash fields, and the sr25519 signature (omitted when
 * `signed` is false).
 */
function pythonShapedRequest(
  protocol: AnySynapse,
  input: Record<string, unknown>,
  caller: Keypair,
  target: { ip: string; port: number; hotkey: string },
  options: { signed: boolean; timeout: number },
): { url: string; headers: Record<string, string>; body: string } {
  const values = requestValues(protocol, input);
  const bodyHash = computeBodyHash(protocol, values);
  const nonce = BigInt(Date.now()) * 1_000_000n;
  const uuid = randomUUID();
  const dendrite: TerminalInfo = {
    ip: '127.0.0.1',
    version: PROTOCOL_VERSION,
    nonce,
    uuid,
    hotkey: caller.ss58Address,
  };
  if (options.signed) {
    const message = requestMessage(nonce, caller.ss58Address, target.hotkey, uuid, bodyHash);
    dendrite.signature = `0x${Buffer.from(caller.sign(message)).toString('hex')}`;
  }
  const axon: TerminalInfo = { ip: target.ip, port: target.port, hotkey: target.hotkey };
  const env = { timeout: options.timeout, dendrite, axon };
  return {
    url: `http://${target.ip}:${target.port}/${protocol.name}`,
    headers: {
      ...encodeSynapseHeaders(protocol, values, { ...env, bodyHash }),
      'content-type': 'application/json',
    },
    body: encodeSynapseBody(protocol, values, env),
  };
}

async function send(req: { url: string; headers: Record<string, string>; body: string }) {
  const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // kept as null
  }
  return { status: res.status, json: json as Record<string, unknown> | null };
}

async function until<T>(what: string, f: () => Promise<T | undefined> | T | undefined, ms: number) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`compliance: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Registers the compliance tests for a subnet (call it at the top level of a test file):
 *
 * - the protocol round-trips through the Python-compatible wire format (a request built from
 *   the SDK's rules is answered, and the answer parses with the protocol's output schema);
 * - the miner refuses unsigned (401) and unregistered (403) callers;
 * - the validator scores right answers above wrong ones, and timeouts, garbage and dead axons
 *   as failures, without a validator error;
 * - the validator never lowers a score for its own failure (`score` or `createTask` throwing,
 *   its own shutdown);
 * - scores survive a save and reload (a restart);
 * - weights reach the chain (`runMiner` + `runValidator` on an in-process localnet).
 */
export function describeSubnetCompliance<S extends AnySynapse, P>(
  subnet: SubnetUnderTest<S, P>,
): void {
  const s = subnet as unknown as SubnetUnderTest<AnySynapse>;
  const protocol = s.protocol;
  const timeoutS = s.timeoutS ?? 1.5;
  const validatorKey = devKey('//Alice//compliance-validator');
  const [honest1, honest2, wrongKey, slowKey, garbageKey1, garbageKey2, deadKey] = devHotkeys(
    'compliance',
    7,
  ) as [Keypair, Keypair, Keypair, Keypair, Keypair, Keypair, Keypair];
  const stranger = devKey('//Bob//compliance-stranger');

  describe.skipIf(protocol.streaming)(`${s.name}: subnet compliance`, () => {
    let metagraph: Metagraph;
    const harnesses: MinerHarness[] = [];
    const servers: Server[] = [];
    let dendrite: Dendrite;
    let dir: Awaited<ReturnType<typeof tempDir>>;
    const UID = { honest1: 1, honest2: 2, wrong: 3, slow: 4, garbage1: 5, garbage2: 6, dead: 7 };

    beforeAll(async () => {
      dir = await tempDir('subnetkit-compliance-');
      const start = async (definition: AnyMiner, keypair: Keypair) => {
        const h = await startMinerHarness(definition, { keypair, metagraph: () => metagraph });
        harnesses.push(h);
        return h;
      };
      const h1 = await start(s.createMiner() as unknown as AnyMiner, honest1);
      const h2 = await start(s.createMiner() as unknown as AnyMiner, honest2);
      const hw = await start(wrongMiner(s), wrongKey);
      const hs = await start(slowMiner(s), slowKey);
      const g1 = await garbageServer('this is not json {', 'application/json');
      const badFields = Object.fromEntries(
        Object.keys(protocol.output.shape).map((k) => [k, { garbage: [1, 'two', null] }]),
      );
      const g2 = await garbageServer(JSON.stringify(badFields), 'application/json');
      servers.push(g1, g2);
      const at = (port: number) => ({ ip: '127.0.0.1', port });
      metagraph = fakeMetagraph([
        { hotkey: validatorKey, validatorPermit: true, stake: 10_000n * 10n ** 9n },
        { hotkey: honest1, axon: at(h1.target.port) },
        { hotkey: honest2, axon: at(h2.target.port) },
        { hotkey: wrongKey, axon: at(hw.target.port) },
        { hotkey: slowKey, axon: at(hs.target.port) },
        { hotkey: garbageKey1, axon: at(portOf(g1)) },
        { hotkey: garbageKey2, axon: at(portOf(g2)) },
        { hotkey: deadKey, axon: at(await deadPort()) },
      ]);
      dendrite = createDendrite({ keypair: validatorKey }, { logger: silentLogger() });
    });

    afterAll(async () => {
      await dendrite?.close();
      await Promise.all(harnesses.map((h) => h.stop()));
      await Promise.all(servers.map((sv) => new Promise((r) => sv.close(r))));
      await dir?.cleanup();
    });

    const neuron = (signal?: AbortSignal) =>
      testNeuronContext({
        metagraph: () => metagraph,
        hotkey: validatorKey.ss58Address,
        uid: 0,
        ...(signal ? { signal } : {}),
      });

    const step = (
      definition: AnyValidator,
      state: ValidatorState,
      extra: { evidence?: EvidenceLog; signal?: AbortSignal; sampleSize?: number } = {},
    ) =>
      runValidatorStep(
        {
          definition,
          state,
          secret: new Uint8Array(32).fill(7),
          metagraph,
          neuron: neuron(extra.signal),
          sampleSize: extra.sampleSize ?? metagraph.n,
          timeoutS,
          selfUid: 0,
        },
        { dendrite, ...(extra.evidence ? { evidence: extra.evidence } : {}) },
      );

    const freshState = () =>
      createValidatorState({ netuid: 1, hotkey: validatorKey.ss58Address, alpha: 0.5 });

    /** A task exactly as the validator would create it for a miner. */
    const sampleTask = async (seedByte: number) => {
      const v = s.createValidator() as unknown as AnyValidator;
      const seed = deriveSeed(new Uint8Array(32).fill(9), {
        netuid: 1,
        step: 0,
        uid: UID.honest1,
        counter: seedByte,
        epoch: '0'.repeat(32),
      });
      return v.createTask(seed, UID.honest1, {
        random: seededRandom(seed.seed),
        step: 0,
        hotkey: honest1.ss58Address,
        neuron: neuron(),
      });
    };

    it('the protocol round-trips through the Python-compatible wire format', async () => {
      const target = harnesses[0]!.target;
      for (const seedByte of [1, 2, 3]) {
        const task = await sampleTask(seedByte);
        // The task input survives JSON (the wire) and the protocol's schema unchanged.
        const input = protocol.input.parse(task.input) as Record<string, unknown>;
        expect(protocol.input.parse(JSON.parse(JSON.stringify(input)))).toEqual(input);
        const req = pythonShapedRequest(protocol, input, validatorKey, target, {
          signed: true,
          timeout: 12,
        });
        for (const field of protocol.compiled.requiredInputs) {
          if (input[field] !== undefined && input[field] !== null) {
            expect(req.headers, `placeholder header for ${field}`).toHaveProperty(
              `bt_header_input_obj_${field}`,
            );
          }
        }
        const res = await send(req);
        expect(res.status, JSON.stringify(res.json)).toBe(200);
        const body = res.json!;
        expect(body.name).toBe(protocol.name);
        expect((body.axon as { status_code: number }).status_code).toBe(200);
        // Inputs come back as sent; outputs parse with the protocol's output schema.
        for (const [k, v] of Object.entries(input)) expect(body[k]).toEqual(v);
        const outputFields = Object.fromEntries(
          Object.keys(protocol.output.shape).map((k) => [k, body[k]]),
        );
        expect(protocol.output.safeParse(outputFields).success).toBe(true);
        // And a real dendrite reads the same answer.
        const viaDendrite = await dendrite.call(target, protocol, task.input, { timeout: 5 });
        expect(viaDendrite.ok).toBe(true);
        expect(viaDendrite.output).toEqual(protocol.output.parse(outputFields));
      }
    });

    it('the miner refuses unsigned (401) and unregistered (403) callers', async () => {
      const target = harnesses[0]!.target;
      const task = await sampleTask(4);
      const input = protocol.input.parse(task.input) as Record<string, unknown>;
      const unsigned = await send(
        pythonShapedRequest(protocol, input, validatorKey, target, { signed: false, timeout: 12 }),
      );
      expect(unsigned.status).toBe(401);
      const strangerDendrite = createDendrite({ keypair: stranger }, { logger: silentLogger() });
      try {
        const r = await strangerDendrite.call(target, protocol, task.input, { timeout: 5 });
        expect(r.ok).toBe(false);
        expect(r.dendrite.status_code).toBe(403);
      } finally {
        await strangerDendrite.close();
      }
      // The registered validator is answered.
      const ok = await dendrite.call(target, protocol, task.input, { timeout: 5 });
      expect(ok.dendrite.status_code).toBe(200);
    });

    it('the validator scores right answers above wrong ones, and timeouts, garbage and dead axons as failures', async () => {
      const evidence = new EvidenceLog({ dir: join(dir.path, 'evidence') });
      try {
        const r = await step(s.createValidator() as unknown as AnyValidator, freshState(), {
          evidence,
        });
        expect(r.errors, 'validator errors').toEqual([]);
        expect(r.selection.uids).toEqual([1, 2, 3, 4, 5, 6, 7]);
        const by = new Map(r.outcomes.map((o) => [o.uid, o]));
        for (const uid of [UID.honest1, UID.honest2]) {
          expect(by.get(uid)!.verdict.status, `honest uid ${uid}`).toBe('pass');
        }
        for (const uid of [UID.wrong, UID.slow, UID.garbage1, UID.garbage2, UID.dead]) {
          expect(by.get(uid)!.verdict.status, `uid ${uid}`).toBe('fail');
        }
        expect(by.get(UID.slow)!.statusCode).toBe(408);
        expect(by.get(UID.garbage1)!.statusCode).toBe(422);
        expect(by.get(UID.garbage2)!.statusCode).toBe(422);
        expect(by.get(UID.dead)!.statusCode).toBe(503);
        const scores = r.state.scores.scores;
        const right = Math.min(scores[UID.honest1]!, scores[UID.honest2]!);
        for (const uid of [UID.wrong, UID.slow, UID.garbage1, UID.garbage2, UID.dead]) {
          expect(scores[uid]!, `uid ${uid} below the honest miners`).toBeLessThan(right);
        }
        // Every score is explained by the evidence log.
        await evidence.flush();
        for (const uid of [UID.honest1, UID.wrong]) {
          const e = await explainScore(join(dir.path, 'evidence'), uid);
          expect(e.complete).toBe(true);
          expect(e.inconsistencies).toEqual([]);
        }
      } finally {
        await evidence.close();
      }
    });

    it('the validator never penalises a miner for its own failure', async () => {
      const first = await step(s.createValidator() as unknown as AnyValidator, freshState());
      const before = first.state.scores.scores;
      expect(before[UID.honest1]).toBeGreaterThan(0);
      const real = s.createValidator() as unknown as AnyValidator;
      // score() throws: every answer is unverifiable, no score moves.
      const scoreThrows: AnyValidator = {
        ...real,
        score: () => {
          throw new Error('compliance: reference checker unavailable');
        },
      };
      const r1 = await step(scoreThrows, first.state, { sampleSize: 3 });
      expect(r1.outcomes.length).toBe(3);
      for (const o of r1.outcomes) {
        if (o.statusCode === 200) expect(o.verdict.status).toBe('unverifiable');
      }
      // Miners that did answer are not charged; the others are charged for their own failure.
      for (const o of r1.outcomes.filter((x) => x.statusCode === 200)) {
        expect(r1.state.scores.scores[o.uid]).toBe(before[o.uid]);
      }
      // createTask throws: nobody is queried or charged.
      const taskThrows: AnyValidator = {
        ...real,
        createTask: () => {
          throw new Error('compliance: task source unavailable');
        },
      };
      const r2 = await step(taskThrows, first.state);
      expect(r2.outcomes).toEqual([]);
      expect(r2.state.scores.scores).toEqual(before);
      // Our own shutdown mid-step: the query still waiting (the slow miner) is cancelled by us
      // and must not count against it. Give it a score to lose first.
      const seeded: ValidatorState = structuredClone(first.state);
      seeded.scores.scores[UID.slow] = 0.5;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), Math.min(500, (timeoutS * 1000) / 3));
      const r3 = await step(real, seeded, { signal: controller.signal }).finally(() =>
        clearTimeout(timer),
      );
      const slow = r3.outcomes.find((o) => o.uid === UID.slow)!;
      expect(slow.verdict.status).toBe('unverifiable');
      expect(r3.state.scores.scores[UID.slow]).toBe(0.5);
    });

    it('scores survive a restart (saved, reloaded, and the EMA continues)', async () => {
      const v = s.createValidator() as unknown as AnyValidator;
      const first = await step(v, freshState(), { sampleSize: 2 });
      const path = join(dir.path, 'restart', 'state.json');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(dir.path, 'restart'), { recursive: true, mode: 0o700 });
      await saveValidatorState(path, first.state);
      const loaded = (await loadValidatorState(path, { expect: { netuid: 1 } })).state!;
      expect(loaded.scores.scores).toEqual(first.state.scores.scores);
      expect(loaded.step).toBe(first.state.step);
      const queried = first.selection.uids.filter((u) => first.state.scores.scores[u]! > 0);
      const second = await step(v, loaded, { sampleSize: metagraph.n });
      for (const uid of queried) {
        // Two passes at alpha 0.5: 0.75, not the 0.5 of a validator that forgot.
        expect(second.state.scores.scores[uid]).toBeCloseTo(0.75, 12);
      }
    });

    it.skipIf(s.skipChain === true)(
      'weights reach the chain (runMiner + runValidator on an in-process localnet)',
      async () => {
        const ln = await startLocalnet({ netuid: 1 });
        const running: Array<RunningMiner | RunningValidator> = [];
        const state = await tempDir('subnetkit-compliance-chain-');
        try {
          const vKey = devKey('//Alice//compliance-chain-validator');
          const [goodKey, badKey] = devHotkeys('compliance-chain', 2);
          const vUid = await ln.register(vKey);
          const goodUid = await ln.register(goodKey!, devKey('//Bob'));
          const badUid = await ln.register(badKey!, devKey('//Bob'));
          await ln.stake(vKey, 1000);
          const common = ['--netuid', '1', '--subtensor.chain_endpoint', 'ws://127.0.0.1:1'];
          const minerArgv = [...common, '--axon.ip', '127.0.0.2', '--axon.port', '0'];
          for (const [def, key] of [
            [s.createMiner() as unknown as AnyMiner, goodKey!],
            [wrongMiner(s), badKey!],
          ] as const) {
            running.push(
              await runMiner(
                def,
                { config: s.loadConfig(minerArgv) },
                {
                  chain: ln.chain,
                  hotkey: key,
                  logger: silentLogger(),
                },
              ),
            );
          }
          const weights: WeightsRecord[] = [];
          const v = await runValidator(
            s.createValidator() as unknown as AnyValidator,
            {
              config: s.loadConfig([
                ...common,
                '--neuron.full_path',
                state.path,
                '--neuron.epoch_length',
                '5',
                '--neuron.step_interval',
                '0.1',
                '--neuron.timeout',
                String(timeoutS),
              ]),
            },
            {
              chain: ln.chain,
              hotkey: vKey,
              logger: silentLogger(),
              events: { onWeights: (w) => weights.push(w) },
            },
          );
          running.push(v);
          const row = await until(
            'weights on chain',
            async () => {
              const r = (await ln.chain.getWeights(1)).get(vUid);
              return r?.some(([u, w]) => u === goodUid && w > 0) ? r : undefined;
            },
            30_000,
          );
          const w = (uid: number) => row.find(([u]) => u === uid)?.[1] ?? 0;
          expect(w(goodUid)).toBeGreaterThan(w(badUid));
          await until('the weights event', () => weights[0], 10_000);
        } finally {
          await Promise.all(running.map((n) => n.stop('compliance over')));
          await ln.close();
          await state.cleanup();
        }
      },
      60_000,
    );
  });
}
