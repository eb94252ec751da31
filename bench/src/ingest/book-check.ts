import Big from 'big.js';
import type { WireLevel } from './replay-data';

/**
 * Compares a published BookSnapshot (unknown JSON) with the expected top levels, by exact decimal value (a
 * publisher may normalize "65000.10000000" to "65000.1"). Returns undefined when equal, else what differs.
 */
export function compareTop(msg: unknown, expected: { bids: readonly WireLevel[]; asks: readonly WireLevel[] }, depth: number): string | undefined {
  if (typeof msg !== 'object' || msg === null) return 'no book published';
  const { bids, asks } = msg as Record<string, unknown>;
  for (const [name, got, want] of [
    ['bids', bids, expected.bids.slice(0, depth)],
    ['asks', asks, expected.asks.slice(0, depth)],
  ] as const) {
    if (!Array.isArray(got)) return `${name} missing`;
    if (got.length !== want.length) return `${name}: ${got.length} levels, expected ${want.length}`;
    for (let i = 0; i < want.length; i++) {
      const g: unknown = got[i];
      const w = want[i] as WireLevel;
      if (!Array.isArray(g) || typeof g[0] !== 'string' || typeof g[1] !== 'string') return `${name}[${i}] malformed`;
      if (!sameDecimal(g[0], w[0]) || !sameDecimal(g[1], w[1])) return `${name}[${i}] ${JSON.stringify(g)} != ${JSON.stringify(w)}`;
    }
  }
  return undefined;
}

function sameDecimal(a: string, b: string): boolean {
  try {
    return new Big(a).eq(b);
  } catch {
    return false;
  }
}
