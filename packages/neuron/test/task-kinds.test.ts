/**
 * Task kinds: `runValidatorStep` with a `ValidatorSetDefinition` of two kinds over two
 * synapses (one request/response, one streaming), served by `MinerSetDefinition` miners on
 * real loopback axons. Which kind each miner gets, what the evidence keeps (kind, synapse,
 * stream, artifacts), how stream failures and validator failures are told apart, shared
 * kinds, and the checks of the definitions themselves.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Chain, Metagraph } from '@subnetkit/chain';
import { fail, pass } from '@subnetkit/scoring';
import { type Axon, createAxon, createDendrite, defineSynapse } from '@subnetkit/transport';
import { Keypair } from '@subnetkit/wallet';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ArtifactStore,
  deriveSeed,
  EvidenceLog,
  readEvidence,
  type ScoreRecord,
  type TaskSeed,
} from '../src/evidence/index.js';
import {
  type MinerBackend,
  type MinerSetDefinition,
  minerSynapse,
  type NeuronContext,
  type ValidatorSetDefinition,
  validatorTaskKind,
} from '../src/index.js';
import { createValidatorState, type ValidatorState } from '../src/state/index.js';
import {
  CallerIndex,
  createMinerHandlers,
  minerSynapsesOf,
  pickTaskKind,
  runValidatorStep,
  type SelectionView,
  taskKindsOf,
} from '../src/steps.js';

const silent = pino({ level: 'silent' });

const Double = defineSynapse({
  name: 'Double',
  input: { x: z.int() },
  output: { y: z.int().nullable() },
});
const Echo = defineSynapse({
  name: 'Echo',
  input: { text: z.string() },
  streaming: true,
});

type Behaviour = 'honest' | 'stall' | 'flood';
const backend: MinerBackend = { name: 'offline' };
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

const validatorKey = Keypair.fromUri('//Alice//task-kinds');
const honestKeys = Array.from({ length: 8 }, (_, i) => Keypair.fromUri(`//Bob//tk-${i}`));
const stallKey = Keypair.fromUri('//Bob//tk-stall');
const floodKey = Keypair.fromUri('//Bob//tk-flood');

/** What each miner was asked, per route. */
const seen: Array<{ hotkey: string; route: string; input: unknown }> = [];

function minerOf(hotkey: string, behaviour: Behaviour): MinerSetDefinition {
  return {
    backend,
    synapses: [
      minerSynapse({
        protocol: Double,
        forward: (input) => {
          seen.push({ hotkey, route: 'Double', input });
          return { y: input.x * 2 };
        },
      }),
      minerSynapse({
        protocol: Echo,
        forward: async function* (input, ctx) {
          seen.push({ hotkey, route: 'Echo', input });
          if (behaviour === 'flood') {
            while (!ctx.signal.aborted) {
              yield 'z'.repeat(1024);
              await sleep(1);
            }
            return;
          }
          const third = Math.ceil(input.text.length / 3);
          yield input.text.slice(0, third);
          if (behaviour === 'stall') await sleep(30_000, ctx.signal);
          await sleep(5);
          yield input.text.slice(third, 2 * third);
          yield input.text.slice(2 * third);
        },
      }),
    ],
  };
}

function neuronContext(view: SelectionView, uid: number | null, hotkey: string): NeuronContext {
  return {
    config: undefined as never,
    logger: silent,
    signal: new AbortController().signal,
    chain: {} as Chain,
    netuid: 1,
    uid,
    hotkey,
    metagraph: () => view as unknown as Metagraph,
  };
}

/** Tasks created, per kind: who for, and the seed. */
const created: Array<{ kind: string; uid: number | null; hotkey: string | null; seed: string }> =
  [];
let echoScoreThrows = false;

const doubleKind = validatorTaskKind({
  name: 'double',
  protocol: Double,
  createTask(seed: TaskSeed, uid, ctx) {
    created.push({ kind: 'double', uid, hotkey: ctx.hotkey, seed: seed.seed });
    const x = ctx.random.int(1_000_000);
    return { input: { x }, private: 2 * x };
  },
  async score(task, response, ctx) {
    await ctx.keep(JSON.stringify(response.output), { mediaType: 'application/json' });
    return response.output?.y === task.private
      ? pass(1, { components: { exact: 1 } })
      : fail('wrong double', { components: { exact: 0 } });
  },
});

const echoKind = validatorTaskKind({
  name: 'echo',
  protocol: Echo,
  stallTimeoutS: 0.3,
  maxStreamBytes: 4096,
  createTask(seed: TaskSeed, uid, ctx) {
    created.push({ kind: 'echo', uid, hotkey: ctx.hotkey, seed: seed.seed });
    const text = `echo-${ctx.random.int(1_000_000)}-${'ü'.repeat(ctx.random.int(20) + 3)}`;
    return { input: { text }, private: text };
  },
  score(task, _response, ctx) {
    if (echoScoreThrows) throw new Error('reference checker offline');
    return ctx.stream?.text === task.private
      ? pass(1, { components: { exact: 1 } })
      : fail('wrong echo', { components: { exact: 0 } });
  },
});

const twoKinds: ValidatorSetDefinition = { tasks: [doubleKind, echoKind] };

describe('task kinds over two synapses (real axons)', () => {
  const axons: Axon[] = [];
  const uidOf = new Map<string, number>();
  let minerView: SelectionView & {
    axons: Array<{ ip: string; port: number }>;
    validatorPermit: boolean[];
    stake: bigint[];
  };
  let dir: string;
  const dendrite = createDendrite({ keypair: validatorKey }, { logger: silent });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'neuron-task-kinds-'));
    const miners: Array<[Keypair, Behaviour]> = [
      ...honestKeys.map((k) => [k, 'honest'] as [Keypair, Behaviour]),
      [stallKey, 'stall'],
      [floodKey, 'flood'],
    ];
    minerView = {
      hotkeys: [validatorKey, ...miners.map(([k]) => k)].map((k) => k.ss58Address),
      axons: [{ ip: '127.0.0.1', port: 9 }],
      validatorPermit: [true, ...miners.map(() => false)],
      stake: [1_000_000_000_000n, ...miners.map(() => 0n)],
    };
    for (const [i, [key, behaviour]] of miners.entries()) {
      const definition = minerOf(key.ss58Address, behaviour);
      const axon = createAxon(
        { keypair: key, host: '127.0.0.1', port: 0, verifyWorkers: 0 },
        { logger: silent },
      );
      for (const entry of minerSynapsesOf(definition)) {
        axon.attach(
          entry.protocol,
          createMinerHandlers(entry, {
            backend: definition.backend,
            neuron: neuronContext(minerView, i + 1, key.ss58Address),
            callers: () => new CallerIndex(minerView),
            policy: { forceValidatorPermit: true, allowNonRegistered: false, minStake: 0 },
          }),
        );
      }
      await axon.start();
      axons.push(axon);
      minerView.axons.push({ ip: '127.0.0.1', port: axon.port });
      uidOf.set(key.ss58Address, i + 1);
    }
  });

  afterAll(async () => {
    await dendrite.close();
    await Promise.all(axons.map((a) => a.stop({ graceMs: 100 })));
    await rm(dir, { recursive: true, force: true });
  });

  /** The validator's view of the subnet: the validator and the given miners only. */
  function viewOf(keys: Keypair[]): SelectionView {
    const uids = [0, ...keys.map((k) => uidOf.get(k.ss58Address)!)];
    return {
      hotkeys: uids.map((u) => minerView.hotkeys[u]!),
      axons: uids.map((u) => minerView.axons[u]!),
      validatorPermit: uids.map((u) => minerView.validatorPermit[u]!),
      stake: uids.map((u) => minerView.stake[u]!),
    };
  }

  function freshState(): ValidatorState {
    return createValidatorState({ netuid: 1, hotkey: validatorKey.ss58Address, alpha: 0.5 });
  }

  async function step(
    definition: Parameters<typeof runValidatorStep>[0]['definition'],
    view: SelectionView,
    state: ValidatorState,
    components: { evidence?: EvidenceLog; artifacts?: ArtifactStore } = {},
  ) {
    return runValidatorStep(
      {
        definition,
        state,
        secret: new Uint8Array(32).fill(3),
        metagraph: view,
        neuron: neuronContext(view, 0, validatorKey.ss58Address),
        sampleSize: 16,
        timeoutS: 5,
        selfUid: 0,
      },
      { dendrite, ...components },
    );
  }

  it('each miner gets a kind drawn from its own seed; the evidence says which, with stream and artifacts', async () => {
    const evidenceDir = join(dir, 'mixed-evidence');
    const evidence = new EvidenceLog({ dir: evidenceDir });
    const artifacts = new ArtifactStore({ dir: join(dir, 'mixed-artifacts') });
    const view = viewOf(honestKeys);
    const kinds = taskKindsOf(twoKinds);
    let state = freshState();
    const outcomes = [];
    seen.length = 0;
    for (let i = 0; i < 4; i++) {
      const r = await step(twoKinds, view, state, { evidence, artifacts });
      expect(r.errors).toEqual([]);
      expect(r.outcomes).toHaveLength(honestKeys.length);
      state = r.state;
      outcomes.push(...r.outcomes);
    }
    await evidence.close();

    // Both kinds occur (32 independent draws), and every answer passed.
    const kindsSeen = new Set(outcomes.map((o) => o.taskKind));
    expect(kindsSeen).toEqual(new Set(['double', 'echo']));
    for (const o of outcomes) {
      expect(o.verdict.status, `${o.taskKind} uid ${o.uid}: ${o.verdict.reasons}`).toBe('pass');
      expect(o.synapse).toBe(o.taskKind === 'double' ? 'Double' : 'Echo');
      // The miner was asked over the kind's synapse.
      const hotkey = view.hotkeys[o.uid]!;
      expect(seen.some((s) => s.hotkey === hotkey && s.route === o.synapse)).toBe(true);
      if (o.taskKind === 'echo') {
        expect(o.stream?.end).toBe('complete');
        expect(o.artifacts.map((a) => a.role)).toEqual(['stream']);
      } else {
        expect(o.stream).toBeNull();
        expect(o.artifacts.map((a) => a.role)).toEqual(['answer']);
      }
    }

    const records: ScoreRecord[] = [];
    for await (const r of readEvidence(evidenceDir)) if (r.kind === 'score') records.push(r);
    expect(records).toHaveLength(outcomes.length);
    for (const rec of records) {
      // Anyone holding the revealed seed can check which kind the miner was given.
      const drawn = pickTaskKind(kinds, { seed: rec.seed! } as TaskSeed);
      expect(rec.taskKind).toBe(drawn.name);
      expect(rec.synapse).toBe(drawn.protocol.name);
      expect(rec.wire).toBe('synapse');
      expect(rec.artifacts).toHaveLength(1);
      const ref = rec.artifacts![0]!;
      const stored = await artifacts.get(ref.sha256);
      expect(stored).not.toBeNull();
      const body = Buffer.from(stored!.bytes).toString('utf8');
      expect(sha(body)).toBe(ref.sha256);
      if (rec.taskKind === 'echo') {
        // The streamed text was kept, as the validator received it.
        const task = created.find((c) => c.seed === rec.seed && c.kind === 'echo');
        expect(task).toBeDefined();
        expect(rec.stream).toMatchObject({ end: 'complete', reason: null });
        expect(rec.stream!.chunks).toBeGreaterThanOrEqual(1);
        expect(rec.stream!.bytes).toBe(Buffer.byteLength(body));
        expect(ref).toMatchObject({ role: 'stream', mediaType: 'text/plain; charset=utf-8' });
        expect(body).toMatch(/^echo-\d+-ü+$/);
        expect(rec.answerDigest).toMatch(/^[0-9a-f]{64}$/);
      } else {
        expect(rec.stream).toBeUndefined();
        expect(ref).toMatchObject({ role: 'answer', mediaType: 'application/json' });
        expect(JSON.parse(body)).toEqual({ y: expect.any(Number) });
      }
    }
  });

  it('a stalled or oversized stream fails with its reason; a score() throw stays unverifiable', async () => {
    const onlyEcho: ValidatorSetDefinition = { tasks: [echoKind] };
    const view = viewOf([honestKeys[0]!, stallKey, floodKey]);
    const artifacts = new ArtifactStore({ dir: join(dir, 'fail-artifacts') });
    const first = await step(onlyEcho, view, freshState(), { artifacts });
    expect(first.errors).toEqual([]);
    const by = new Map(first.outcomes.map((o) => [o.uid, o]));
    expect(by.get(1)!.verdict.status).toBe('pass');
    const stalled = by.get(2)!;
    expect(stalled.verdict.status).toBe('fail');
    expect(stalled.stream?.end).toBe('stalled');
    expect(stalled.verdict.reasons[0]).toBe('stream stalled: no chunk for 0.3 s after 1 chunk(s)');
    // What did arrive is kept as the evidence of the failure.
    expect(stalled.artifacts.map((a) => a.role)).toEqual(['stream']);
    const flooded = by.get(3)!;
    expect(flooded.verdict.status).toBe('fail');
    expect(flooded.stream?.end).toBe('oversized');
    expect(flooded.verdict.reasons[0]).toMatch(/^stream oversized: .*4096-byte cap/);
    expect(first.state.scores.scores).toEqual([0, 0.5, 0, 0]);

    echoScoreThrows = true;
    try {
      const second = await step(onlyEcho, view, first.state);
      const by2 = new Map(second.outcomes.map((o) => [o.uid, o]));
      expect(by2.get(1)!.verdict.status).toBe('unverifiable');
      expect(by2.get(1)!.verdict.reasons[0]).toContain('reference checker offline');
      expect(second.errors).toEqual([expect.objectContaining({ uid: 1, stage: 'score' })]);
      // The miner's own failures are still failures; the validator's is not charged.
      expect(by2.get(2)!.verdict.status).toBe('fail');
      expect(by2.get(3)!.verdict.status).toBe('fail');
      expect(second.state.scores.scores[1]).toBe(0.5);
    } finally {
      echoScoreThrows = false;
    }
  });

  it('scores the answers of one step concurrently, keeping their order', async () => {
    // Each score() waits until every miner's score() has started (or 2 s pass): scored one
    // after another, the first would wait out the 2 s and see only itself in flight.
    const view = viewOf(honestKeys);
    let inFlight = 0;
    let most = 0;
    const timings = new Map<number, [number, number]>();
    let release!: () => void;
    const all = new Promise<void>((r) => {
      release = r;
    });
    const waiting: ValidatorSetDefinition = {
      tasks: [
        {
          ...doubleKind,
          score: async (task, response, ctx) => {
            // The query's latency and timeout, on the validator's own clock and config.
            timings.set(ctx.uid, [ctx.latencyMs, ctx.timeoutS]);
            inFlight++;
            most = Math.max(most, inFlight);
            if (inFlight === honestKeys.length) release();
            await Promise.race([all, sleep(2000)]);
            inFlight--;
            return doubleKind.score(task, response, ctx);
          },
        },
      ],
    };
    const r = await step(waiting, view, freshState());
    expect(r.errors).toEqual([]);
    expect(most).toBe(honestKeys.length);
    // score() saw the latency the step measured for that miner, and the query's timeout.
    expect(timings.size).toBe(r.outcomes.length);
    for (const o of r.outcomes) {
      const [latencyMs, timeoutS] = timings.get(o.uid)!;
      expect(latencyMs).toBeGreaterThan(0);
      expect(latencyMs).toBe(o.latencyMs);
      expect(timeoutS).toBe(5);
    }
    expect(r.outcomes.map((o) => o.uid)).toEqual(r.selection.uids);
    for (const o of r.outcomes) expect(o.verdict.status).toBe('pass');
  });

  it('a shared kind gets one task for all the miners drawn for it', async () => {
    const sharedDouble = { ...doubleKind, name: 'shared-double', taskMode: 'shared' as const };
    const view = viewOf(honestKeys);

    // Only a shared kind: one task, created once for nobody in particular, sent to all.
    created.length = 0;
    seen.length = 0;
    const only = await step({ tasks: [sharedDouble] }, view, freshState());
    expect(only.errors).toEqual([]);
    expect(created).toEqual([
      { kind: 'double', uid: null, hotkey: null, seed: expect.any(String) },
    ]);
    expect(only.outcomes).toHaveLength(honestKeys.length);
    expect(new Set(only.outcomes.map((o) => o.taskId)).size).toBe(1);
    expect(only.outcomes.every((o) => o.verdict.status === 'pass')).toBe(true);
    const inputs = seen.filter((s) => s.route === 'Double').map((s) => JSON.stringify(s.input));
    expect(inputs).toHaveLength(honestKeys.length);
    expect(new Set(inputs).size).toBe(1);

    // Mixed with a per-miner kind: per step, one shared task at most; per-miner tasks differ.
    let state = freshState();
    for (let i = 0; i < 3; i++) {
      created.length = 0;
      const r = await step({ tasks: [sharedDouble, echoKind] }, view, state);
      state = r.state;
      expect(r.errors).toEqual([]);
      const shared = r.outcomes.filter((o) => o.taskKind === 'shared-double');
      const own = r.outcomes.filter((o) => o.taskKind === 'echo');
      expect(shared.length + own.length).toBe(honestKeys.length);
      expect(created.filter((c) => c.kind === 'double')).toHaveLength(shared.length > 0 ? 1 : 0);
      expect(created.filter((c) => c.kind === 'double').every((c) => c.uid === null)).toBe(true);
      expect(new Set(shared.map((o) => o.taskId)).size).toBe(shared.length > 0 ? 1 : 0);
      expect(new Set(own.map((o) => o.taskId)).size).toBe(own.length);
      expect(created.filter((c) => c.kind === 'echo').map((c) => c.uid)).toEqual(
        own.map((o) => o.uid),
      );
    }
  });
});

describe('definition checks', () => {
  const noop = {
    createTask: () => ({ input: { x: 1 } }),
    score: () => pass(1),
  };

  it('taskKindsOf fills defaults and refuses empty lists, duplicates and bad fields by name', () => {
    const [k] = taskKindsOf({ protocol: Double, ...noop });
    expect(k).toMatchObject({ name: 'Double', weight: 1, taskMode: 'per-miner' });
    const bad: Array<[unknown, RegExp]> = [
      [{ tasks: [] }, /^tasks: a validator needs at least one task kind/],
      [
        {
          tasks: [
            { protocol: Double, ...noop },
            { protocol: Double, ...noop },
          ],
        },
        /^tasks\[1\]\.name: task kind "Double" is declared twice/,
      ],
      [
        {
          tasks: [
            { protocol: Double, ...noop },
            { name: 'Double', protocol: Echo, ...noop },
          ],
        },
        /^tasks\[1\]\.name: /,
      ],
      [{ tasks: [{ ...noop }] }, /^tasks\[0\]\.protocol: /],
      [{ tasks: [{ protocol: Double, createTask: noop.createTask }] }, /^tasks\[0\]\.score: /],
      [{ tasks: [{ protocol: Double, score: noop.score }] }, /^tasks\[0\]\.createTask: /],
      [{ tasks: [{ protocol: Echo, ...noop, stallTimeoutS: 0 }] }, /^tasks\[0\]\.stallTimeoutS: /],
      [
        { tasks: [{ protocol: Echo, ...noop, maxStreamBytes: -1 }] },
        /^tasks\[0\]\.maxStreamBytes: /,
      ],
    ];
    for (const weight of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      bad.push([
        {
          tasks: [
            { name: 'a', protocol: Double, ...noop },
            { protocol: Echo, ...noop, weight },
          ],
        },
        /^tasks\[1\]\.weight: must be a positive number/,
      ]);
    }
    for (const [definition, message] of bad) {
      expect(() => taskKindsOf(definition as never), String(message)).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          message: expect.stringMatching(message),
        }),
      );
    }
  });

  it('minerSynapsesOf accepts one synapse or a set, refusing empty sets, duplicates and missing handlers', () => {
    const one = { protocol: Double, backend, forward: () => ({ y: 1 }) };
    expect(minerSynapsesOf(one)).toEqual([one]);
    const bad: Array<[unknown, RegExp]> = [
      [{ backend, synapses: [] }, /^synapses: a miner must serve at least one synapse/],
      [
        { backend, synapses: [one, { protocol: Echo, forward: one.forward }, { ...one }] },
        /^synapses\[2\]: Double is served twice/,
      ],
      [
        { backend, synapses: [{ protocol: Double }] },
        /^synapses\[0\]\.forward: no handler for Double/,
      ],
      [{ backend, synapses: [{ forward: one.forward }] }, /^synapses\[0\]\.protocol: /],
    ];
    for (const [definition, message] of bad) {
      expect(() => minerSynapsesOf(definition as never), String(message)).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          message: expect.stringMatching(message),
        }),
      );
    }
  });

  it('pickTaskKind follows the weights, from the seed alone', () => {
    const kinds = taskKindsOf({
      tasks: [
        { name: 'often', protocol: Double, weight: 3, ...noop },
        { name: 'rarely', protocol: Echo, weight: 1, ...noop },
      ],
    });
    const secret = new Uint8Array(32).fill(9);
    let often = 0;
    const n = 4000;
    for (let counter = 0; counter < n; counter++) {
      const seed = deriveSeed(secret, {
        netuid: 1,
        step: 0,
        uid: 1,
        counter,
        epoch: 'ab'.repeat(16),
      });
      const kind = pickTaskKind(kinds, seed);
      // The draw depends on the seed only.
      expect(pickTaskKind(kinds, { seed: seed.seed } as TaskSeed)).toBe(kind);
      if (kind.name === 'often') often++;
    }
    expect(often / n).toBeGreaterThan(0.7);
    expect(often / n).toBeLessThan(0.8);
    const [single] = taskKindsOf({ tasks: [{ protocol: Echo, ...noop }] });
    expect(pickTaskKind([single!], { seed: '00'.repeat(32) } as TaskSeed)).toBe(single);
  });
});
