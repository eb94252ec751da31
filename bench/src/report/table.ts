import type { BenchRow } from '../types';
import { formatNumber, formatRatio, formatTarget, formatValue, formatVerdict } from './format';

const NOTE_WIDTH = 70;

/** Plain-text table for the terminal (notes cut to fit; the files keep them whole). */
export function renderTable(rows: readonly BenchRow[]): string {
  const header = ['group', 'benchmark', 'value', 'unit', 'baseline', 'ratio', 'target', '', 'note'];
  const body = rows.map((r) => [
    r.group,
    r.name,
    formatValue(r),
    r.unit,
    r.baseline === undefined ? '' : formatNumber(r.baseline),
    formatRatio(r),
    formatTarget(r),
    formatVerdict(r),
    r.note.length > NOTE_WIDTH ? `${r.note.slice(0, NOTE_WIDTH - 1)}…` : r.note,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const numeric = new Set([2, 4, 5]);
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
