// The compliance suite every subnet runs (packages/test-utils): the streaming checks (the
// stream reaches a Python-shaped caller and our dendrite; unsigned and unregistered callers
// refused; honest streams pass while wrong, cut, stalled, oversized and silent ones fail with
// the reason; the validator's own failures never charged), over btauth too, and weights on chain.
import { loadConfig } from '@subnetkit/neuron';
import { describeSubnetCompliance } from '@subnetkit/test-utils';
import {
  createTextMiner,
  createTextValidator,
  encodeEvent,
  loadReferenceModel,
  parseEvents,
  ReferenceBackend,
  solveTask,
  TextGeneration,
  textConfigSchema,
} from '../src/index.js';

const model = loadReferenceModel();

/**
 * The honest stream made wrong: verified inference with one token changed (and its text with
 * it, so only the audit can tell); a grounded answer replaced by another.
 */
function oneTokenChanged(_input: unknown, honest: string[]): string[] {
  const parsed = parseEvents(honest.join(''));
  if (!parsed.ok) throw new Error(`honest stream does not parse: ${parsed.reason}`);
  const [first, ...rest] = parsed.pieces;
  if (first?.tokens === undefined) {
    return [{ text: 'no idea, sorry' }, parsed.done].map(encodeEvent);
  }
  const id = first.tokens[0]!;
  const other = id === 2 ? 3 : 2;
  const changed = { ...first, tokens: [other], text: model.tokenizer.piece(undefined, other) };
  return [changed, ...rest, parsed.done].map(encodeEvent);
}

describeSubnetCompliance({
  name: 'text',
  protocol: TextGeneration,
  createMiner: () => createTextMiner(new ReferenceBackend(model, { solve: solveTask })),
  createValidator: () => createTextValidator(model),
  wrongAnswers: { TextGeneration: oneTokenChanged },
  loadConfig: (argv) => {
    const result = loadConfig(textConfigSchema, { argv, env: {} });
    if (result.help) throw new Error('unexpected --help');
    return result.config;
  },
  timeoutS: 2,
  wires: ['btauth'],
});
