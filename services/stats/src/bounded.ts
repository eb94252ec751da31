/** Key that collects everything past a scope's key limit. */
export const OTHER_KEY = '__other__';

/** A set that forgets its oldest entries beyond `max` (insertion order). */
export class BoundedSet {
  private readonly items = new Set<string>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.items.size;
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  /** Adds `key`; false if it was already there. */
  add(key: string): boolean {
    if (this.items.has(key)) return false;
    this.items.add(key);
    if (this.items.size > this.max) {
      const oldest = this.items.values().next();
      if (oldest.done !== true) this.items.delete(oldest.value);
    }
    return true;
  }
}

/**
 * Values by key, at most `maxKeys` distinct keys: later new keys share the `__other__` entry, so label cardinality
 * and memory stay bounded whatever arrives.
 */
export class BoundedMap<V> {
  private readonly items = new Map<string, V>();

  constructor(
    private readonly maxKeys: number,
    private readonly create: () => V,
  ) {}

  get(key: string): V {
    let v = this.items.get(key);
    if (v !== undefined) return v;
    const k = this.items.size < this.maxKeys || key === OTHER_KEY ? key : OTHER_KEY;
    v = this.items.get(k);
    if (v === undefined) {
      v = this.create();
      this.items.set(k, v);
    }
    return v;
  }

  peek(key: string): V | undefined {
    return this.items.get(key);
  }

  entries(): IterableIterator<[string, V]> {
    return this.items.entries();
  }

  get size(): number {
    return this.items.size;
  }
}
