import { row } from '../lib/rows';
import { benchSettings } from '../settings';
import type { BenchModule, BenchRow } from '../types';
import { generateEvalWorkload } from './eval-workload';
import { decodeCostMs, evaluateUpdates, type EvaluateResult } from './evaluate-updates';

const GROUP = 'detector';
const TARGET_US_5_VENUES = 20;

/** Runs the workload twice (the first pass warms the JIT up, with its own trackers) and keeps the second. */
function measure(venues: number, updates: number, jumpChance: number): EvaluateResult {
  const w = generateEvalWorkload({ venues, updates, jumpChance });
  evaluateUpdates(w);
  return evaluateUpdates(w);
}

/**
 * Detector evaluation cost per book update with 2, 3 and 5 venues, pure and in-process: parse once, both
 * directions against every other venue (the float pre-screen rejects most; crossings go to the exact big.js walk),
 * trackers. Baseline: decoding and schema-checking one BookSnapshot, which the detector pays per message anyway.
 */
export const detectorEvaluateBench: BenchModule = {
  name: 'detector.evaluate',
  group: GROUP,
  description: 'opportunity evaluation cost per book update with 2/3/5 venues (@arb/domain, in-process)',
  async run(ctx) {
    const s = benchSettings(ctx.quick);
    const decodeUs = decodeCostMs(generateEvalWorkload({ venues: 5, updates: Math.min(s.evalUpdates, 20_000), jumpChance: 0 }).updates) * 1000;
    const rows: BenchRow[] = [];
    const scenarios = [
      { venues: 2, jumpChance: 0.02, label: '' },
      { venues: 3, jumpChance: 0.02, label: '' },
      { venues: 5, jumpChance: 0.02, label: '' },
      { venues: 5, jumpChance: 1, label: ', every update opens an edge' },
    ];
    for (const sc of scenarios) {
      ctx.log.info(`detector evaluation, ${sc.venues} venues${sc.label}, ${s.evalUpdates} updates`);
      const r = measure(sc.venues, s.evalUpdates, sc.jumpChance);
      const perUpdate = r.evaluations / s.evalUpdates;
      rows.push(
        row({
          group: GROUP,
          name: `evaluate per update, ${sc.venues} venues${sc.label}`,
          value: r.meanMs * 1000,
          unit: 'µs',
          baseline: decodeUs,
          baselineName: 'JSON decode + schema check of one BookSnapshot',
          ...(sc.venues === 5 ? { target: { op: '<=' as const, value: TARGET_US_5_VENUES } } : {}),
          note:
            `mean; p99 ${(r.perUpdate.p99 * 1000).toFixed(1)} µs; ${perUpdate.toFixed(1)} evaluations/update, ` +
            `${((100 * r.withEdge) / Math.max(1, r.evaluations)).toFixed(1)}% past the pre-screen, ${r.candidates} candidates`,
        }),
      );
    }
    return rows;
  },
};
