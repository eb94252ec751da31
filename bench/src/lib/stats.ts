/** Median of a non-empty list (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

/** 1234 → 1200: a measured rate rounded to two significant digits (at least 100). */
export function roundRate(r: number): number {
  const mag = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(r, 1))) - 1);
  return Math.max(100, Math.round(r / mag) * mag);
}
