// The package's build step (`pnpm build` runs it after tsc): builds the reference model from the
// corpus and writes dist/model.bin.
import { REFERENCE_ARTIFACT_PATH, writeReferenceArtifact } from './load.js';

const started = performance.now();
const model = writeReferenceArtifact();
const seconds = ((performance.now() - started) / 1000).toFixed(2);
const mib = (model.serialize().length / 2 ** 20).toFixed(1);
console.log(
  `reference model: order ${model.order}, vocabulary ${model.vocabSize}, ${mib} MiB, built in ${seconds} s, sha256 ${model.versionHash} -> ${REFERENCE_ARTIFACT_PATH}`,
);
