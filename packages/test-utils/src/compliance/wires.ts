/**
 * The checks of one synapse over one signed wire (btauth/1, Epistula v2, Fiber) a subnet
 * enables: the same handlers answer over it, its callers are refused as on every wire
 * (unsigned, unregistered, signed for another miner), and a validator speaking it scores
 * honest miners above wrong and dead ones with the wire in each outcome.
 */
import type { ValidatorTask } from '@subnetkit/neuron';
import type { AnySynapse, AxonTarget, Dendrite, QueryResult, WireName } from '@subnetkit/transport';
import type { Keypair } from '@subnetkit/wallet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devHotkeys } from '../keys.js';
import { ComplianceNet, freshState } from './context.js';
import { wrongMiner } from './miners.js';
import type { Subject } from './subjects.js';
import { deadPort, send } from './wire.js';

/** What a wire answers a request signed for another receiver (its reference's status). */
const WRONG_RECEIVER_STATUS: Readonly<Record<Exclude<WireName, 'synapse'>, number>> = {
  btauth: 401,
  epistula: 400,
  fiber: 401,
};

/** One call or one whole stream, as a query result. */
async function ask(
  dendrite: Dendrite,
  target: AxonTarget,
  protocol: AnySynapse,
  task: ValidatorTask<AnySynapse>,
  timeoutS: number,
): Promise<QueryResult<AnySynapse>> {
  if (!protocol.streaming)
    return dendrite.call(target, protocol, task.input, { timeout: timeoutS });
  const stream = dendrite.stream(target, protocol, task.input, { timeout: timeoutS });
  for await (const _ of stream) {
    // drained: the result says how the stream ended
  }
  return stream.result;
}

export function describeWireCompliance(
  subject: Subject,
  wire: Exclude<WireName, 'synapse'>,
  served: readonly WireName[],
): void {
  const { protocol, timeoutS } = subject;
  const [honest1, honest2, wrongKey, deadKey, elsewhere] = devHotkeys(
    `compliance-${wire}-${protocol.name}`,
    5,
  ) as [Keypair, Keypair, Keypair, Keypair, Keypair];
  const callS = Math.max(2, 2 * timeoutS);

  describe(`${subject.label}: over the ${wire} wire`, () => {
    const net = new ComplianceNet({ serve: served, speak: wire });
    const UID = { honest1: 1, honest2: 2, wrong: 3, dead: 4 };

    beforeAll(async () => {
      await net.addMiner(subject.createMiner(), honest1);
      await net.addMiner(subject.createMiner(), honest2);
      await net.addMiner(wrongMiner(subject), wrongKey);
      net.addAxon(deadKey, await deadPort());
      net.seal();
    });

    afterAll(() => net.close());

    it(`the miner answers over ${wire}, with the same handlers`, async () => {
      const target = net.target(UID.honest1);
      for (const counter of [1, 2]) {
        const task = await net.sampleTask(subject.createValidator(), UID.honest1, counter);
        const r = await ask(net.dendrite, target, protocol, task, callS);
        expect(r.ok, `${r.dendrite.status_code} ${r.dendrite.status_message}`).toBe(true);
        expect(r.wire).toBe(wire);
        if (!protocol.streaming) expect(protocol.output.safeParse(r.output).success).toBe(true);
      }
    });

    it(`the miner refuses unsigned, unregistered and misaddressed callers over ${wire}`, async () => {
      const target = net.target(UID.honest1);
      const { unsigned, stranger, task } = await net.refusals(
        protocol,
        subject.createValidator(),
        UID.honest1,
        3,
        (d, t) => ask(d, target, protocol, t, callS),
      );
      expect(unsigned).toBe(401);
      expect(stranger.wire).toBe(wire);
      expect(stranger.dendrite.status_code).toBe(403);
      // Signed for another miner's hotkey, sent to this one.
      const misaddressed = await ask(
        net.dendrite,
        { ...target, hotkey: elsewhere.ss58Address },
        protocol,
        task,
        callS,
      );
      expect(misaddressed.dendrite.status_code).toBe(WRONG_RECEIVER_STATUS[wire]);
      expect(misaddressed.dendrite.status_message).toContain('WRONG_RECEIVER');
      // A request with no wire's headers at all.
      const bare = await send({
        url: `http://${target.ip}:${target.port}/${protocol.name}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(task.input),
      });
      expect(bare.status).toBe(401);
    });

    it(`a validator speaking ${wire} scores honest miners above wrong and dead ones`, async () => {
      const r = await net.step(subject.createValidator(), freshState(), timeoutS);
      expect(r.errors, 'validator errors').toEqual([]);
      const by = new Map(r.outcomes.map((o) => [o.uid, o]));
      for (const uid of [UID.honest1, UID.honest2]) {
        const o = by.get(uid)!;
        expect(o.verdict.status, `honest uid ${uid}: ${o.verdict.reasons}`).toBe('pass');
      }
      for (const uid of [UID.wrong, UID.dead]) expect(by.get(uid)!.verdict.status).toBe('fail');
      for (const o of r.outcomes) expect(o.wire).toBe(wire);
      const scores = r.state.scores.scores;
      const right = Math.min(scores[UID.honest1]!, scores[UID.honest2]!);
      expect(scores[UID.wrong]!).toBeLessThan(right);
      expect(scores[UID.dead]!).toBeLessThan(right);
    });
  });
}
