/**
 * The bytes a verdict was about (an image, an audio clip, returned records, streamed text),
 * kept beside the evidence log under their SHA-256 so evidence lines can reference them and a
 * dashboard can show them. Bounded by total size and age: the oldest go first, so a validator's
 * disk never fills. Identical bytes are stored once.
 *
 * Layout: `<dir>/<aa>/<sha256>` (the bytes) and `<dir>/<aa>/<sha256>.json` (media type, size,
 * time kept). Files are written atomically, mode 0600.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { NeuronError } from '../errors.js';
import { ensurePrivateDir, writeFileAtomic } from '../state/atomic.js';
import type { ArtifactRef } from '../types.js';

export const ARTIFACTS_DIR = 'artifacts';
const SHA_RE = /^[0-9a-f]{64}$/;
const MEDIA_TYPE_RE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(;.*)?$/i;

export interface ArtifactStoreOptions {
  dir: string;
  /** Total bytes kept (default 1 GiB); the oldest are deleted beyond it. */
  maxBytes?: number;
  /** Oldest artifact kept, ms (default 7 days). */
  maxAgeMs?: number;
  /** Largest single artifact accepted (default 64 MiB, and never above `maxBytes`). */
  maxItemBytes?: number;
}

export interface ArtifactStoreComponents {
  now?: () => number;
}

export interface StoredArtifact {
  bytes: Uint8Array;
  mediaType: string;
  storedAt: number;
}

interface Entry {
  bytes: number;
  touched: number;
}

/** A content-addressed, size- and age-bounded store of verdict artifacts. */
export class ArtifactStore {
  readonly dir: string;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  readonly maxItemBytes: number;
  readonly #now: () => number;
  #index: Map<string, Entry> | null = null;
  #loading: Promise<Map<string, Entry>> | null = null;
  #total = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: ArtifactStoreOptions, components: ArtifactStoreComponents = {}) {
    const positive = (v: number | undefined, field: string, fallback: number) => {
      if (v === undefined) return fallback;
      if (!(Number.isFinite(v) && v > 0)) {
        throw new NeuronError('INVALID_ARGUMENT', `${field}: must be a positive number, got ${v}`, {
          details: {
            field,
          },
        });
      }
      return v;
    };
    this.dir = options.dir;
    this.maxBytes = positive(options.maxBytes, 'maxBytes', 1024 ** 3);
    this.maxAgeMs = positive(options.maxAgeMs, 'maxAgeMs', 7 * 24 * 3600 * 1000);
    this.maxItemBytes = Math.min(
      positive(options.maxItemBytes, 'maxItemBytes', 64 * 1024 ** 2),
      this.maxBytes,
    );
    this.#now = components.now ?? Date.now;
  }

  /** Bytes currently kept (after the first call that loaded the index). */
  get totalBytes(): number {
    return this.#total;
  }

  /**
   * Keeps `data` (strings as UTF-8) and returns its reference; refreshes the age of bytes kept
   * before. Then deletes what is past the age or size limit, oldest first.
   */
  put(data: Uint8Array | string, meta: { mediaType: string; role?: string }): Promise<ArtifactRef> {
    return this.#serial(async () => {
      if (!MEDIA_TYPE_RE.test(meta.mediaType)) {
        throw new NeuronError(
          'INVALID_ARGUMENT',
          `mediaType: "${meta.mediaType}" is not a media type (type/subtype)`,
          { details: { field: 'mediaType' } },
        );
      }
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      if (bytes.byteLength > this.maxItemBytes) {
        throw new NeuronError(
          'INVALID_ARGUMENT',
          `bytes: an artifact of ${bytes.byteLength} bytes is over the ${this.maxItemBytes}-byte limit`,
          { details: { field: 'bytes' } },
        );
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const index = await this.#load();
      const now = this.#now();
      const { file, metaFile, shard } = this.#paths(sha256);
      const known = index.get(sha256);
      // The data file's mtime is the artifact's age (a new store re-indexes from it), on the
      // store's clock.
      const when = new Date(now);
      if (known) {
        known.touched = now;
        await utimes(file, when, when).catch(() => {});
      } else {
        await ensurePrivateDir(shard);
        await writeFileAtomic(file, bytes);
        await utimes(file, when, when);
        await writeFileAtomic(
          metaFile,
          JSON.stringify({ mediaType: meta.mediaType, bytes: bytes.byteLength, storedAt: now }),
        );
        index.set(sha256, { bytes: bytes.byteLength, touched: now });
        this.#total += bytes.byteLength;
      }
      await this.#prune(index, now, sha256);
      return {
        sha256,
        mediaType: meta.mediaType,
        bytes: bytes.byteLength,
        role: meta.role ?? 'answer',
      };
    });
  }

  /** The bytes and media type kept under `sha256`, or `null` (unknown, expired, or deleted). */
  async get(sha256: string): Promise<StoredArtifact | null> {
    if (!SHA_RE.test(sha256)) return null;
    const { file, metaFile } = this.#paths(sha256);
    try {
      const meta = JSON.parse(await readFile(metaFile, 'utf8')) as {
        mediaType?: unknown;
        storedAt?: unknown;
      };
      const bytes = await readFile(file);
      if (this.#now() - (await stat(file)).mtimeMs > this.maxAgeMs) return null;
      if (createHash('sha256').update(bytes).digest('hex') !== sha256) return null;
      return {
        bytes,
        mediaType: typeof meta.mediaType === 'string' ? meta.mediaType : 'application/octet-stream',
        storedAt: typeof meta.storedAt === 'number' ? meta.storedAt : 0,
      };
    } catch {
      return null;
    }
  }

  /** Deletes what is past the limits now (also done after every `put`). */
  prune(): Promise<void> {
    return this.#serial(async () => this.#prune(await this.#load(), this.#now(), null));
  }

  #paths(sha256: string) {
    const shard = join(this.dir, sha256.slice(0, 2));
    return { shard, file: join(shard, sha256), metaFile: join(shard, `${sha256}.json`) };
  }

  #serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(job);
    this.#queue = run.catch(() => {});
    return run;
  }

  async #load(): Promise<Map<string, Entry>> {
    if (this.#index) return this.#index;
    this.#loading ??= (async () => {
      const index = new Map<string, Entry>();
      let total = 0;
      const shards = await readdir(this.dir).catch(() => [] as string[]);
      for (const shard of shards) {
        if (!/^[0-9a-f]{2}$/.test(shard)) continue;
        const names = await readdir(join(this.dir, shard)).catch(() => [] as string[]);
        for (const name of names) {
          // a write that crashed before its rename leaves `<name>.tmp-<pid>-<rand>`
          if (name.includes('.tmp-')) {
            await rm(join(this.dir, shard, name), { force: true });
            continue;
          }
          if (!SHA_RE.test(name)) continue;
          const s = await stat(join(this.dir, shard, name)).catch(() => null);
          if (!s?.isFile()) continue;
          index.set(name, { bytes: s.size, touched: s.mtimeMs });
          total += s.size;
        }
      }
      this.#total = total;
      this.#index = index;
      return index;
    })();
    return this.#loading;
  }

  async #prune(index: Map<string, Entry>, now: number, keep: string | null): Promise<void> {
    const oldestFirst = [...index.entries()].sort((a, b) => a[1].touched - b[1].touched);
    for (const [sha256, entry] of oldestFirst) {
      const expired = now - entry.touched > this.maxAgeMs;
      if (!expired && this.#total <= this.maxBytes) break;
      if (sha256 === keep && !expired) continue;
      const { file, metaFile } = this.#paths(sha256);
      await rm(file, { force: true });
      await rm(metaFile, { force: true });
      index.delete(sha256);
      this.#total -= entry.bytes;
    }
  }
}
