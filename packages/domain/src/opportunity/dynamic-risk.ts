import { InvalidDetectionParamsError } from './errors';

export interface DynamicRiskOptions {
  /** Execution horizon the edge must survive, ms; default 250. */
  readonly horizonMs?: number;
  /** How many σ·√horizon of adverse move the threshold adds; default 2. */
  readonly sigmas?: number;
  /** Cap on the volatility premium, bps; default 50. */
  readonly maxExtraBps?: number;
}

export interface DynamicRisk {
  /** The σ used, bps/√s. */
  readonly volBps: number;
  /** Volatility premium: min(maxExtra, sigmas × σ × √(horizon s)), bps. Non-decreasing in σ. */
  readonly premiumBps: number;
  /** Net edge the trade must reach, bps: base + premium. */
  readonly thresholdBps: number;
}

/**
 * Volatility enters detection once, here, as a risk premium on the net-edge threshold: between detection and the
 * fills the prices move by about σ·√horizon, and that risk is a cost per unit of notional, the unit the threshold is
 * in. It is not also a confidence factor or a size haircut (each risk input is used once); the size is bounded by the
 * risk limit, inventory, depth and the haircut against the touched levels.
 */
export class DynamicRiskPolicy {
  private readonly addPerVol: number;
  private readonly maxExtra: number;

  constructor(opts: DynamicRiskOptions = {}) {
    const horizonMs = opts.horizonMs ?? 250;
    this.addPerVol = (opts.sigmas ?? 2) * Math.sqrt(horizonMs / 1000);
    this.maxExtra = opts.maxExtraBps ?? 50;
    if (!(horizonMs >= 0) || !(this.addPerVol >= 0) || !Number.isFinite(this.addPerVol) || !(this.maxExtra >= 0)) {
      throw new InvalidDetectionParamsError(`dynamic risk options out of range: ${JSON.stringify(opts)}`);
    }
  }

  /** Threshold for a base threshold (bps) and the measured σ (bps/√s; NaN or negative count as 0). */
  apply(baseThresholdBps: number, volBps: number): DynamicRisk {
    const v = volBps >= 0 ? volBps : 0;
    const premiumBps = Math.min(this.maxExtra, this.addPerVol * v);
    return { volBps: v, premiumBps, thresholdBps: baseThresholdBps + premiumBps };
  }
}
