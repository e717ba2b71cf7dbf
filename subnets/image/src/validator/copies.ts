/**
 * Replays and copies: every miner gets its own task, so an answer perceptually near an earlier
 * answer to a *different* task (the miner's own, or another miner's) was not made for this one.
 *
 * Measured on 200 random tasks of the procedural renderer (19,900 pairs): different tasks are
 * at least 12 bits apart in pHash (0.1 % of pairs ≤ 14); a copy resized to another size and
 * re-encoded as JPEG q60 stays within 2 bits (pHash) and 10 (dHash). A copy is within 6 bits in
 * pHash **and** 16 in dHash.
 */
import { type Hash64, hammingDistance, NearDuplicateIndex } from '../checks/phash.js';
import { ImageSubnetError } from '../errors.js';

export const COPY_MAX_PHASH_DISTANCE = 6;
export const COPY_MAX_DHASH_DISTANCE = 16;
/** Answers remembered (the oldest half, rounded up, is forgotten when full). */
export const COPY_MEMORY = 8192;

export interface CopyMatch {
  taskId: string;
  uid: number;
  pHashDistance: number;
  dHashDistance: number;
}

interface Entry {
  taskId: string;
  uid: number;
  pHash: Hash64;
  dHash: Hash64;
}

const keyOf = (taskId: string, uid: number) => `${taskId}/${uid}`;

export class CopyRegistry {
  readonly #memory: number;
  #entries: Entry[] = [];
  #dHashes = new Map<string, Hash64>();
  #index = new NearDuplicateIndex();

  constructor(options: { memory?: number } = {}) {
    const memory = options.memory ?? COPY_MEMORY;
    if (!Number.isInteger(memory) || memory < 1) {
      const message = `memory: must be an integer ≥ 1, got ${memory}`;
      throw new ImageSubnetError('INVALID_ARGUMENT', message, { field: 'memory' });
    }
    this.#memory = memory;
  }

  get size(): number {
    return this.#entries.length;
  }

  /**
   * The nearest earlier answer to another task, or null; then remembers this one. Synchronous,
   * so answers scored concurrently are still compared one after another.
   */
  checkAndAdd(answer: Entry): CopyMatch | null {
    let match: CopyMatch | null = null;
    for (const near of this.#index.findNear(answer.pHash, COPY_MAX_PHASH_DISTANCE, {
      excludeTaskId: answer.taskId,
    })) {
      const dHash = this.#dHashes.get(keyOf(near.taskId, near.minerUid));
      if (dHash === undefined) continue;
      const d = hammingDistance(dHash, answer.dHash);
      if (d > COPY_MAX_DHASH_DISTANCE) continue;
      match = {
        taskId: near.taskId,
        uid: near.minerUid,
        pHashDistance: near.distance,
        dHashDistance: d,
      };
      break;
    }
    this.#add(answer);
    return match;
  }

  #add(entry: Entry): void {
    if (this.#entries.length >= this.#memory) {
      // Rounded up, so a memory of 1 forgets its one entry rather than keeping it (and growing).
      const kept = this.#entries.slice(Math.ceil(this.#memory / 2));
      this.#entries = [];
      this.#dHashes.clear();
      this.#index = new NearDuplicateIndex();
      for (const e of kept) this.#remember(e);
    }
    this.#remember(entry);
  }

  #remember(entry: Entry): void {
    this.#entries.push(entry);
    this.#dHashes.set(keyOf(entry.taskId, entry.uid), entry.dHash);
    this.#index.add(entry.pHash, { taskId: entry.taskId, minerUid: entry.uid });
  }
}
