/** One opportunity waiting for a semaphore slot in this process. */
export interface Waiter {
  readonly priority: number;
  readonly order: number;
}

/**
 * Orders this process's opportunities that wait for a cluster-wide trade slot by priority (expected profit, USD):
 * only the best-ranked waiter tries the semaphore; the others sleep until a slot is given back here or the waiter ahead
 * of them leaves. A newcomer that is outranked by a waiter does not try the semaphore on arrival either. Ties go by
 * arrival. Across executor processes there is no common order: each process's best waiter competes for a freed slot
 * with the others' (random back-off), so the order holds per process.
 */
export class PriorityGate {
  private readonly waiters: Waiter[] = [];
  private readonly sleepers = new Set<() => void>();
  private arrivals = 0;

  /** True when a waiter ranks at or above `priority` (a newcomer with it must queue, not try at once). */
  outranked(priority: number): boolean {
    return this.waiters.some((w) => w.priority >= priority);
  }

  enter(priority: number): Waiter {
    const w: Waiter = { priority, order: this.arrivals++ };
    // Sorted: highest priority first, then earliest arrival.
    let i = this.waiters.findIndex((x) => x.priority < priority);
    if (i < 0) i = this.waiters.length;
    this.waiters.splice(i, 0, w);
    return w;
  }

  /** True when `w` is the best-ranked waiter (its turn to try the semaphore). */
  isFirst(w: Waiter): boolean {
    return this.waiters[0] === w;
  }

  leave(w: Waiter): void {
    const i = this.waiters.indexOf(w);
    if (i < 0) return;
    this.waiters.splice(i, 1);
    if (i === 0) this.wakeAll();
  }

  /** A slot was given back by this process: waiters re-check at once. */
  released(): void {
    this.wakeAll();
  }

  /** Sleeps up to `ms`, or until a slot is released / the first waiter leaves. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.sleepers.add(done);
    });
  }

  get waiting(): number {
    return this.waiters.length;
  }

  private wakeAll(): void {
    for (const s of [...this.sleepers]) s();
  }
}
