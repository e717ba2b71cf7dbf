/**
 * Benchmark of the reference model. Run: `pnpm bench` in subnets/text.
 *
 * Reports the model's build time and size, reference generation speed (tokens/s), and what a
 * validator pays to audit an answer (one pass) and to check an exact regeneration, per 500
 * completion tokens, each as a ratio to generating the same tokens in the same run.
 */
import { performance } from 'node:perf_hooks';
import {
  auditOutput,
  buildReferenceModel,
  checkRegeneration,
  deserializeReferenceModel,
  type Generation,
  loadReferenceCorpus,
  type ReferenceModel,
  regenerate,
  type SamplingParams,
} from '../src/index.js';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function timed<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const value = fn();
  return [value, performance.now() - t0];
}

// Build and size.
const [corpus, corpusMs] = timed(() => loadReferenceCorpus());
const builds: number[] = [];
let model: ReferenceModel | undefined;
for (let i = 0; i < 3; i++) {
  const [m, ms] = timed(() => buildReferenceModel(corpus));
  builds.push(ms);
  model = m;
}
const reference = model as ReferenceModel;
const bytes = reference.serialize();
const [, loadMs] = timed(() => deserializeReferenceModel(bytes));
const chars = corpus.documents.reduce((n, d) => n + d.text.length, 0);
console.log(
  `corpus: ${corpus.documents.length} addresses, ${(chars / 2 ** 20).toFixed(2)} MiB of text, ${reference.info.trainingTokens} training tokens (read in ${corpusMs.toFixed(0)} ms)`,
);
console.log(
  `model: order ${reference.order}, vocabulary ${reference.vocabSize}, ${(bytes.length / 2 ** 20).toFixed(1)} MiB serialized; build ${median(builds).toFixed(0)} ms (median of 3), load from bytes ${loadMs.toFixed(0)} ms`,
);
console.log(`versionHash ${reference.versionHash}`);

// Generation vs audit vs regeneration check, per 500 tokens.
const prompt = { messages: [{ role: 'user', content: 'What is the state of the union?' }] };
const cases: [string, SamplingParams][] = [
  ['T=1 top-k 20', { temperature: 1, topK: 20, maxTokens: 500 }],
  ['T=0.8 top-k 50 top-p 0.95', { temperature: 0.8, topK: 50, topP: 0.95, maxTokens: 500 }],
  ['T=1 no top-k', { temperature: 1, topK: 0, maxTokens: 500 }],
];
const TOKENS = 6000;

for (const [label, params] of cases) {
  for (const pass of ['cold', 'warm'] as const) {
    const answers: Generation[] = [];
    let genMs = 0;
    let tokens = 0;
    for (let i = 0; tokens < TOKENS; i++) {
      const seed = new Uint8Array(32);
      seed[0] = i & 0xff;
      seed[1] = i >> 8;
      seed[2] = label.length;
      const [g, ms] = timed(() =>
        regenerate({ model: reference, prompt, seed, ...params, logprobs: 5 }),
      );
      genMs += ms;
      tokens += g.tokens.length;
      answers.push(g);
    }
    let auditMs = 0;
    let regenMs = 0;
    let clean = 0;
    answers.forEach((g, i) => {
      const seed = new Uint8Array(32);
      seed[0] = i & 0xff;
      seed[1] = i >> 8;
      seed[2] = label.length;
      const [report, ms] = timed(() =>
        auditOutput({
          model: reference,
          prompt,
          completion: { tokens: g.tokens },
          claimedLogprobs: g.steps.map((s) => ({ logprob: s.logprob, top: s.top })),
          claimedUsage: g.usage,
          params,
        }),
      );
      auditMs += ms;
      if (report.ok || report.counts.outsideTopK > 0) clean += 1;
      const [check, rms] = timed(() =>
        checkRegeneration({ model: reference, prompt, seed, params, tokens: g.tokens }),
      );
      regenMs += rms;
      if (!check.match) throw new Error('regeneration mismatch');
    });
    const per500 = (ms: number) => (ms / tokens) * 500;
    console.log(
      `${label} (${pass}): ${answers.length} answers, ${tokens} tokens; generate ${((tokens / genMs) * 1000).toFixed(0)} tokens/s = ${per500(genMs).toFixed(2)} ms/500; audit ${per500(auditMs).toFixed(2)} ms/500 (${(auditMs / genMs).toFixed(3)}× generation); regeneration check ${per500(regenMs).toFixed(2)} ms/500 (${(regenMs / genMs).toFixed(3)}× generation); ${clean}/${answers.length} audited`,
    );
  }
}

// A validator's process: a fresh model audits answers it has never seen, with its contexts
// sorted lazily (cold) or all at start-up (precompute).
{
  const [label, params] = cases[0] as [string, SamplingParams];
  const answers: Generation[] = [];
  let tokens = 0;
  for (let i = 0; tokens < TOKENS; i++) {
    const seed = new Uint8Array(32).fill(0xa5);
    seed[0] = i & 0xff;
    const g = regenerate({ model: reference, prompt, seed, ...params, logprobs: 5 });
    answers.push(g);
    tokens += g.tokens.length;
  }
  const auditAll = (m: ReferenceModel) =>
    timed(() => {
      for (const g of answers) {
        auditOutput({
          model: m,
          prompt,
          completion: { tokens: g.tokens },
          claimedLogprobs: g.steps.map((s) => ({ logprob: s.logprob, top: s.top })),
          claimedUsage: g.usage,
          params,
        });
      }
    })[1];
  const lazy = deserializeReferenceModel(bytes);
  const lazyMs = auditAll(lazy);
  const eager = deserializeReferenceModel(bytes);
  const [, precomputeMs] = timed(() => eager.precompute());
  const eagerMs = auditAll(eager);
  console.log(
    `${label}, fresh model, unseen answers (${tokens} tokens): audit ${((lazyMs / tokens) * 500).toFixed(2)} ms/500 with lazy sorting; precompute() ${precomputeMs.toFixed(0)} ms, then ${((eagerMs / tokens) * 500).toFixed(2)} ms/500`,
  );
}
