import type { TradingParams } from '@arb/contracts';
import type { DetectorSection, MarketsSection } from './config';

/**
 * Everything an evaluation reads that may change at run time. Immutable: a change builds a new object and swaps it
 * in (`ParamsHolder.set`), and each book update reads `current()` once, so one evaluation never mixes two versions.
 */
export interface DetectorParams {
  readonly version: number;
  readonly variant: string;
  /** Net edge threshold, percent (decimal string). */
  readonly minProfitPct: string;
  readonly minProfitUsd: string;
  /** Max buy notional per trade (quote, decimal string). */
  readonly riskLimitPerTrade: string;
  readonly minConfidence: number;
  readonly stalenessMs: number;
  readonly executionWindowMs: number;
  /** Quote asset → USD rate (decimal strings). */
  readonly usdPegs: Readonly<Record<string, string>>;
  /** Dynamic-risk and confidence options (absent fields: the domain defaults). */
  readonly risk: Readonly<DetectorSection['risk']>;
  readonly confidence: Readonly<DetectorSection['confidence']>;
  readonly sizeTolerance: number;
}

export function paramsFromConfig(detector: DetectorSection, markets: MarketsSection): DetectorParams {
  return Object.freeze({
    version: 1,
    variant: detector.variant,
    minProfitPct: detector.minProfitPct,
    minProfitUsd: detector.minProfitUsd,
    riskLimitPerTrade: detector.riskLimitPerTrade,
    minConfidence: detector.minConfidence,
    stalenessMs: detector.stalenessMs,
    executionWindowMs: detector.executionWindowMs,
    usdPegs: Object.freeze({ ...markets.usdPegs }),
    risk: Object.freeze({ ...detector.risk }),
    confidence: Object.freeze({ ...detector.confidence }),
    sizeTolerance: detector.suppression.sizeTolerance,
  });
}

/** `base` with the runtime overrides (RuntimeConfig `params`, or a variant's) that are present. */
export function withOverrides(base: DetectorParams, o: TradingParams, variant?: string): DetectorParams {
  return Object.freeze({
    ...base,
    version: base.version + 1,
    ...(variant !== undefined ? { variant } : {}),
    ...(o.minProfitPct !== undefined ? { minProfitPct: o.minProfitPct } : {}),
    ...(o.minProfitUsd !== undefined ? { minProfitUsd: o.minProfitUsd } : {}),
    ...(o.riskLimitPerTrade !== undefined ? { riskLimitPerTrade: o.riskLimitPerTrade } : {}),
    ...(o.minConfidence !== undefined ? { minConfidence: o.minConfidence } : {}),
    ...(o.stalenessMs !== undefined ? { stalenessMs: o.stalenessMs } : {}),
    ...(o.executionWindowMs !== undefined ? { executionWindowMs: o.executionWindowMs } : {}),
  });
}

/** The live parameters: read once per evaluation, swapped whole. */
export class ParamsHolder {
  constructor(private params: DetectorParams) {}

  current(): DetectorParams {
    return this.params;
  }

  set(params: DetectorParams): void {
    this.params = params;
  }
}
