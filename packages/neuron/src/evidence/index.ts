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
