import type { SuppressionRules } from './suppressor';
import type { DetectorSection, MarketsSection } from './config';

/**
 * Everything an evaluation reads that may change at run time. Immutable: a change builds a new object and swaps it
 * in (`ParamsHolder.set`), and each book update reads the set in force once, so one evaluation never mixes two
 * versions.
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
  /** Detection option groups (absent fields: the domain defaults); each can be overridden at run time. */
  readonly volatility: Readonly<DetectorSection['volatility']>;
  readonly risk: Readonly<DetectorSection['risk']>;
  readonly confidence: Readonly<Omit<DetectorSection['confidence'], 'volReferenceBps'>>;
  readonly edges: Readonly<DetectorSection['edges']>;
  readonly marketability: Readonly<DetectorSection['marketability']>;
  readonly suppression: Readonly<SuppressionRules>;
}

export function paramsFromConfig(detector: DetectorSection, markets: MarketsSection): DetectorParams {
  const { volReferenceBps: _obsolete, ...confidence } = detector.confidence;
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
    volatility: Object.freeze({ ...detector.volatility }),
    risk: Object.freeze({ ...detector.risk }),
    confidence: Object.freeze(confidence),
    edges: Object.freeze({ ...detector.edges }),
    marketability: Object.freeze({ ...detector.marketability }),
    suppression: Object.freeze({ ...detector.suppression }),
  });
}
