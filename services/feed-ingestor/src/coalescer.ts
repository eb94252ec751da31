/**
 * Keeps at most one pending value per key and hands the latest of each to `flush` once per
 * event-loop turn. When frames arrive faster than books can be published, intermediate books
 * are replaced instead of queued, so memory stays bounded by the number of keys.
 */
export class Coalescer<K, V> {
  private readonly pending = new Map<K, V>();
  private scheduled = false;
  private replacedCount = 0;

  constructor(private readonly flush: (key: K, value: V) => void) {}

  offer(key: K, value: V): void {
    if (this.pending.has(key)) this.replacedCount += 1;
    this.pending.set(key, value);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.drain);
    }
  }

  has(key: K): boolean {
    return this.pending.has(key);
  }

  /** Drops a pending value (e.g. the book became invalid before it was published). */
  discard(key: K): void {
    this.pending.delete(key);
  }

  /** Values that were superseded before being flushed. */
  get replaced(): number {
    return this.replacedCount;
  }

  get size(): number {
    return this.pending.size;
  }

  private readonly drain = (): void => {
    this.scheduled = false;
    for (const [key, value] of this.pending) {
      this.pending.delete(key);
      this.flush(key, value);
    }
  };
}
