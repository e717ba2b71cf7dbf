/** The checks of a request/response synapse (one `describe` block per synapse). */
import type { Server } from 'node:http';
import { join } from 'node:path';
import { EvidenceLog, explainScore } from '@subnetkit/neuron/evidence';
import {
  loadValidatorState,
  saveValidatorState,
  type ValidatorState,
} from '@subnetkit/neuron/state';
import type { WireName } from '@subnetkit/transport';
import type { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devHotkeys, tempDir } from '../keys.js';
import { ComplianceNet, freshState, validatorKey } from './context.js';
import { slowMiner, wrongMiner } from './miners.js';
import { mapKinds, type Subject } from './subjects.js';
import { deadPort, garbageServer, portOf, pythonShapedRequest, send } from './wire.js';

export function describeUnaryCompliance(
  subject: Subject,
  served: readonly WireName[] = ['synapse'],
): void {
  const { protocol, timeoutS } = subject;
  const [honest1, honest2, wrongKey, slowKey, garbageKey1, garbageKey2, deadKey] = devHotkeys(
    `compliance-${protocol.name}`,
    7,
  ) as [Keypair, Keypair, Keypair, Keypair, Keypair, Keypair, Keypair];

  describe(`${subject.label}: subnet compliance`, () => {
    const net = new ComplianceNet({ serve: served });
    const servers: Server[] = [];
    let dir: Awaited<ReturnType<typeof tempDir>>;
    const UID = { honest1: 1, honest2: 2, wrong: 3, slow: 4, garbage1: 5, garbage2: 6, dead: 7 };

    beforeAll(async () => {
      dir = await tempDir('subnetkit-compliance-');
      await net.addMiner(subject.createMiner(), honest1);
      await net.addMiner(subject.createMiner(), honest2);
      await net.addMiner(wrongMiner(subject), wrongKey);
      await net.addMiner(slowMiner(subject), slowKey);
      const g1 = await garbageServer('this is not json {', 'application/json');
      const badFields = Object.fromEntries(
        Object.keys(protocol.output.shape).map((k) => [k, { garbage: [1, 'two', null] }]),
      );
      const g2 = await garbageServer(JSON.stringify(badFields), 'application/json');
      servers.push(g1, g2);
      net.addAxon(garbageKey1, portOf(g1));
      net.addAxon(garbageKey2, portOf(g2));
      net.addAxon(deadKey, await deadPort());
      net.seal();
    });

    afterAll(async () => {
      await net.close();
      await Promise.all(servers.map((sv) => new Promise((r) => sv.close(r))));
      await dir?.cleanup();
    });

    it('the protocol round-trips through the Python-compatible wire format', async () => {
      const target = net.target(UID.honest1);
      for (const counter of [1, 2, 3]) {
        const task = await net.sampleTask(subject.createValidator(), UID.honest1, counter);
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
        const viaDendrite = await net.dendrite.call(target, protocol, task.input, { timeout: 5 });
        expect(viaDendrite.ok).toBe(true);
        expect(viaDendrite.output).toEqual(protocol.output.parse(outputFields));
      }
    });

    it('the miner refuses unsigned (401) and unregistered (403) callers', async () => {
      const target = net.target(UID.honest1);
      const { unsigned, stranger, task } = await net.refusals(
        protocol,
        subject.createValidator(),
        UID.honest1,
        4,
        (d, t) => d.call(target, protocol, t.input, { timeout: 5 }),
      );
      expect(unsigned).toBe(401);
      expect(stranger.ok).toBe(false);
      expect(stranger.dendrite.status_code).toBe(403);
      // The registered validator is answered.
      const ok = await net.dendrite.call(target, protocol, task.input, { timeout: 5 });
      expect(ok.dendrite.status_code).toBe(200);
    });

    it('the validator scores right answers above wrong ones, and timeouts, garbage and dead axons as failures', async () => {
      const evidence = new EvidenceLog({ dir: join(dir.path, 'evidence') });
      try {
        const r = await net.step(subject.createValidator(), freshState(), timeoutS, { evidence });
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
      const real = subject.createValidator();
      const first = await net.step(real, freshState(), timeoutS);
      const before = first.state.scores.scores;
      expect(before[UID.honest1]).toBeGreaterThan(0);
      // score() throws: every answer is unverifiable, no score moves.
      const scoreThrows = mapKinds(real, () => ({
        score: () => {
          throw new Error('compliance: reference checker unavailable');
        },
      }));
      const r1 = await net.step(scoreThrows, first.state, timeoutS, { sampleSize: 3 });
      expect(r1.outcomes.length).toBe(3);
      for (const o of r1.outcomes) {
        if (o.statusCode === 200) expect(o.verdict.status).toBe('unverifiable');
      }
      // Miners that did answer are not charged; the others are charged for their own failure.
      for (const o of r1.outcomes.filter((x) => x.statusCode === 200)) {
        expect(r1.state.scores.scores[o.uid]).toBe(before[o.uid]);
      }
      // createTask throws: nobody is queried or charged.
      const taskThrows = mapKinds(real, () => ({
        createTask: () => {
          throw new Error('compliance: task source unavailable');
        },
      }));
      const r2 = await net.step(taskThrows, first.state, timeoutS);
      expect(r2.outcomes).toEqual([]);
      expect(r2.state.scores.scores).toEqual(before);
      // Our own shutdown mid-step: the query still waiting (the slow miner) is cancelled by us
      // and must not count against it. Give it a score to lose first.
      const seeded: ValidatorState = structuredClone(first.state);
      seeded.scores.scores[UID.slow] = 0.5;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), Math.min(500, (timeoutS * 1000) / 3));
      const r3 = await net
        .step(real, seeded, timeoutS, { signal: controller.signal })
        .finally(() => clearTimeout(timer));
      const slow = r3.outcomes.find((o) => o.uid === UID.slow)!;
      expect(slow.verdict.status).toBe('unverifiable');
      expect(r3.state.scores.scores[UID.slow]).toBe(0.5);
    });

    it('scores survive a restart (saved, reloaded, and the EMA continues)', async () => {
      const v = subject.createValidator();
      const first = await net.step(v, freshState(), timeoutS, { sampleSize: net.metagraph.n });
      const path = join(dir.path, 'restart', 'state.json');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(dir.path, 'restart'), { recursive: true, mode: 0o700 });
      await saveValidatorState(path, first.state);
      const loaded = (await loadValidatorState(path, { expect: { netuid: 1 } })).state!;
      expect(loaded.scores.scores).toEqual(first.state.scores.scores);
      expect(loaded.step).toBe(first.state.step);
      const queried = first.selection.uids.filter((u) => first.state.scores.scores[u]! > 0);
      expect(queried.length, 'a miner scored above 0 in the first step').toBeGreaterThan(0);
      const second = await net.step(v, loaded, timeoutS, { sampleSize: net.metagraph.n });
      for (const uid of queried) {
        // The EMA goes on from the reloaded score (alpha 0.5), not from the 0 of a validator
        // that forgot: for a miner answering right twice, about 0.75 rather than 0.5.
        const change = second.outcomes.find((o) => o.uid === uid)!.change;
        expect(change.before).toBe(loaded.scores.scores[uid]);
        expect(change.samplesBefore).toBe(1);
        expect(second.state.scores.scores[uid]).toBeCloseTo(
          0.5 * loaded.scores.scores[uid]! + 0.5 * change.sample,
          12,
        );
      }
    });
  });
}
