/**
 * The checks of a streaming synapse: the stream reaches a Python-shaped caller and our
 * dendrite, unsigned and unregistered callers are refused, and the validator passes complete
 * honest streams while failing wrong, cut, stalled and oversized ones with the reason, and
 * never charges a miner for its own failure.
 */
import { join } from 'node:path';
import { EvidenceLog, readEvidence } from '@subnetkit/neuron/evidence';
import type { ValidatorState } from '@subnetkit/neuron/state';
import { DEFAULT_MAX_STREAM_BYTES, DEFAULT_STALL_TIMEOUT_S } from '@subnetkit/neuron/steps';
import type { WireName } from '@subnetkit/transport';
import type { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devHotkeys, tempDir } from '../keys.js';
import { ComplianceNet, freshState, validatorKey } from './context.js';
import {
  cutStreamMiner,
  oversizedStreamMiner,
  slowMiner,
  stalledStreamMiner,
  wrongMiner,
} from './miners.js';
import { mapKinds, type Subject } from './subjects.js';
import { pythonShapedRequest, send } from './wire.js';

export function describeStreamingCompliance(
  subject: Subject,
  served: readonly WireName[] = ['synapse'],
): void {
  const { protocol, timeoutS } = subject;
  const kind = subject.kinds[0]!;
  const cap = kind.maxStreamBytes ?? DEFAULT_MAX_STREAM_BYTES;
  const stallS = kind.stallTimeoutS ?? DEFAULT_STALL_TIMEOUT_S;
  // A miner that stops sending is caught by the stall deadline when it is the shorter one.
  const quietEnd = stallS < timeoutS ? 'stalled' : 'timeout';
  const keys = devHotkeys(`compliance-stream-${protocol.name}`, 7) as Keypair[];

  describe(`${subject.label}: streaming compliance`, () => {
    const net = new ComplianceNet({ serve: served });
    let dir: Awaited<ReturnType<typeof tempDir>>;
    const UID = { honest1: 1, honest2: 2, wrong: 3, cut: 4, stalled: 5, oversized: 6, silent: 7 };

    beforeAll(async () => {
      dir = await tempDir('subnetkit-compliance-stream-');
      await net.addMiner(subject.createMiner(), keys[0]!);
      await net.addMiner(subject.createMiner(), keys[1]!);
      await net.addMiner(wrongMiner(subject), keys[2]!);
      await net.addMiner(cutStreamMiner(subject), keys[3]!);
      await net.addMiner(stalledStreamMiner(subject), keys[4]!);
      await net.addMiner(oversizedStreamMiner(subject, cap), keys[5]!);
      await net.addMiner(slowMiner(subject), keys[6]!);
      net.seal();
    });

    afterAll(async () => {
      await net.close();
      await dir?.cleanup();
    });

    it('the stream reaches a Python-shaped caller and our dendrite', async () => {
      const target = net.target(UID.honest1);
      const task = await net.sampleTask(subject.createValidator(), UID.honest1, 1);
      const input = protocol.input.parse(task.input) as Record<string, unknown>;
      const callS = Math.max(2, 2 * timeoutS);
      const raw = await send(
        pythonShapedRequest(protocol, input, validatorKey, target, {
          signed: true,
          timeout: callS,
        }),
        (callS + 1) * 1000,
      );
      expect(raw.status).toBe(200);
      expect(raw.text.length).toBeGreaterThan(0);
      const stream = net.dendrite.stream(target, protocol, task.input, { timeout: callS });
      const chunks: Array<string | Uint8Array> = [];
      for await (const c of stream) chunks.push(c);
      const result = await stream.result;
      expect(result.ok, result.dendrite.status_message).toBe(true);
      expect(chunks.join('')).toBe(raw.text);
    });

    it('the miner refuses unsigned (401) and unregistered (403) callers', async () => {
      const target = net.target(UID.honest1);
      const { unsigned, stranger } = await net.refusals(
        protocol,
        subject.createValidator(),
        UID.honest1,
        2,
        async (d, t) => {
          const s = d.stream(target, protocol, t.input, { timeout: 5 });
          for await (const _ of s) {
            // a refused stream yields nothing
          }
          return s.result;
        },
      );
      expect(unsigned).toBe(401);
      expect(stranger.ok).toBe(false);
      expect(stranger.dendrite.status_code).toBe(403);
    });

    it('the validator passes complete honest streams and fails wrong, cut, stalled, oversized and silent ones with the reason', async () => {
      const evidencePath = join(dir.path, 'evidence');
      const evidence = new EvidenceLog({ dir: evidencePath });
      let r: Awaited<ReturnType<typeof net.step>>;
      try {
        r = await net.step(subject.createValidator(), freshState(), timeoutS, { evidence });
        await evidence.flush();
      } finally {
        await evidence.close();
      }
      expect(r.errors, 'validator errors').toEqual([]);
      const by = new Map(r.outcomes.map((o) => [o.uid, o]));
      for (const uid of [UID.honest1, UID.honest2]) {
        const o = by.get(uid)!;
        expect(o.verdict.status, `honest uid ${uid}: ${o.verdict.reasons.join('; ')}`).toBe('pass');
        expect(o.stream?.end).toBe('complete');
        expect(o.stream?.timeToFirstChunkMs).not.toBeNull();
      }
      const expected: Array<[number, string | null]> = [
        [UID.wrong, null],
        [UID.cut, 'cut'],
        [UID.stalled, quietEnd],
        [UID.oversized, 'oversized'],
        [UID.silent, quietEnd],
      ];
      for (const [uid, end] of expected) {
        const o = by.get(uid)!;
        expect(o.verdict.status, `uid ${uid}`).toBe('fail');
        if (end) {
          expect(o.stream?.end, `uid ${uid}`).toBe(end);
          expect(o.verdict.reasons.join(' '), `uid ${uid}`).toContain(end);
        }
      }
      const scores = r.state.scores.scores;
      const right = Math.min(scores[UID.honest1]!, scores[UID.honest2]!);
      for (const [uid] of expected) {
        expect(scores[uid]!, `uid ${uid} below the honest miners`).toBeLessThan(right);
      }
      // The evidence keeps how each stream arrived, measured by the validator.
      let honestEnd: string | undefined;
      for await (const line of readEvidence(evidencePath)) {
        if (line.kind === 'score' && line.uid === UID.honest1) honestEnd = line.stream?.end;
      }
      expect(honestEnd).toBe('complete');
    });

    it('the validator never penalises a miner for its own failure', async () => {
      const real = subject.createValidator();
      const first = await net.step(real, freshState(), timeoutS);
      const before = first.state.scores.scores;
      expect(before[UID.honest1]).toBeGreaterThan(0);
      // score() throws: every complete stream is unverifiable and its miner keeps its score.
      const scoreThrows = mapKinds(real, () => ({
        score: () => {
          throw new Error('compliance: reference checker unavailable');
        },
      }));
      const r1 = await net.step(scoreThrows, first.state, timeoutS);
      const complete = r1.outcomes.filter((o) => o.stream?.end === 'complete');
      expect(complete.map((o) => o.uid)).toEqual(expect.arrayContaining([UID.honest1]));
      for (const o of complete) {
        expect(o.verdict.status, `uid ${o.uid}`).toBe('unverifiable');
        expect(r1.state.scores.scores[o.uid]).toBe(before[o.uid]);
      }
      // Our own shutdown while a stream is open must not count against the miner.
      const seeded: ValidatorState = structuredClone(first.state);
      seeded.scores.scores[UID.stalled] = 0.5;
      const controller = new AbortController();
      const wait = Math.min(300, (Math.min(timeoutS, stallS) * 1000) / 3);
      const timer = setTimeout(() => controller.abort(), wait);
      const r3 = await net
        .step(real, seeded, timeoutS, { signal: controller.signal })
        .finally(() => clearTimeout(timer));
      const stalled = r3.outcomes.find((o) => o.uid === UID.stalled)!;
      expect(stalled.verdict.status).toBe('unverifiable');
      expect(r3.state.scores.scores[UID.stalled]).toBe(0.5);
    });
  });
}
