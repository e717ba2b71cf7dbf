import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DemoError } from './errors.js';

/** Preloaded into children: they stop themselves if the market process vanishes. */
export const ORPHAN_GUARD = fileURLToPath(new URL('./orphan-guard.mjs', import.meta.url));

export interface ChildSpec {
  /** Short name for messages and the log file (`validator`, `miner-2`). */
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr go here. */
  logFile: string;
  /** Also see each output line (the child's output is then piped through this process). */
  onLine?: (line: string) => void;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the supervisor asked it to stop. */
  requested: boolean;
}

export interface SupervisedChild {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  readonly exited: Promise<ExitInfo>;
  /** Set once it has exited. */
  exit: ExitInfo | null;
}

interface Entry extends SupervisedChild {
  proc: ChildProcess;
  stopping: boolean;
  log: WriteStream | null;
}

export interface SupervisorComponents {
  /** `process.kill`, injectable for tests. */
  kill?: (pid: number, signal: NodeJS.Signals | 0) => void;
}

/**
 * Starts children each in its own process group (`detached`), so that stopping one stops
 * everything it started, and a terminal Ctrl-C reaches only the market, which then stops them
 * in order. `stopAll` sends SIGTERM to every group, waits, then SIGKILLs what is left;
 * `killAllSync` is the last resort from a `process.on('exit')` handler.
 */
export class Supervisor {
  readonly #children: Entry[] = [];
  readonly #kill: (pid: number, signal: NodeJS.Signals | 0) => void;
  #onUnexpected: ((child: SupervisedChild, info: ExitInfo) => void) | undefined;
  #closed = false;

  constructor(components: SupervisorComponents = {}) {
    this.#kill = components.kill ?? ((pid, sig) => process.kill(pid, sig));
  }

  /** Called when a child exits without being asked to (a crash, a failed start). */
  onUnexpectedExit(cb: (child: SupervisedChild, info: ExitInfo) => void): void {
    this.#onUnexpected = cb;
  }

  get children(): readonly SupervisedChild[] {
    return this.#children;
  }

  /** Children that have not exited yet. */
  get live(): readonly SupervisedChild[] {
    return this.#children.filter((c) => c.exit === null);
  }

  spawn(spec: ChildSpec): SupervisedChild {
    if (this.#closed) throw new DemoError('CHILD_FAILED', `cannot start ${spec.name}: stopping`);
    const env = { ...process.env, ...(spec.env ?? {}), SUBNETKIT_MARKET_PID: String(process.pid) };
    let log: WriteStream | null = null;
    let fd: number | null = null;
    let proc: ChildProcess;
    if (spec.onLine) {
      log = createWriteStream(spec.logFile, { flags: 'a', mode: 0o600 });
      proc = spawn(spec.command, [...spec.args], {
        cwd: spec.cwd,
        env,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const onLine = spec.onLine;
      for (const stream of [proc.stdout!, proc.stderr!]) {
        let buf = '';
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          log?.write(chunk);
          buf += chunk;
          let nl = buf.indexOf('\n');
          while (nl >= 0) {
            onLine(buf.slice(0, nl));
            buf = buf.slice(nl + 1);
            nl = buf.indexOf('\n');
          }
        });
      }
    } else {
      fd = openSync(spec.logFile, 'a', 0o600);
      proc = spawn(spec.command, [...spec.args], {
        cwd: spec.cwd,
        env,
        detached: true,
        stdio: ['ignore', fd, fd],
      });
      closeSync(fd);
    }
    if (proc.pid === undefined) {
      log?.end();
      throw new DemoError('CHILD_FAILED', `could not start ${spec.name} (${spec.command})`);
    }
    let resolveExit!: (info: ExitInfo) => void;
    const exited = new Promise<ExitInfo>((r) => {
      resolveExit = r;
    });
    const entry: Entry = {
      name: spec.name,
      pid: proc.pid,
      logFile: spec.logFile,
      exited,
      exit: null,
      proc,
      stopping: false,
      log,
    };
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (entry.exit) return;
      entry.exit = { code, signal, requested: entry.stopping };
      // Whatever the leader left behind in its group goes too.
      this.#signalGroup(entry, 'SIGKILL');
      entry.log?.end();
      resolveExit(entry.exit);
      if (!entry.stopping) this.#onUnexpected?.(entry, entry.exit);
    };
    proc.on('exit', finish);
    proc.on('error', () => finish(null, null));
    this.#children.push(entry);
    return entry;
  }

  #signalGroup(entry: Entry, signal: NodeJS.Signals): boolean {
    try {
      this.#kill(-entry.pid, signal);
      return true;
    } catch {
      return false;
    }
  }

  /** SIGTERM to the child's group, SIGKILL after `graceMs`. */
  async stop(child: SupervisedChild, graceMs = 5000): Promise<ExitInfo> {
    const entry = this.#children.find((c) => c === child);
    if (!entry) throw new DemoError('CHILD_FAILED', `${child.name} is not supervised here`);
    if (entry.exit) return entry.exit;
    entry.stopping = true;
    this.#signalGroup(entry, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), graceMs);
    });
    const first = await Promise.race([entry.exited, timedOut]);
    clearTimeout(timer);
    if (first === 'timeout') {
      this.#signalGroup(entry, 'SIGKILL');
      return entry.exited;
    }
    return first;
  }

  /**
   * Stops every child, refusing new ones: all but the first at once, then the first (the chain
   * the others talk to, started first), so a neuron finishing a transaction still has its chain.
   * Exit infos in reverse start order.
   */
  async stopAll(graceMs = 5000): Promise<ExitInfo[]> {
    this.#closed = true;
    const [first, ...rest] = this.#children;
    const later = await Promise.all([...rest].reverse().map((c) => this.stop(c, graceMs)));
    return first ? [...later, await this.stop(first, graceMs)] : later;
  }

  /** Synchronous SIGKILL of every group still alive (for `process.on('exit')`). */
  killAllSync(): void {
    this.#closed = true;
    for (const entry of this.#children) {
      if (entry.exit) continue;
      entry.stopping = true;
      this.#signalGroup(entry, 'SIGKILL');
    }
  }
}

/** The node arguments that run a TypeScript entry from source, guarded against orphaning. */
export function nodeSourceArgs(entry: string, args: readonly string[] = []): string[] {
  return [
    '--conditions=@subnetkit/source',
    '--import',
    'tsx',
    '--import',
    pathToFileURL(ORPHAN_GUARD).href,
    entry,
    ...args,
  ];
}
