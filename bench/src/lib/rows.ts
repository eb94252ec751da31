import type { BenchRow, RowStatus } from '../types';
import type { LatencySummary } from './latency';

/** A row as a benchmark states it: ratio and meetsTarget are derived; status and note have defaults. */
export type RowInput = Omit<BenchRow, 'ratio' | 'meetsTarget' | 'status' | 'note'> & { readonly status?: RowStatus; readonly note?: string };

/** A row with ratio (value / baseline) and meetsTarget filled in. */
export function row(input: RowInput): BenchRow {
  const { value, baseline, target } = input;
  const out: { -readonly [K in keyof BenchRow]: BenchRow[K] } = {
    group: input.group,
    name: input.name,
    value,
    unit: input.unit,
    status: input.status ?? (value === null ? 'failed' : 'ok'),
    note: input.note ?? '',
  };
  if (baseline !== undefined) {
    out.baseline = baseline;
    if (input.baselineName !== undefined) out.baselineName = input.baselineName;
    if (value !== null && baseline !== 0) out.ratio = value / baseline;
  }
  if (target !== undefined) {
    out.target = target;
    if (value !== null) out.meetsTarget = target.op === '>=' ? value >= target.value : value <= target.value;
  }
  return out;
}

export type Percentile = 'p50' | 'p99' | 'p999';

/** One row per percentile of a latency summary (ms), each against the same percentile of `baseline` if given. */
export function latencyRows(
  group: string,
  label: string,
  summary: LatencySummary,
  opts: { baseline?: LatencySummary; baselineName?: string; percentiles?: readonly Percentile[]; note?: string } = {},
): BenchRow[] {
  const ps = opts.percentiles ?? ['p50', 'p99', 'p999'];
  return ps.map((p) =>
    row({
      group,
      name: `${label} ${p}`,
      value: summary.count > 0 ? summary[p] : null,
      unit: 'ms',
      ...(opts.baseline !== undefined ? { baseline: opts.baseline[p], baselineName: `${opts.baselineName ?? 'baseline'} ${p}` } : {}),
      note: summary.count > 0 ? (opts.note ?? `n=${summary.count}`) : 'no samples',
    }),
  );
}

/** The row a module leaves when it cannot run here. */
export function skippedRow(group: string, name: string, reason: string): BenchRow {
  return row({ group, name, value: null, unit: '', status: 'skipped', note: reason });
}

export function failedRow(group: string, name: string, error: unknown): BenchRow {
  const message = error instanceof Error ? error.message : String(error);
  return row({ group, name, value: null, unit: '', status: 'failed', note: message.replace(/\s+/g, ' ').slice(0, 400) });
}
