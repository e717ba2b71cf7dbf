/**
 * The subnet seams against the real transport on loopback: miners built from
 * `MinerDefinition`s (through `createMinerHandlers`) served by real Axons, queried by a real
 * Dendrite through `runValidatorStep` with a `ValidatorDefinition`. No chain: the metagraph is
 * a plain view, which is all these two pieces read.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Chain, Metagraph } from '@subnetkit/chain';
import { fail, pass } from '@subnetkit/scoring';
import { Axon, Dendrite, defineSynapse } from '@subnetkit/transport';
import { Keypair } from '@subnetkit/wallet';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EvidenceLog, explainScore, verifySeedReveal } from '../src/evidence/index.js';
import type {
  MinerBackend,
  MinerDefinition,
  NeuronContext,
  ValidatorDefinition,
} from '../src/index.js';
import {
  createValidatorState,
  loadValidatorState,
  saveValidatorState,
  type ValidatorState,
} from '../src/state/index.js';
import {
  CallerIndex,
  createMinerHandlers,
  runValidatorStep,
  type SelectionView,
} from '../src/steps.js';

const silent = pino({ level: 'silent' });

// The Python subnet template's protocol: `Dummy(dummy_input: int) → dummy_output`.
const Dummy = defineSynapse({
  name: 'Dummy',
  input: { dummy_input: z.int() },
  output: { dummy_output: z.int().nullable() },
});

type Behaviour = 'honest' | 'wrong' | 'slow';

class OfflineBackend implements MinerBackend {
  readonly name = 'offline';
  constructor(readonly behaviour: Behaviour) {}
  async answer(x: number, signal: AbortSignal): Promise<number> {
    if (this.behaviour === 'slow') {
      await new Promise((r) => {
        const t = setTimeout(r, 5000);
        signal.addEventListener('abort', () => {
          clearTimeout(t);
          r(undefined);
        });
      });
    }
    return this.behaviour === 'wrong' ? x * 2 + 1 : x * 2;
  }
}

const validatorKey = Keypair.fromUri('//Alice');
const minerKeys = ['//Bob', '//Charlie', '//Dave', '//Eve', '//Ferdie'].map((u) =>
  Keypair.fromUri(u),
);
const stranger = Keypair.fromUri('//Stranger');

function neuronContext(view: SelectionView, uid: number | null, hotkey: string): NeuronContext {
  return {
    config: undefined as never,
    logger: silent,
    signal: new AbortController().signal,
    // The step and the handlers never touch the chain; the loops will.
    chain: {} as Chain,
    netuid: 1,
    uid,
    hotkey,
    metagraph: () => view as unknown as Metagraph,
  };
}

describe('miner and validator seams over real axons', () => {
  const axons: Axon[] = [];
  let view: SelectionView & { validatorPermit: boolean[]; stake: bigint[] };
  let dir: string;
  const seen: Array<{ uid: number | null; input: number; caller: number | null }> = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'neuron-seams-'));
    const behaviours: Behaviour[] = ['honest', 'wrong', 'slow', 'honest'];
    // uid 0: the validator; uids 1..4 miners; uid 5 dead (published but nothing listens);
    // uid 6 registered but not serving.
    view = {
      hotkeys: [validatorKey, ...minerKeys.slice(0, 4), minerKeys[4]!, stranger].map(
        (k) => k.ss58Address,
      ),
      axons: [],
      validatorPermit: [true, false, false, false, false, false, false],
      stake: [1_000_000_000_000n, 0n, 0n, 0n, 0n, 0n, 0n],
    };
    const callers = () => new CallerIndex(view);
    for (const [i, behaviour] of behaviours.entries()) {
      const backend = new OfflineBackend(behaviour);
      const miner: MinerDefinition<typeof Dummy, OfflineBackend> = {
        protocol: Dummy,
        backend,
        async forward(input, ctx) {
          seen.push({ uid: i + 1, input: input.dummy_input, caller: ctx.caller.uid });
          return { dummy_output: await ctx.backend.answer(input.dummy_input, ctx.signal) };
        },
      };
      const axon = new Axon(
        { keypair: minerKeys[i]!, host: '127.0.0.1', port: 0, verifyWorkers: 0 },
        { logger: silent },
      );
      axon.attach(
        Dummy,
        createMinerHandlers(miner, {
          neuron: neuronContext(view, i + 1, minerKeys[i]!.ss58Address),
          callers,
          policy: { forceValidatorPermit: true, allowNonRegistered: false, minStake: 0 },
        }),
      );
      await axon.start();
      axons.push(axon);
    }
    view.axons = [
      { ip: '127.0.0.1', port: 9 }, // the validator's own axon: never queried
      ...axons.map((a) => ({ ip: '127.0.0.1', port: a.port })),
      { ip: '127.0.0.1', port: 1 }, // dead
      { ip: '0.0.0.0', port: 0 }, // not serving
    ];
  });

  afterAll(async () => {
    await Promise.all(axons.map((a) => a.stop({ graceMs: 100 })));
    await rm(dir, { recursive: true, force: true });
  });

  it('a miner refuses callers the default blacklist rejects (403), and names the rule', async () => {
    const d1 = new Dendrite({ keypair: Keypair.fromUri('//Nobody') }, { logger: silent });
    const d2 = new Dendrite({ keypair: minerKeys[1]! }, { logger: silent });
    const target = { ip: '127.0.0.1', port: axons[0]!.port, hotkey: minerKeys[0]!.ss58Address };
    try {
      const unregistered = await d1.call(target, Dummy, { dummy_input: 1 }, { timeout: 5 });
      expect(unregistered.dendrite.status_code).toBe(403);
      expect(unregistered.dendrite.status_message).toContain('unrecognized hotkey');
      const noPermit = await d2.call(target, Dummy, { dummy_input: 1 }, { timeout: 5 });
      expect(noPermit.dendrite.status_code).toBe(403);
      expect(noPermit.dendrite.status_message).toContain('no validator permit');
    } finally {
      await Promise.all([d1.close(), d2.close()]);
    }
  });

  it('one validator step: honest > wrong = slow = dead, evidence explains, state survives a restart', async () => {
    const tasks: Array<{ uid: number | null; seed: string; x: number }> = [];
    const validator: ValidatorDefinition<typeof Dummy, number> = {
      protocol: Dummy,
      createTask(seed, uid, ctx) {
        const x = ctx.random.int(1_000_000);
        tasks.push({ uid, seed: seed.seed, x });
        return { input: { dummy_input: x }, private: 2 * x };
      },
      score(task, response) {
        return response.output?.dummy_output === task.private
          ? pass(1, { components: { exact: 1 } })
          : fail(`expected ${task.private}, got ${response.output?.dummy_output}`, {
              components: { exact: 0 },
            });
      },
    };
    const dendrite = new Dendrite({ keypair: validatorKey }, { logger: silent });
    const evidence = new EvidenceLog({ dir: join(dir, 'evidence') });
    const neuron = neuronContext(view, 0, validatorKey.ss58Address);
    let state: ValidatorState = createValidatorState({
      netuid: 1,
      hotkey: validatorKey.ss58Address,
      alpha: 0.5,
    });
    try {
      const r = await runValidatorStep(
        {
          definition: validator,
          state,
          secret: new Uint8Array(32).fill(1),
          metagraph: view,
          neuron,
          sampleSize: 10,
          timeoutS: 1,
          selfUid: 0,
        },
        { dendrite, evidence },
      );
      state = r.state;
      expect(r.errors).toEqual([]);
      expect(r.selection.uids).toEqual([1, 2, 3, 4, 5]);
      const byUid = new Map(r.outcomes.map((o) => [o.uid, o]));
      expect(byUid.get(1)!.verdict.status).toBe('pass');
      expect(byUid.get(4)!.verdict.status).toBe('pass');
      expect(byUid.get(2)!.verdict.reasons[0]).toMatch(/^expected \d+, got \d+$/);
      expect(byUid.get(3)!.verdict.status).toBe('fail');
      expect(byUid.get(3)!.statusCode).toBe(408);
      expect(byUid.get(5)!.verdict.status).toBe('fail');
      expect(state.scores.scores).toEqual([0, 0.5, 0, 0, 0.5, 0, 0]);
      expect(state.step).toBe(1);
      expect(state.cycle).toEqual([]);
      // Each miner got its own seed and task; each miner saw only its own task.
      expect(new Set(tasks.map((t) => t.seed)).size).toBe(5);
      for (const s of seen.filter((s) => s.caller === 0)) {
        expect(tasks.find((t) => t.uid === s.uid)!.x).toBe(s.input);
      }

      await evidence.flush();
      const e1 = await explainScore(join(dir, 'evidence'), 1);
      expect(e1.complete).toBe(true);
      expect(e1.inconsistencies).toEqual([]);
      expect(e1.recomputed).toBe(0.5);
      const rec = e1.records[0]!;
      expect(verifySeedReveal(rec.commitment!, rec.seed!)).toBe(true);
      expect(rec.answerDigest).toMatch(/^[0-9a-f]{64}$/);
      const e3 = await explainScore(join(dir, 'evidence'), 3);
      expect(e3.records[0]!.answerDigest).toBeNull();
      expect(e3.text).toContain('408');

      // Restart: the saved state carries the scores; a replaced hotkey resets its uid.
      const path = join(dir, 'state.json');
      await saveValidatorState(path, state);
      const loaded = (await loadValidatorState(path)).state!;
      const replaced = { ...view, hotkeys: view.hotkeys.map((h, i) => (i === 4 ? 'replaced' : h)) };
      const broken: ValidatorDefinition<typeof Dummy, number> = {
        ...validator,
        score() {
          throw new Error('reference model offline');
        },
      };
      const r2 = await runValidatorStep(
        {
          definition: broken,
          state: loaded,
          secret: new Uint8Array(32).fill(1),
          metagraph: replaced,
          neuron,
          sampleSize: 2,
          timeoutS: 1,
          selfUid: 0,
        },
        { dendrite, evidence, random: () => 0 },
      );
      expect(r2.resets).toEqual([4]);
      expect(r2.state.scores.scores[4]).toBe(0);
      // The validator's own failure never lowers a score.
      for (const o of r2.outcomes.filter((o) => o.verdict.status === 'unverifiable')) {
        expect(o.change.after).toBe(o.change.before);
      }
      expect(r2.errors.every((e) => e.stage === 'score')).toBe(true);
      expect(r2.state.scores.scores[1]).toBe(0.5);
      expect(r2.state.step).toBe(2);
      expect(r2.state.seedCounter).toBe(7);
    } finally {
      await evidence.close();
      await dendrite.close();
    }
  });
});
