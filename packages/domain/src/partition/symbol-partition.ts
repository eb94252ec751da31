/** FNV-1a 32-bit hash of a string's UTF-16 code units: stable across processes, versions and platforms. */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export interface PartitionSpec {
  index: number;
  count: number;
  /** Explicit symbol list: when set, exactly these symbols are owned. */
  symbols?: readonly string[] | undefined;
}

/** Which symbols this replica evaluates. */
export class SymbolPartition {
  private readonly explicit: ReadonlySet<string> | undefined;

  constructor(readonly spec: PartitionSpec) {
    if (!Number.isInteger(spec.count) || spec.count < 1) throw new RangeError(`partition count must be >= 1 (got ${spec.count})`);
    if (!Number.isInteger(spec.index) || spec.index < 0 || spec.index >= spec.count) {
      throw new RangeError(`partition index must be in 0..${spec.count - 1} (got ${spec.index})`);
    }
    this.explicit = spec.symbols === undefined ? undefined : new Set(spec.symbols);
  }

  /** True when every symbol is owned (one replica, no explicit list): subscribe to all books. */
  get ownsAll(): boolean {
    return this.explicit === undefined && this.spec.count === 1;
  }

  owns(symbol: string): boolean {
    if (this.explicit !== undefined) return this.explicit.has(symbol);
    return this.spec.count === 1 || fnv1a32(symbol) % this.spec.count === this.spec.index;
  }

  /** The owned subset of a symbol universe (the explicit list itself when set). */
  ownedOf(universe: readonly string[]): string[] {
    if (this.explicit !== undefined) return [...this.explicit];
    return universe.filter((s) => this.owns(s));
  }
}
