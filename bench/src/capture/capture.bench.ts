import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { row } from '../lib/rows';
import { benchSettings } from '../settings';
import { servicesUnavailable } from '../stack/services';
import type { BenchModule, BenchRow } from '../types';
import { runBaseline, type RunPlan } from './baseline-run';
import { diagnoseRun, type RunDiagnosis } from './diagnose';
import { matchRun, quantile, type CaptureStats, type MatchCriteria } from './matcher';
import { OURS, runOurs } from './ours';
import { shippedParams } from './params';
import type { StrategyRun } from './records';
import { captureSchedule } from './scenario';
import { baselineSpecs } from './strategies';
import { bothRate, captureTable, oneLeggedRate, oracleRatio, targetRate, targetVerdicts } from './table';

const GROUP = 'capture';
/** Seed of the dislocation schedule (the sim's own seed is its shipped `sim.seed`). */
const SCHEDULE_SEED = 11;

/**
 * Issue 11's capture benchmark: one seeded scenario (scheduled dislocations plus the sim's own jump and noise
 * windows, rival takers on), played on a fresh exchange-sim per strategy at the same model instants: ours (the real
 * stack, shipped config), a Hummingbot-like and an r2-like taker on websocket books, and a 1 s REST poller. Every
 * strategy is matched against the sim's ground truth (/control/windows, /control/orders).
 */
export const captureWindowsBench: BenchModule = {
  name: 'capture.windows',
  group: GROUP,
  description: 'windows caught and both legs filled against the sim ground truth: ours vs hummingbot-like, r2-like, 1 s REST poller',
  unavailable: (ctx) => servicesUnavailable(ctx.root, ['exchange-sim', 'feed-ingestor', 'detector', 'executor']),
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const shipped = shippedParams(ctx.root);
    const schedule = captureSchedule({ count: s.captureDislocations, spacingMs: s.captureSpacingMs, seed: SCHEDULE_SEED });
    const criteria: MatchCriteria = { thresholdBps: shipped.thresholdBps, minProfitQuote: shipped.minProfitUsd, targetMinDurationMs: 200, toleranceMs: 5 };
    ctx.log.info(
      `capture: ${schedule.length} dislocations (${schedule.map((d) => `${d.symbol} ${d.venue} ${d.bps > 0 ? '+' : ''}${d.bps} bps ${d.durationMs} ms`).join('; ')}), every ${s.captureSpacingMs} model ms; sim seed ${shipped.simSeed}, own jumps ${shipped.simJumpsPerMinute}/min, rivals as shipped`,
    );
    const runs: StrategyRun[] = [];
    const ours = await runOurs(ctx, shipped, { schedule, tailMs: s.captureTailMs });
    runs.push(ours);
    const plan: RunPlan = { schedule, startModelMs: ours.startModelMs, tailMs: s.captureTailMs };
    for (const spec of baselineSpecs(shipped)) {
      ctx.log.info(`capture: ${spec.name} on its own sim`);
      runs.push(await runBaseline(ctx, spec, shipped, plan));
    }
    const endTs = performance.timeOrigin + performance.now();
    const stats = runs.map((r) => matchRun(r, criteria, endTs));
    const diagnoses = runs.map((r) => diagnoseRun(r, criteria, endTs));
    const report = render(runs, stats, diagnoses, criteria, ctx.quick);
    ctx.log.info(`capture table\n${report}`);
    mkdirSync(ctx.outDir, { recursive: true });
    writeFileSync(join(ctx.outDir, 'capture.txt'), `${report}\n`);
    writeFileSync(join(ctx.outDir, 'capture-trades.txt'), `${diagnoses.map((d) => [d.name, ...d.lines.map((l) => `  ${l}`)].join('\n')).join('\n')}\n`);
    writeFileSync(join(ctx.outDir, 'capture-windows.txt'), `${stats.map((st) => [st.name, ...st.windowLines.map((l) => `  ${l}`)].join('\n')).join('\n')}\n`);
    return rows(stats, runs);
  },
};

function render(runs: readonly StrategyRun[], stats: readonly CaptureStats[], diagnoses: readonly RunDiagnosis[], c: MatchCriteria, quick: boolean): string {
  const [ours, ...baselines] = stats as [CaptureStats, ...CaptureStats[]];
  const lines = [
    `command: npm run bench -- --only capture${quick ? ' --quick' : ''}`,
    captureTable(stats),
    '',
    `targets (ours; target subset = windows with best net edge ≥ ${2 * c.thresholdBps} bps (2 × threshold) lasting ≥ ${c.targetMinDurationMs} ms or closed by the strategy's own order):`,
    ...targetVerdicts(ours, baselines).map((v) => `  ${v.pass ? 'PASS' : 'FAIL'}  ${v.text}`),
    '',
  ];
  runs.forEach((r, i) => {
    const st = stats[i] as CaptureStats;
    lines.push(`${r.name}: ${r.params}`);
    for (const n of r.notes) lines.push(`  ${n}`);
    lines.push(`  ground truth: ${st.windows} windows from model ${r.startModelMs} ms, ${st.worth} worth taking (Σ best profit ${st.truthWorth.toFixed(2)}), target subset ${st.target} (Σ ${st.truthTarget.toFixed(2)})`);
    lines.push(`  orders: ${r.orders.length} in the sim's record, ${st.unmatchedOrders} unmatched to a trade${st.unmatchedOrders > 0 ? ` (${st.unmatchedCids.slice(0, 10).join(' ')})` : ''}, ${st.missingOrders} recorded but unknown to the sim; leftover base ${JSON.stringify(st.residualBase)}`);
    if (st.targetMissed.length > 0) lines.push(`  target windows not traded: ${st.targetMissed.join('; ')}`);
    for (const l of diagnoses[i]?.summary ?? []) lines.push(`  ${l}`);
  });
  return lines.join('\n');
}

function rows(stats: readonly CaptureStats[], runs: readonly StrategyRun[]): BenchRow[] {
  const ours = stats.find((s) => s.name === OURS) as CaptureStats;
  const baselines = stats.filter((s) => s !== ours);
  const best = baselines.reduce<CaptureStats | undefined>((m, b) => (m === undefined || b.pnl.gt(m.pnl) ? b : m), undefined);
  const out: BenchRow[] = [];
  const pct = (v: number | undefined): number | null => (v === undefined ? null : 100 * v);
  stats.forEach((s, i) => {
    const isOurs = s === ours;
    const orderNote = `${s.trades} trades, ${runs[i]?.orders.length ?? 0} orders (${s.unmatchedOrders} unmatched)`;
    out.push(
      row({
        group: GROUP,
        name: `${s.name}: target windows traded`,
        value: pct(targetRate(s)),
        unit: '%',
        ...(isOurs ? { target: { op: '>=', value: 95 } } : {}),
        status: 'ok',
        note: `${s.targetTraded}/${s.target} target windows; ${s.detected}/${s.windows} windows detected, ${s.tradedWindows} traded`,
      }),
      row({
        group: GROUP,
        name: `${s.name}: trades with both legs filled`,
        value: pct(bothRate(s)),
        unit: '%',
        ...(isOurs ? { target: { op: '>=', value: 90 } } : {}),
        status: 'ok',
        note: `${orderNote}; one-legged ${s.outcomes['one-legged']}, partial ${s.outcomes.partial}, no fill ${s.outcomes.none}`,
      }),
      row({
        group: GROUP,
        name: `${s.name}: realized PnL`,
        value: Number(s.pnl.toFixed(4)),
        unit: 'quote',
        ...(isOurs && best !== undefined ? { baseline: Number(best.pnl.toFixed(4)), baselineName: `best baseline (${best.name})` } : {}),
        status: 'ok',
        note: `oracle ${s.oracle.toFixed(2)} (both legs at the detection-time books); ground truth Σ best profit of windows worth taking ${s.truthWorth.toFixed(2)}`,
      }),
      row({
        group: GROUP,
        name: `${s.name}: realized PnL / oracle`,
        value: pct(oracleRatio(s)),
        unit: '%',
        ...(isOurs ? { target: { op: '>=', value: 80 } } : {}),
        status: 'ok',
        note: `one-legged rate ${pct(oneLeggedRate(s))?.toFixed(1) ?? '-'}%`,
      }),
      row({
        group: GROUP,
        name: `${s.name}: window open→detection p50`,
        value: quantile(s.latencies, 0.5) ?? null,
        unit: 'ms',
        status: 'ok',
        note: `p90 ${quantile(s.latencies, 0.9)?.toFixed(0) ?? '-'} ms, p99 ${quantile(s.latencies, 0.99)?.toFixed(0) ?? '-'} ms over ${s.latencies.length} detected windows`,
      }),
    );
  });
  return out;
}
