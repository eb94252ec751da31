import Big from 'big.js';
import { quantile, type CaptureStats } from './matcher';

const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(0)}%`);
const ms = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(0));

/** Trades whose entry legs both filled completely, as a fraction (undefined without trades). */
export function bothRate(s: CaptureStats): number | undefined {
  return s.trades === 0 ? undefined : s.outcomes.both / s.trades;
}

export function oneLeggedRate(s: CaptureStats): number | undefined {
  return s.trades === 0 ? undefined : s.outcomes['one-legged'] / s.trades;
}

export function targetRate(s: CaptureStats): number | undefined {
  return s.target === 0 ? undefined : s.targetTraded / s.target;
}

/** PnL / oracle (undefined when the oracle is not positive). */
export function oracleRatio(s: CaptureStats): number | undefined {
  return s.oracle.gt(0) ? s.pnl.div(s.oracle).toNumber() : undefined;
}

/** The capture table: one row per strategy. */
export function captureTable(stats: readonly CaptureStats[]): string {
  const header = [
    'strategy',
    'windows',
    'worth',
    'detected',
    'traded',
    'trades',
    'both',
    'one-leg',
    'partial',
    'no fill',
    'late',
    'PnL',
    'leftover MtM',
    'oracle',
    'PnL/oracle',
    'truth(worth)',
    'lat p50/p90/p99 ms',
    'target traded',
  ];
  const body = stats.map((s) => [
    s.name,
    String(s.windows),
    String(s.worth),
    String(s.detected),
    String(s.tradedWindows),
    String(s.trades),
    `${s.outcomes.both} (${pct(s.outcomes.both, s.trades)})`,
    `${s.outcomes['one-legged']} (${pct(s.outcomes['one-legged'], s.trades)})`,
    String(s.outcomes.partial),
    String(s.outcomes.none),
    String(s.tradesOutsideWindows),
    s.pnl.toFixed(2),
    s.leftoverMtm.toFixed(2),
    s.oracle.toFixed(2),
    s.oracle.gt(0) ? pct(s.pnl.toNumber(), s.oracle.toNumber()) : '-',
    s.truthWorth.toFixed(2),
    `${ms(quantile(s.latencies, 0.5))}/${ms(quantile(s.latencies, 0.9))}/${ms(quantile(s.latencies, 0.99))}`,
    `${s.targetTraded}/${s.target} (${pct(s.targetTraded, s.target)})`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export interface TargetVerdict {
  readonly text: string;
  readonly pass: boolean;
}

/** Issue 11's targets, judged on ours against the baselines of the same run. */
export function targetVerdicts(ours: CaptureStats, baselines: readonly CaptureStats[]): TargetVerdict[] {
  const t = targetRate(ours);
  const both = bothRate(ours);
  const ratio = oracleRatio(ours);
  const one = oneLeggedRate(ours) ?? 0;
  const bestBaseline = baselines.reduce<Big | undefined>((m, b) => (m === undefined || b.pnl.gt(m) ? b.pnl : m), undefined);
  const rates = baselines.flatMap((b) => {
    const r = oneLeggedRate(b);
    return r === undefined ? [] : [r];
  });
  const lowestOne = rates.length === 0 ? undefined : Math.min(...rates);
  const f = (v: number | undefined): string => (v === undefined ? '-' : `${(100 * v).toFixed(1)}%`);
  return [
    { text: `target windows traded ${ours.targetTraded}/${ours.target} = ${f(t)} (target ≥ 95%)`, pass: t !== undefined && t >= 0.95 },
    { text: `trades with both legs filled ${ours.outcomes.both}/${ours.trades} = ${f(both)} (target ≥ 90%)`, pass: both !== undefined && both >= 0.9 },
    { text: `realized PnL ${ours.pnl.toFixed(2)} / oracle ${ours.oracle.toFixed(2)} = ${f(ratio)} (target ≥ 80%)`, pass: ratio !== undefined && ratio >= 0.8 },
    {
      text: `realized PnL ${ours.pnl.toFixed(2)} above every baseline (best ${bestBaseline?.toFixed(2) ?? '-'})`,
      pass: bestBaseline === undefined || ours.pnl.gt(bestBaseline),
    },
    { text: `one-legged rate ${f(one)} no higher than any baseline's (lowest ${f(lowestOne)})`, pass: lowestOne === undefined || one <= lowestOne },
  ];
}
