import type { ReactionConfig } from '../config/world-schema';
import type { Rng } from '../model/rng';

/** z of the standard normal's 90th percentile. */
const Z90 = 1.2815515655446004;

/**
 * Rival reaction times (model ms). 'lognormal': median × exp(σ·N(0,1)) with σ = ln(p90/median)/z90, so the median
 * and the 90th percentile are the configured ones and the right tail is heavy; 'fixed': always the median. Clamped to
 * [minMs, maxMs]. Draws come from the rivals' own Rng stream (deterministic for a seed and a sequence of windows).
 */
export class ReactionSampler {
  private readonly sigma: number;

  constructor(
    readonly cfg: ReactionConfig,
    private readonly rng: Rng,
  ) {
    this.sigma = cfg.distribution === 'lognormal' && cfg.medianMs > 0 ? Math.log(cfg.p90Ms / cfg.medianMs) / Z90 : 0;
  }

  draw(): number {
    const { medianMs, minMs, maxMs } = this.cfg;
    const raw = this.sigma > 0 ? medianMs * Math.exp(this.sigma * this.rng.normal()) : medianMs;
    return Math.min(maxMs, Math.max(minMs, raw));
  }
}
