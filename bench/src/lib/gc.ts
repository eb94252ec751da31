/** A full garbage collection now, when Node runs with --expose-gc (scripts/bench.mjs does); otherwise nothing. */
export function collectGarbage(): void {
  const gc: unknown = (globalThis as Record<string, unknown>).gc;
  if (typeof gc === 'function') gc();
}
