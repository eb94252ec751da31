import type { SuppressionRules } from './suppressor';
import type { DetectorSection, MarketsSection } from './config';
import { ParamsSet } from './params-set';

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
  readonly suppression: Readonly<SuppressionRules>;
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
    suppression: Object.freeze({ sizeTolerance: detector.suppression.sizeTolerance, minIntervalMs: detector.suppression.minIntervalMs }),
  });
}

/**
 * The live parameters: a ParamsSet (default params + A/B variants) swapped whole. Each book update reads `snapshot()`
 * once, so one update never mixes two versions; a swap applies from the next update on.
 */
export class ParamsHolder {
  private params: ParamsSet;

  constructor(initial: DetectorParams | ParamsSet) {
    this.params = initial instanceof ParamsSet ? initial : new ParamsSet(initial);
  }

  /** The set in force (read once per update). */
  snapshot(): ParamsSet {
    return this.params;
  }

  /** The default share's params (for what is not tied to one route: USD conversion, /stats). */
  current(): DetectorParams {
    return this.params.base;
  }

  /** Replaces everything: `params` as the only set (no variants), or a whole ParamsSet. */
  set(params: DetectorParams | ParamsSet): void {
    this.params = params instanceof ParamsSet ? params : new ParamsSet(params);
  }
}
