/**
 * `describeSubnetCompliance(subnet)`: the checks every subnet's tests run. It drives the
 * subnet's own miner and validator definitions through the real transport (loopback axons,
 * a real dendrite, raw Python-shaped wire requests), once per synapse — request/response
 * synapses and streaming ones each get their own checks — and, last, through `runMiner` /
 * `runValidator` on an in-process localnet until weights are on chain.
 */
import { type AnySynapse, WIRE_NAMES, type WireName } from '@subnetkit/transport';
import { describe, it } from 'vitest';
import { itSetsWeightsOnChain } from './chain.js';
import { describeStreamingCompliance } from './streaming.js';
import { type SubnetUnderTest, subjectsOf } from './subjects.js';
import { describeUnaryCompliance } from './unary.js';
import { describeWireCompliance } from './wires.js';

export type { SubnetUnderTest } from './subjects.js';

/**
 * Registers the compliance tests for a subnet (call it at the top level of a test file).
 * Per request/response synapse:
 *
 * - the protocol round-trips through the Python-compatible wire format (a request built from
 *   the SDK's rules is answered, and the answer parses with the protocol's output schema);
 * - the miner refuses unsigned (401) and unregistered (403) callers;
 * - the validator scores right answers above wrong ones, and timeouts, garbage and dead axons
 *   as failures, without a validator error;
 * - the validator never lowers a score for its own failure (`score` or `createTask` throwing,
 *   its own shutdown);
 * - scores survive a save and reload (a restart).
 *
 * Per streaming synapse: the stream reaches a Python-shaped caller and our dendrite; unsigned
 * and unregistered callers are refused; complete honest streams pass while wrong, cut,
 * stalled, oversized and silent streams fail with their reason; the validator's own failures
 * never lower a score.
 *
 * Per synapse and per signed wire in `subnet.wires` (btauth, epistula, fiber): the miner
 * answers over it; unsigned, unregistered and misaddressed callers are refused; a validator
 * speaking it scores honest miners above wrong and dead ones.
 *
 * For the whole subnet: weights reach the chain (`runMiner` + `runValidator` on a localnet).
 */
export function describeSubnetCompliance<S extends AnySynapse, P>(
  subnet: SubnetUnderTest<S, P>,
): void {
  const s = subnet as unknown as SubnetUnderTest;
  const { subjects, unscored } = subjectsOf(s);
  const signed = signedWiresOf(s);
  const served: WireName[] = ['synapse', ...signed];
  if (unscored.length > 0) {
    describe(`${s.name}: synapses no task kind scores`, () => {
      it.skip(`not checked: ${unscored.join(', ')} (the validator sends no task over them)`);
    });
  }
  for (const subject of subjects) {
    if (subject.protocol.streaming) describeStreamingCompliance(subject, served);
    else describeUnaryCompliance(subject, served);
    for (const wire of signed) describeWireCompliance(subject, wire, served);
  }
  describe(`${s.name}: on chain`, () => itSetsWeightsOnChain(s, subjects));
}

/** The subnet's signed wires, checked (a typo would silently test nothing). */
function signedWiresOf(subnet: SubnetUnderTest): Exclude<WireName, 'synapse'>[] {
  const out: Exclude<WireName, 'synapse'>[] = [];
  for (const w of subnet.wires ?? []) {
    if (!WIRE_NAMES.includes(w)) {
      throw new Error(`compliance: ${subnet.name}: unknown wire ${JSON.stringify(w)} in wires`);
    }
    if (w !== 'synapse' && !out.includes(w)) out.push(w);
  }
  return out;
}
