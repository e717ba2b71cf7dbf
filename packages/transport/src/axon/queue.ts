// The priority step: bounded handler concurrency with an ordered, bounded wait queue.

interface Waiter {
  priority: number;
  seq: number;
  resolve: (granted: boolean) => void;
  timer: NodeJS.Timeout;
}

export type Admission = 'ok' | 'full' | 'timeout';

/**
 * At most `maxConcurrency` holders at once; up to `maxQueue` more wait, higher priority first
 * (then arrival order), each until its deadline (a `performance.now()` time).
 */
export class PriorityGate {
  #active = 0;
  #waiting: Waiter[] = [];
  #seq = 0;

  constructor(
    private readonly maxConcurrency: number,
    private readonly maxQueue: number,
  ) {}

  /** A slot now (`'ok'`), none and no room to wait (`'full'`), or a wait for one. */
  acquire(priority: number, deadline: number): Promise<Admission> | 'ok' | 'full' {
    if (this.#active < this.maxConcurrency) {
      this.#active++;
      return 'ok';
    }
    if (this.#waiting.length >= this.maxQueue) return 'full';
    return new Promise((resolve) => {
      const waiter: Waiter = {
        priority,
        seq: this.#seq++,
        resolve: (granted) => resolve(granted ? 'ok' : 'timeout'),
        timer: setTimeout(
          () => {
            const i = this.#waiting.indexOf(waiter);
            if (i >= 0) this.#waiting.splice(i, 1);
            waiter.resolve(false);
          },
          Math.max(0, deadline - performance.now()),
        ),
      };
      // Keep the queue ordered: higher priority first, then arrival order.
      let i = this.#waiting.length;
      while (i > 0 && this.#waiting[i - 1]!.priority < priority) i--;
      this.#waiting.splice(i, 0, waiter);
    });
  }

  /** Hands the slot to the first waiter, or frees it. */
  release(): void {
    const next = this.#waiting.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve(true);
    } else {
      this.#active--;
    }
  }
}
