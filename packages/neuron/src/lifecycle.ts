import { NeuronError } from './errors.js';

/** The order shutdown runs hooks in: stop accepting work → (drain) → persist → close. */
export type ShutdownPhase = 'stop' | 'persist' | 'close';

export type LifecycleState = 'running' | 'draining' | 'stopping' | 'stopped';

export interface LifecycleLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface LifecycleOptions {
  /** How long in-flight work may take to finish once shutdown begins (ms, default 20 000). */
  shutdownTimeoutMs?: number;
  /** Bound on each hook (ms, default 10 000); a hook past it counts as failed. */
  hookTimeoutMs?: number;
}

export interface LifecycleComponents {
  logger?: LifecycleLogger;
  now?: () => number;
}

export interface ShutdownReport {
  reason: string;
  /** 0 when every hook succeeded (in-flight work cut by the timeout is only a warning). */
  exitCode: 0 | 1;
  /** True when all in-flight work finished before the timeout. */
  drained: boolean;
  /** In-flight work still running when the timeout hit. */
  abandoned: number;
  hookErrors: Array<{ phase: ShutdownPhase; name: string; error: unknown }>;
  durationMs: number;
}

interface Hook {
  phase: ShutdownPhase;
  name: string;
  run: () => unknown;
}

const PHASES: readonly ShutdownPhase[] = ['stop', 'persist', 'close'];

function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
): Promise<{ done: true; value: T } | { done: false }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve({ done: false }), ms);
    timer.unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ done: true, value });
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * The life of one neuron: an `AbortSignal` loops watch, tracked in-flight work, and shutdown
 * hooks. `shutdown()` aborts the signal (loops stop taking work), runs the `stop` hooks (servers
 * stop accepting), waits for in-flight work (bounded by `shutdownTimeoutMs`), then runs the
 * `persist` and `close` hooks — persist runs even when the wait timed out. Nothing here touches
 * `process`: {@link installSignalHandlers} connects signals, in the bin entry.
 */
export class Lifecycle {
  readonly #controller = new AbortController();
  readonly #shutdownTimeoutMs: number;
  readonly #hookTimeoutMs: number;
  readonly #logger: LifecycleLogger | undefined;
  readonly #now: () => number;
  readonly #hooks: Hook[] = [];
  readonly #inflight = new Set<Promise<unknown>>();
  #state: LifecycleState = 'running';
  #shutdown: Promise<ShutdownReport> | undefined;

  constructor(options: LifecycleOptions = {}, components: LifecycleComponents = {}) {
    this.#shutdownTimeoutMs = options.shutdownTimeoutMs ?? 20_000;
    this.#hookTimeoutMs = options.hookTimeoutMs ?? 10_000;
    for (const [field, v] of [
      ['shutdownTimeoutMs', this.#shutdownTimeoutMs],
      ['hookTimeoutMs', this.#hookTimeoutMs],
    ] as const) {
      if (!(v >= 0) || !Number.isFinite(v)) {
        throw new NeuronError('INVALID_ARGUMENT', `${field}: must be a finite number >= 0`, {
          details: {
            field,
          },
        });
      }
    }
    this.#logger = components.logger;
    this.#now = components.now ?? Date.now;
  }

  /** Aborted when shutdown begins. Pass it to loops, sleeps and requests. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get state(): LifecycleState {
    return this.#state;
  }

  get inflight(): number {
    return this.#inflight.size;
  }

  /** True until shutdown begins. */
  get running(): boolean {
    return this.#state === 'running';
  }

  /**
   * Runs `work` as in-flight: shutdown waits for it. Refused with `SHUTTING_DOWN` once shutdown
   * began (new work is not accepted).
   */
  track<T>(work: Promise<T> | ((signal: AbortSignal) => Promise<T>)): Promise<T> {
    if (this.#state !== 'running') {
      return Promise.reject(
        new NeuronError('SHUTTING_DOWN', 'shutting down: no new work is accepted'),
      );
    }
    const promise = typeof work === 'function' ? work(this.signal) : work;
    this.#inflight.add(promise);
    const forget = () => this.#inflight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** Registers a hook; returns a function that removes it. `persist`/`close` hooks run in reverse registration order. */
  onShutdown(phase: ShutdownPhase, name: string, run: () => unknown): () => void {
    if (!PHASES.includes(phase)) {
      throw new NeuronError('INVALID_ARGUMENT', `phase: must be one of ${PHASES.join(', ')}`, {
        details: {
          field: 'phase',
        },
      });
    }
    const hook: Hook = { phase, name, run };
    this.#hooks.push(hook);
    return () => {
      const i = this.#hooks.indexOf(hook);
      if (i !== -1) this.#hooks.splice(i, 1);
    };
  }

  /**
   * Sleeps `ms` unless shutdown begins first. Resolves `true` after a full sleep, `false` when
   * woken by shutdown — the loop idiom is `while (await lifecycle.sleep(ms)) { … }`.
   */
  sleep(ms: number): Promise<boolean> {
    if (this.signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Begins (or joins) the shutdown; resolves when every hook has run. `exitCode: 1` marks a
   * shutdown the neuron chose because it cannot go on (its report then says 1).
   */
  shutdown(reason = 'shutdown', options: { exitCode?: 0 | 1 } = {}): Promise<ShutdownReport> {
    this.#shutdown ??= this.#run(reason, options.exitCode ?? 0);
    this.#stoppedResolve?.(this.#shutdown);
    return this.#shutdown;
  }

  /** Resolves with the report of the shutdown, whatever started it (a signal, `stop()`, a fault). */
  get stopped(): Promise<ShutdownReport> {
    if (this.#shutdown) return this.#shutdown;
    this.#stopped ??= new Promise<Promise<ShutdownReport>>((resolve) => {
      this.#stoppedResolve = resolve;
    }).then((p) => p);
    return this.#stopped;
  }

  #stopped: Promise<ShutdownReport> | undefined;
  #stoppedResolve: ((report: Promise<ShutdownReport>) => void) | undefined;

  async #run(reason: string, failedCode: 0 | 1): Promise<ShutdownReport> {
    const started = this.#now();
    this.#state = 'draining';
    this.#logger?.info({ reason, inflight: this.#inflight.size }, 'shutting down');
    this.#controller.abort(new NeuronError('SHUTTING_DOWN', `shutting down (${reason})`));
    const hookErrors: ShutdownReport['hookErrors'] = [];
    const runPhase = async (phase: ShutdownPhase) => {
      const hooks = this.#hooks.filter((h) => h.phase === phase);
      if (phase !== 'stop') hooks.reverse();
      for (const hook of hooks) {
        try {
          const r = await withTimeout(Promise.resolve().then(hook.run), this.#hookTimeoutMs);
          if (!r.done) throw new Error(`timed out after ${this.#hookTimeoutMs} ms`);
        } catch (error) {
          hookErrors.push({ phase, name: hook.name, error });
          this.#logger?.error({ err: error, hook: hook.name, phase }, 'shutdown hook failed');
        }
      }
    };
    await runPhase('stop');
    const pending = [...this.#inflight];
    const settled = await withTimeout(Promise.allSettled(pending), this.#shutdownTimeoutMs);
    const abandoned = settled.done ? 0 : this.#inflight.size;
    if (!settled.done) {
      this.#logger?.warn(
        { abandoned, timeoutMs: this.#shutdownTimeoutMs },
        'in-flight work did not finish in time; persisting anyway',
      );
    }
    this.#state = 'stopping';
    await runPhase('persist');
    await runPhase('close');
    this.#state = 'stopped';
    const report: ShutdownReport = {
      reason,
      exitCode: hookErrors.length === 0 && failedCode === 0 ? 0 : 1,
      drained: settled.done,
      abandoned,
      hookErrors,
      durationMs: this.#now() - started,
    };
    this.#logger?.info(
      { reason, exitCode: report.exitCode, drained: report.drained, durationMs: report.durationMs },
      'stopped',
    );
    return report;
  }
}

export function createLifecycle(
  options: LifecycleOptions = {},
  components: LifecycleComponents = {},
): Lifecycle {
  return new Lifecycle(options, components);
}

/** The parts of `process` signal handling uses (tests pass a fake). */
export interface SignalTarget {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface SignalHandlerOptions {
  signals?: readonly NodeJS.Signals[];
  /** Called with the exit code once shutdown is over, or at once on a second signal. */
  exit: (code: number) => void;
  logger?: LifecycleLogger;
}

/** Conventional exit code of a process killed by a signal (128 + number). */
export function signalExitCode(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
  return 128 + (numbers[signal] ?? 15);
}

/**
 * First SIGINT/SIGTERM: graceful `lifecycle.shutdown()`, then `exit(report.exitCode)`.
 * A second one: `exit(128 + signal)` at once. Returns a function that removes the handlers.
 * Call it from a bin entry, never on import.
 */
export function installSignalHandlers(
  lifecycle: Lifecycle,
  target: SignalTarget,
  options: SignalHandlerOptions,
): () => void {
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  let received = 0;
  const handler = (signal: NodeJS.Signals) => {
    received++;
    if (received === 1) {
      options.logger?.info(
        { signal },
        'signal received; finishing in-flight work (send again to force)',
      );
      lifecycle.shutdown(signal).then(
        (report) => options.exit(report.exitCode),
        (error) => {
          options.logger?.error({ err: error }, 'shutdown failed');
          options.exit(1);
        },
      );
      return;
    }
    options.logger?.warn({ signal }, 'second signal: exiting now');
    options.exit(signalExitCode(signal));
  };
  for (const s of signals) target.on(s, handler);
  return () => {
    for (const s of signals) target.off(s, handler);
  };
}
