import type { EdgeStats } from './edge-tracker';
import { InvalidDetectionParamsError } from './errors';

/**
 * Confidence in [0, 1] that an edge is real and still there when the orders land: the PRODUCT of five factors,
 * each in [0, 1], so any one bad signal is enough to reject (default threshold 0.6).
 *
 * - freshness   = 1 − (age / staleness)²            age = the older of the two books (local receive time)
 * - depth       = 1 − depthPenalty × u²              u = max over both sides of size / visible top-N size
 * - persistence = (newEdgeScore + (1 − newEdgeScore) × min(1, persisted / persistMs))
 *                 × max(0, 1 − flickerPenalty × (appearances − 1))      appearances within the tracker window
 * - health      = Π over both venues: live ? 1 / (1 + incidentPenalty × recent incidents) : 0
 * - volatility  = 1 / (1 + (σ / volReferenceBps)²)  σ in bps/√s (the prior while warming up)
 *
 * With the defaults: a fresh (≤ 200 ms), deep (≤ 30% of visible size), persistent (≥ 300 ms, one appearance) edge
 * on healthy feeds in normal volatility scores ≥ 0.85; a book 800 ms old of 1000 (0.36), an edge eating all the
 * visible depth (0.4) or one that appeared 4 times in 5 s (≤ 0.55) is rejected on that factor alone.
 */
export interface ConfidenceOptions {
  readonly depthPenalty?: number;
  readonly newEdgeScore?: number;
  readonly persistMs?: number;
  readonly flickerPenalty?: number;
  readonly incidentPenalty?: number;
  readonly volReferenceBps?: number;
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
  /** σ in bps/√s (null = unknown: scored with `priorVolBps`). */
  readonly volBps: number | null;
}

export interface ConfidenceFactors {
  readonly freshness: number;
  readonly depth: number;
  readonly persistence: number;
  readonly health: number;
  readonly volatility: number;
}

export interface Confidence {
  readonly score: number;
  readonly factors: ConfidenceFactors;
}

const clamp01 = (x: number): number => (x > 1 ? 1 : x > 0 ? x : 0);

export class ConfidenceModel {
  private readonly depthPenalty: number;
  private readonly newEdgeScore: number;
  private readonly persistMs: number;
  private readonly flickerPenalty: number;
  private readonly incidentPenalty: number;
  private readonly volRef: number;

  constructor(opts: ConfidenceOptions = {}, private readonly priorVolBps = 2) {
    this.depthPenalty = opts.depthPenalty ?? 0.6;
    this.newEdgeScore = opts.newEdgeScore ?? 0.7;
    this.persistMs = opts.persistMs ?? 300;
    this.flickerPenalty = opts.flickerPenalty ?? 0.15;
    this.incidentPenalty = opts.incidentPenalty ?? 0.2;
    this.volRef = opts.volReferenceBps ?? 5;
    const in01 = (x: number): boolean => x >= 0 && x <= 1;
    if (!in01(this.depthPenalty) || !in01(this.newEdgeScore) || !in01(this.flickerPenalty) || !(this.persistMs > 0) || !(this.incidentPenalty >= 0) || !(this.volRef > 0)) {
      throw new InvalidDetectionParamsError(`confidence options out of range: ${JSON.stringify(opts)}`);
    }
  }

  score(i: ConfidenceInputs): Confidence {
    const age = i.maxBookAgeMs / i.stalenessMs;
    const freshness = clamp01(1 - age * age);
    const u = clamp01(i.depthUsed);
    const depth = clamp01(1 - this.depthPenalty * u * u);
    const run = this.newEdgeScore + (1 - this.newEdgeScore) * Math.min(1, i.edge.persistedMs / this.persistMs);
    const flicker = clamp01(1 - this.flickerPenalty * Math.max(0, i.edge.appearances - 1));
    const persistence = i.edge.present ? clamp01(run * flicker) : 0;
    const venueHealth = (live: boolean, n: number): number => (live ? 1 / (1 + this.incidentPenalty * Math.max(0, n)) : 0);
    const health = venueHealth(i.buyLive, i.buyIncidents) * venueHealth(i.sellLive, i.sellIncidents);
    const sigma = i.volBps === null || Number.isNaN(i.volBps) ? this.priorVolBps : i.volBps;
    const volatility = 1 / (1 + (sigma / this.volRef) ** 2);
    const score = clamp01(freshness * depth * persistence * health * volatility);
    return { score: Number.isFinite(score) ? score : 0, factors: { freshness, depth, persistence, health, volatility } };
  }
}
