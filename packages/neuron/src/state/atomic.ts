import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { NeuronError } from '../errors.js';

/** Mode of every state, secret and evidence file (owner read/write only). */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode of the state directories we create. */
export const PRIVATE_DIR_MODE = 0o700;

function ioError(action: string, path: string, error: unknown): NeuronError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new NeuronError('IO_ERROR', `cannot ${action} ${path} (${code})`, {
    details: { path },
    cause: error,
  });
}

/** `mkdir -p` with mode 0700 for the parts we create. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  } catch (error) {
    throw ioError('create directory', dir, error);
  }
}

/** Flushes a directory entry (the rename) to disk; a no-op where directories cannot be opened. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') {
      throw ioError('sync directory', dir, error);
    }
  } finally {
    await handle?.close();
  }
}

/**
 * Replaces `path` with `data` so that a crash at any point leaves either the old file or the
 * new one, never a mix: write a fresh temp file next to it (mode 0600, exclusive create),
 * fsync it, rename it over `path`, fsync the directory.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = PRIVATE_FILE_MODE,
): Promise<void> {
  const dir = dirname(path);
  await ensurePrivateDir(dir);
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    const handle = await open(tmp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw ioError('write', path, error);
  }
  await fsyncDir(dir);
}
