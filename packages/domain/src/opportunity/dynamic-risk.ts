import { InvalidDetectionParamsError } from './errors';

export interface DynamicRiskOptions {
  /** σ (bps/√s) assumed while the estimator warms up; default 2. */
  readonly priorVolBps?: number;
  /** Execution horizon the edge must survive, ms; default 250. */
  readonly horizonMs?: number;
  /** How many σ·√horizon of adverse move the threshold adds; default 2. */
  readonly sigmas?: number;
  /** Cap on the volatility add-on to the threshold, bps; default 50. */
  readonly maxExtraBps?: number;
  /** σ (bps/√s) at which the size factor is 1/2; default 10. */
  readonly halfSizeVolBps?: number;
  /** Floor of the size factor; default 0.1. */
  readonly minSizeFactor?: number;
}

export interface DynamicRisk {
  /** The σ used (the prior while warming up). */
  readonly volBps: number;
  /** Net edge the trade must reach, bps: base + min(maxExtra, sigmas × σ × √(horizon s)). Non-decreasing in σ. */
  readonly thresholdBps: number;
  /** Multiplier of the per-trade risk limit: max(minSizeFactor, 1 / (1 + σ / halfSizeVol)). Non-increasing in σ, in (0, 1]. */
  readonly sizeFactor: number;
}

/** Resolved options (validated once). */
export class DynamicRiskPolicy {
  private readonly prior: number;
  private readonly addPerVol: number;
  private readonly maxExtra: number;
  private readonly halfSizeVol: number;
  private readonly minFactor: number;

  constructor(opts: DynamicRiskOptions = {}) {
    this.prior = opts.priorVolBps ?? 2;
    const horizonMs = opts.horizonMs ?? 250;
    this.addPerVol = (opts.sigmas ?? 2) * Math.sqrt(horizonMs / 1000);
    this.maxExtra = opts.maxExtraBps ?? 50;
    this.halfSizeVol = opts.halfSizeVolBps ?? 10;
    this.minFactor = opts.minSizeFactor ?? 0.1;
    const bad =
      !(this.prior >= 0) || !(horizonMs >= 0) || !(this.addPerVol >= 0) || !(this.maxExtra >= 0) || !(this.halfSizeVol > 0) || !(this.minFactor > 0 && this.minFactor <= 1);
    if (bad) throw new InvalidDetectionParamsError(`dynamic risk options out of range: ${JSON.stringify(opts)}`);
  }

  /** Threshold and size factor for a base threshold (bps) and the measured σ (null = warming up). */
  apply(baseThresholdBps: number, volBps: number | null): DynamicRisk {
    const v = volBps === null || Number.isNaN(volBps) || volBps < 0 ? this.prior : volBps;
    return {
      volBps: v,
      thresholdBps: baseThresholdBps + Math.min(this.maxExtra, this.addPerVol * v),
      sizeFactor: Math.max(this.minFactor, 1 / (1 + v / this.halfSizeVol)),
    };
  }
}
