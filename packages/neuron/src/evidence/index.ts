/**
 * `@subnetkit/neuron/evidence`: the validator's evidence log (one JSON line per verdict), its
 * reader, task seeds and their reveal, and the artifact store beside the log.
 */
export {
  ARTIFACTS_DIR,
  ArtifactStore,
  type ArtifactStoreComponents,
  type ArtifactStoreOptions,
  type StoredArtifact,
} from './artifacts.js';
export { canonicalJson, digestAnswer, toCanonical } from './digest.js';
export {
  EVIDENCE_FILE,
  EVIDENCE_VERSION,
  EvidenceLog,
  type EvidenceLogComponents,
  type EvidenceLogOptions,
  type EvidenceRecord,
  evidenceFiles,
  type ResetRecord,
  type ScoreRecord,
  type ScoreRecordInput,
} from './log.js';
export {
  explainScore,
  type ReadEvidenceOptions,
  readEvidence,
  type ScoreExplanation,
} from './reader.js';
export {
  deriveSeed,
  loadOrCreateSecret,
  nextSeed,
  SECRET_BYTES,
  SECRET_FILE,
  type SeededRandom,
  type SeedInput,
  type SeedState,
  seedCommitment,
  seededRandom,
  seedMessage,
  type TaskSeed,
  type ValidatorSecret,
  verifySeedReveal,
} from './seeds.js';
