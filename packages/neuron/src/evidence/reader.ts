import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { VerdictStatus } from '@subnetkit/scoring';
import { type EvidenceRecord, evidenceFiles, type ScoreRecord } from './log.js';

export interface ReadEvidenceOptions {
  /** Only records of this uid. */
  uid?: number;
  /** Called for each line that is not a valid record (e.g. a line cut by a crash). */
  onMalformed?: (file: string, line: number, text: string) => void;
}

function isRecord(value: unknown): value is EvidenceRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  if (r.v !== 1 || typeof r.uid !== 'number' || typeof r.step !== 'number') return false;
  if (r.kind === 'reset') return true;
  return (
    r.kind === 'score' &&
    typeof r.before === 'number' &&
    typeof r.after === 'number' &&
    typeof r.sample === 'number' &&
    typeof r.alpha === 'number' &&
    typeof r.verdict === 'object' &&
    r.verdict !== null &&
    typeof (r.verdict as { status?: unknown }).status === 'string'
  );
}

/** Reads every record of an evidence directory in write order (rotated files first). */
export async function* readEvidence(
  dir: string,
  options: ReadEvidenceOptions = {},
): AsyncGenerator<EvidenceRecord> {
  for (const file of await evidenceFiles(dir)) {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let n = 0;
    for await (const text of lines) {
      n++;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        options.onMalformed?.(file, n, text);
        continue;
      }
      if (!isRecord(value)) {
        options.onMalformed?.(file, n, text);
        continue;
      }
      if (options.uid !== undefined && value.uid !== options.uid) continue;
      yield value;
    }
  }
}

/** Why a uid has its score, rebuilt from the evidence log. */
export interface ScoreExplanation {
  uid: number;
  /** The hotkey the explained records belong to (the latest one). */
  hotkey: string | null;
  /** Score records since the last reset of this uid (oldest first). */
  records: ScoreRecord[];
  /** Score at the first explained record (0 after a reset). */
  start: number;
  /** True when the records go back to the uid's last reset (nothing before is needed). */
  complete: boolean;
  /** Score rebuilt from `start` by replaying every EMA step. */
  recomputed: number;
  /** The last `after` written in the log. */
  logged: number | null;
  /** Steps whose `before` is not the previous `after` (records missing) or whose EMA does not add up. */
  inconsistencies: string[];
  counts: Record<VerdictStatus, number>;
  /** Mean of each verdict component over the records where it was measured. */
  componentMeans: Record<string, number>;
  malformedLines: number;
  /** A human-readable account. */
  text: string;
}

const EPS = 1e-12;

/**
 * Explains a uid's current score from the evidence log: the verdicts since its last reset,
 * replayed through the EMA, with every gap or mismatch reported.
 */
export async function explainScore(
  dir: string,
  uid: number,
  options: { maxLines?: number } = {},
): Promise<ScoreExplanation> {
  let malformed = 0;
  let records: ScoreRecord[] = [];
  let sawReset = false;
  for await (const r of readEvidence(dir, { uid, onMalformed: () => malformed++ })) {
    if (r.kind === 'reset') {
      records = [];
      sawReset = true;
      continue;
    }
    // A different hotkey on the same uid without a reset record is a reset too.
    if (records.length > 0 && records[records.length - 1]!.hotkey !== r.hotkey) {
      records = [];
      sawReset = true;
    }
    records.push(r);
  }
  const counts: Record<VerdictStatus, number> = { pass: 0, fail: 0, unverifiable: 0 };
  const sums = new Map<string, { sum: number; n: number }>();
  const inconsistencies: string[] = [];
  const first = records[0];
  const start = first ? first.before : 0;
  const complete = first === undefined ? sawReset : first.samplesBefore === 0;
  let replay = start;
  let previousAfter = start;
  for (const [i, r] of records.entries()) {
    counts[r.verdict.status]++;
    for (const [name, value] of Object.entries(r.verdict.components)) {
      if (value === null) continue;
      const s = sums.get(name) ?? { sum: 0, n: 0 };
      s.sum += value;
      s.n++;
      sums.set(name, s);
    }
    if (i > 0 && Math.abs(r.before - previousAfter) > EPS) {
      inconsistencies.push(
        `step ${r.step} (task ${r.taskId}): score before is ${r.before} but the previous record left ${previousAfter} (records missing?)`,
      );
      replay = r.before;
    }
    const local =
      r.verdict.status === 'unverifiable'
        ? r.before
        : r.alpha * r.sample + (1 - r.alpha) * r.before;
    if (Math.abs(local - r.after) > EPS) {
      inconsistencies.push(
        `step ${r.step} (task ${r.taskId}): ${r.alpha}·${r.sample} + ${1 - r.alpha}·${r.before} = ${local}, but ${r.after} was logged`,
      );
    }
    if (r.verdict.status !== 'unverifiable') replay = r.alpha * r.sample + (1 - r.alpha) * replay;
    previousAfter = r.after;
  }
  const componentMeans: Record<string, number> = {};
  for (const [name, s] of sums) componentMeans[name] = s.sum / s.n;
  const last = records[records.length - 1];
  const hotkey = last?.hotkey ?? null;
  const lines: string[] = [];
  lines.push(
    `uid ${uid}${hotkey ? ` (${hotkey})` : ''}: score ${last ? last.after : 0} from ${records.length} verdicts` +
      ` (${counts.pass} pass, ${counts.fail} fail, ${counts.unverifiable} unverifiable)`,
  );
  lines.push(
    complete
      ? `history complete: starts at ${start} after the uid's last reset`
      : `history partial: the log starts at score ${start} (older records were rotated away or predate the log)`,
  );
  const shown = records.slice(-(options.maxLines ?? 20));
  if (shown.length < records.length)
    lines.push(`… ${records.length - shown.length} older verdicts`);
  for (const r of shown) {
    const comps = Object.entries(r.verdict.components)
      .map(([k, v]) => `${k}=${v === null ? 'n/a' : v}`)
      .join(' ');
    lines.push(
      `  step ${r.step} task ${r.taskId}: ${r.verdict.status}` +
        `${r.verdict.score === null ? '' : ` ${r.verdict.score}`}${comps ? ` [${comps}]` : ''}` +
        ` ${r.before} → ${r.after}${r.verdict.reasons.length ? ` — ${r.verdict.reasons.join('; ')}` : ''}`,
    );
  }
  for (const inc of inconsistencies) lines.push(`  ! ${inc}`);
  if (malformed > 0) lines.push(`  ! ${malformed} malformed lines skipped`);
  return {
    uid,
    hotkey,
    records,
    start,
    complete,
    recomputed: replay,
    logged: last ? last.after : null,
    inconsistencies,
    counts,
    componentMeans,
    malformedLines: malformed,
    text: lines.join('\n'),
  };
}
