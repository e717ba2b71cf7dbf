import type { FileHandle } from 'node:fs/promises';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { VerdictStatus } from '@subnetkit/scoring';
import { NeuronError } from '../errors.js';
import { ensurePrivateDir, fsyncDir, PRIVATE_FILE_MODE } from '../state/atomic.js';
import type { ArtifactRef, StreamSummary } from '../types.js';
import { toCanonical } from './digest.js';

/** The current evidence file; rotated ones are `evidence-<time>-<n>.jsonl`. */
export const EVIDENCE_FILE = 'evidence.jsonl';
export const EVIDENCE_VERSION = 1;
const ROTATED_RE = /^evidence-(\d{8}T\d{9}Z)-(\d+)\.jsonl$/;

/** One scored answer: everything needed to see why a uid's score moved. */
export interface ScoreRecord {
  v: typeof EVIDENCE_VERSION;
  kind: 'score';
  /** ISO time the record was written (after the task's deadline). */
  time: string;
  step: number;
  uid: number;
  hotkey: string;
  taskId: string;
  /** The task seed, revealed (the deadline has passed); `null` for seedless tasks. */
  seed: string | null;
  /** The commitment published (or publishable) before the deadline. */
  commitment: string | null;
  /** `sha256` of the canonical JSON of the miner's answer; `null` when there was none. */
  answerDigest: string | null;
  /** Transport outcome: HTTP-like status code and time taken (ms). */
  statusCode: number | null;
  latencyMs: number | null;
  verdict: {
    status: VerdictStatus;
    score: number | null;
    components: Record<string, number | null>;
    reasons: string[];
    /** The verdict's evidence, as canonical JSON. */
    evidence?: unknown;
  };
  /** The task kind and the synapse it went over (absent in records before they existed). */
  taskKind?: string;
  /**
   * For a miner that drew a `shared` kind: its own seed, which drew the kind (`seed` is the
   * shared task's). Revealed with the seed, so the draw can be checked.
   */
  kindSeed?: string;
  synapse?: string;
  /** The wire the query went over (absent in records before wires existed: `synapse`). */
  wire?: string;
  /** For a streamed answer: how it arrived, on the validator's clock. */
  stream?: StreamSummary;
  /** The bytes the verdict was about, kept in the artifact store (by SHA-256). */
  artifacts?: ArtifactRef[];
  /** The EMA step this verdict caused. */
  alpha: number;
  sample: number;
  before: number;
  after: number;
  samplesBefore: number;
}

/** A uid's score was reset because its hotkey changed. */
export interface ResetRecord {
  v: typeof EVIDENCE_VERSION;
  kind: 'reset';
  time: string;
  step: number;
  uid: number;
  previousHotkey: string | null;
  hotkey: string | null;
}

export type EvidenceRecord = ScoreRecord | ResetRecord;

export type ScoreRecordInput = Omit<ScoreRecord, 'v' | 'kind' | 'time'> & {
  /** ms since the epoch after which the seed may be revealed; writing earlier is refused. */
  deadline?: number;
};

export interface EvidenceLogOptions {
  /** Directory of the log (created 0700). */
  dir: string;
  /** Rotate when the current file would exceed this (default 64 MiB). */
  maxBytes?: number;
  /** Rotated files kept (oldest deleted beyond it); 0 = keep all (default). */
  maxFiles?: number;
}

export interface EvidenceLogComponents {
  now?: () => number;
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace('.', '');
}

/** The rotated files of a log directory, oldest first, then the current file. */
export async function evidenceFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const rotated = names
    .map((name) => ({ name, m: ROTATED_RE.exec(name) }))
    .filter((x): x is { name: string; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) =>
      a.m[1]! === b.m[1]! ? Number(a.m[2]) - Number(b.m[2]) : a.m[1]! < b.m[1]! ? -1 : 1,
    )
    .map((x) => join(dir, x.name));
  if (names.includes(EVIDENCE_FILE)) rotated.push(join(dir, EVIDENCE_FILE));
  return rotated;
}

/**
 * Append-only JSONL evidence log: one line per scored answer (and per uid reset), written in
 * order, rotated by size. Lines are flushed to the OS on every append and to disk on
 * `flush()`/`close()`.
 */
export class EvidenceLog {
  readonly dir: string;
  readonly #maxBytes: number;
  readonly #maxFiles: number;
  readonly #now: () => number;
  #handle: FileHandle | undefined;
  #size = 0;
  #chain: Promise<unknown> = Promise.resolve();
  #rotations = 0;
  #closed = false;

  constructor(options: EvidenceLogOptions, components: EvidenceLogComponents = {}) {
    this.dir = options.dir;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#maxFiles = options.maxFiles ?? 0;
    this.#now = components.now ?? Date.now;
    if (!(this.#maxBytes >= 256)) {
      throw new NeuronError('INVALID_ARGUMENT', 'maxBytes: must be at least 256', {
        details: {
          field: 'maxBytes',
        },
      });
    }
  }

  get path(): string {
    return join(this.dir, EVIDENCE_FILE);
  }

  /** Records a scored answer. Refuses to reveal a seed before its deadline. */
  appendScore(input: ScoreRecordInput): Promise<ScoreRecord> {
    const now = this.#now();
    const { deadline, ...rest } = input;
    if (deadline !== undefined && rest.seed !== null && now < deadline) {
      return Promise.reject(
        new NeuronError(
          'INVALID_ARGUMENT',
          `evidence: the seed of task ${rest.taskId} cannot be revealed before its deadline (${deadline - now} ms left)`,
          { details: { field: 'seed' } },
        ),
      );
    }
    const verdict = { ...rest.verdict };
    if (verdict.evidence === undefined) delete verdict.evidence;
    else verdict.evidence = toCanonical(verdict.evidence);
    const record: ScoreRecord = {
      v: EVIDENCE_VERSION,
      kind: 'score',
      time: new Date(now).toISOString(),
      ...rest,
      verdict,
    };
    return this.#append(record).then(() => record);
  }

  /** Records that a uid's score was reset (its hotkey changed). */
  appendReset(input: Omit<ResetRecord, 'v' | 'kind' | 'time'>): Promise<ResetRecord> {
    const record: ResetRecord = {
      v: EVIDENCE_VERSION,
      kind: 'reset',
      time: new Date(this.#now()).toISOString(),
      ...input,
    };
    return this.#append(record).then(() => record);
  }

  #append(record: EvidenceRecord): Promise<void> {
    if (this.#closed) {
      return Promise.reject(new NeuronError('SHUTTING_DOWN', 'evidence log is closed'));
    }
    const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    const run = this.#chain.then(async () => {
      const handle = await this.#open();
      if (this.#size > 0 && this.#size + line.length > this.#maxBytes) await this.#rotate();
      await (this.#handle ?? handle).write(line);
      this.#size += line.length;
    });
    this.#chain = run.catch(() => {});
    return run;
  }

  async #open(): Promise<FileHandle> {
    if (this.#handle) return this.#handle;
    await ensurePrivateDir(this.dir);
    const handle = await open(this.path, 'a+', PRIVATE_FILE_MODE);
    this.#size = (await handle.stat()).size;
    if (this.#size > 0) {
      // A crash mid-append leaves a torn last line: end it, so the next record stays readable.
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, this.#size - 1);
      if (last[0] !== 0x0a) {
        await handle.write('\n');
        this.#size += 1;
      }
    }
    this.#handle = handle;
    return handle;
  }

  async #rotate(): Promise<void> {
    const handle = this.#handle!;
    this.#handle = undefined;
    await handle.sync();
    await handle.close();
    const target = join(this.dir, `evidence-${stamp(this.#now())}-${this.#rotations++}.jsonl`);
    await rename(this.path, target);
    await fsyncDir(this.dir);
    if (this.#maxFiles > 0) {
      const files = (await evidenceFiles(this.dir)).filter((f) => !f.endsWith(EVIDENCE_FILE));
      for (const old of files.slice(0, Math.max(0, files.length - this.#maxFiles))) {
        await rm(old, { force: true });
      }
    }
    await this.#open();
  }

  /** Waits for pending appends and fsyncs the file. */
  async flush(): Promise<void> {
    await this.#chain;
    await this.#handle?.sync();
  }

  /** Flushes and closes; later appends are refused. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#chain;
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle) {
      await handle.sync();
      await handle.close();
    }
  }
}
