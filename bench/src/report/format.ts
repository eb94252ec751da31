import type { BenchRow } from '../types';

/** A number for humans: thousands separated, about 3 significant digits below 100. */
export function formatNumber(v: number): string {
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  if (a === 0) return '0';
  return v.toPrecision(3);
}

export function formatValue(r: BenchRow): string {
  return r.value === null ? '-' : formatNumber(r.value);
}

export function formatRatio(r: BenchRow): string {
  return r.ratio === undefined ? '' : `${r.ratio >= 10 ? r.ratio.toFixed(1) : r.ratio.toFixed(2)}x`;
}

export function formatTarget(r: BenchRow): string {
  return r.target === undefined ? '' : `${r.target.op} ${formatNumber(r.target.value)}`;
}

/** `ok` / `MISS` for targets, `skip` / `FAIL` for rows that were not measured properly. */
export function formatVerdict(r: BenchRow): string {
  if (r.status === 'skipped') return 'skip';
  if (r.status === 'failed') return 'FAIL';
  if (r.meetsTarget === undefined) return '';
  return r.meetsTarget ? 'ok' : 'MISS';
}
