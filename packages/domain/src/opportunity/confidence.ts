import type { EdgeStats } from './edge-tracker';
import { InvalidDetectionParamsError } from './errors';

/**
 * Confidence in [0, 1] that an edge is real and still there when the orders land: the PRODUCT of four factors,
 * each in [0, 1] and monotone in its input, so one bad signal is enough to reject (default threshold 0.6).
 *
 * - freshness   = 1 − (age / staleness)^freshnessPower   age = the older of the two books (local receive time)
 * - depth       = 1 − depthPenalty × u²              u = max over both sides of size / visible top-N size
 * - persistence = (newEdgeScore + (1 − newEdgeScore) × min(1, persisted / persistMs))
 *                 × max(0, 1 − flickerPenalty × flickers)    flickers: re-appearances soon after vanishing
 * - health      = Π over both venues: live ? 1 / (1 + incidentPenalty × recent incidents) : 0
 *
 * Volatility is not a factor: it is priced once, as a premium on the threshold (DynamicRiskPolicy). A window is
 * usually brand new when first seen, so a new edge starts at `newEdgeScore` (0.8), enough to pass on fresh books of
 * healthy feeds; a new jump re-opening the same route seconds later is a new edge, not a flicker (EdgeTracker).
 * Freshness is cubic by default: a few hundred ms of age (a busy host, a quiet book) costs little, the last few
 * hundred before `staleness` cost a lot.
 * Calibration (defaults; table in confidence.test.ts): a fresh (≤ 200 ms), healthy, brand-new edge using ≤ 50 % of
 * the visible depth scores ≥ 0.65; a book 800 ms old of 1000 (≤ 0.49), an edge eating all visible depth (≤ 0.4),
 * one that flickered 3 times within the window (≤ 0.55) or a venue with 3 recent incidents (≤ 0.58) is rejected on
 * that factor alone.
 */
export interface ConfidenceOptions {
  readonly freshnessPower?: number;
  readonly depthPenalty?: number;
  readonly newEdgeScore?: number;
  readonly persistMs?: number;
  readonly flickerPenalty?: number;
  readonly incidentPenalty?: number;
}

export interface ConfidenceInputs {
  /** Age of the older of the two books, ms. */
  readonly maxBookAgeMs: number;
  readonly stalenessMs: number;
  /** Fraction of the visible top-N size used on the more consumed side (size / depth). */
  readonly depthUsed: number;
  readonly edge: EdgeStats;
  readonly buyLive: boolean;
  readonly sellLive: boolean;
  readonly buyIncidents: number;
  readonly sellIncidents: number;
}

export interface ConfidenceFactors {
  readonly freshness: number;
  readonly depth: number;
  readonly persistence: number;
  readonly health: number;
}

export type ConfidenceFactor = keyof ConfidenceFactors;

export interface Confidence {
  readonly score: number;
  readonly factors: ConfidenceFactors;
}

const clamp01 = (x: number): number => (x > 1 ? 1 : x > 0 ? x : 0);

/** The factor with the lowest value (the first in declaration order on a tie): what a rejection is blamed on. */
export function weakestFactor(f: ConfidenceFactors): ConfidenceFactor {
  let out: ConfidenceFactor = 'freshness';
  for (const k of ['depth', 'persistence', 'health'] as const) if (f[k] < f[out]) out = k;
  return out;
}

export class ConfidenceModel {
  private readonly freshnessPower: number;
  private readonly depthPenalty: number;
  private readonly newEdgeScore: number;
  private readonly persistMs: number;
  private readonly flickerPenalty: number;
  private readonly incidentPenalty: number;

  constructor(opts: ConfidenceOptions = {}) {
    this.freshnessPower = opts.freshnessPower ?? 3;
    this.depthPenalty = opts.depthPenalty ?? 0.6;
    this.newEdgeScore = opts.newEdgeScore ?? 0.8;
    this.persistMs = opts.persistMs ?? 300;
    this.flickerPenalty = opts.flickerPenalty ?? 0.15;
    this.incidentPenalty = opts.incidentPenalty ?? 0.25;
    const in01 = (x: number): boolean => x >= 0 && x <= 1;
    if (
      !(this.freshnessPower >= 1 && this.freshnessPower <= 10) ||
      !in01(this.depthPenalty) ||
      !in01(this.newEdgeScore) ||
      !in01(this.flickerPenalty) ||
      !(this.persistMs > 0) ||
      !(this.incidentPenalty >= 0) ||
      !Number.isFinite(this.persistMs + this.incidentPenalty)
    ) {
      throw new InvalidDetectionParamsError(`confidence options out of range: ${JSON.stringify(opts)}`);
    }
  }

  score(i: ConfidenceInputs): Confidence {
    const age = Math.max(0, i.maxBookAgeMs) / i.stalenessMs;
    const freshness = clamp01(1 - Math.pow(age, this.freshnessPower));
    const u = Number.isNaN(i.depthUsed) ? 1 : clamp01(i.depthUsed); // unknown depth counts as all of it
    const depth = clamp01(1 - this.depthPenalty * u * u);
    const run = this.newEdgeScore + (1 - this.newEdgeScore) * Math.min(1, Math.max(0, i.edge.persistedMs) / this.persistMs);
    const flicker = clamp01(1 - this.flickerPenalty * Math.max(0, i.edge.flickers));
    const persistence = i.edge.present ? clamp01(run * flicker) : 0;
    const venueHealth = (live: boolean, n: number): number => (live ? 1 / (1 + this.incidentPenalty * Math.max(0, n)) : 0);
    const health = venueHealth(i.buyLive, i.buyIncidents) * venueHealth(i.sellLive, i.sellIncidents);
    // clamp01 maps NaN (e.g. a NaN age) to 0: never a pass.
    const factors = { freshness, depth, persistence, health: clamp01(health) };
    return { score: clamp01(freshness * depth * persistence * factors.health), factors };
  }
}
