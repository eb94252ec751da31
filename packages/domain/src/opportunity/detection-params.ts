import Big from 'big.js';
import { ConfidenceModel, type ConfidenceOptions } from './confidence';
import { DynamicRiskPolicy, type DynamicRiskOptions } from './dynamic-risk';
import { resolveEdgeOptions, type EdgeTrackerOptions, type ResolvedEdgeOptions } from './edge-tracker';
import { InvalidDetectionParamsError } from './errors';
import { resolveMarketability, type MarketabilityOptions, type ResolvedMarketability } from './marketability';
import { checkVolatilityOptions, type VolatilityOptions } from './volatility';

/** Detection thresholds as configured (decimal strings for money). */
export interface DetectionParamsInput {
  /** Net edge threshold in PERCENT of buy notional, e.g. "0.05" = 5 bps (before the volatility premium). */
  readonly minProfitPct: string;
  /** Minimum expected profit in USD. */
  readonly minProfitUsd: string;
  /** Max buy notional (quote) per trade; null = unbounded. */
  readonly riskLimitPerTrade: string | null;
  /** Default 0.6. */
  readonly minConfidence?: number;
  /** A book older than this (local receive time) is stale; default 1000. */
  readonly stalenessMs?: number;
  readonly confidence?: ConfidenceOptions;
  readonly risk?: DynamicRiskOptions;
  readonly edges?: EdgeTrackerOptions;
  readonly marketability?: MarketabilityOptions;
  /** Estimator options (used by whoever feeds the estimator; validated here with the rest). */
  readonly volatility?: VolatilityOptions;
}

/** Compiled once per parameter change; read by every evaluation. */
export interface DetectionParams {
  readonly minProfitBps: number;
  /** minProfitPct as a fraction of notional, exact. */
  readonly minProfit: Big;
  readonly minProfitUsd: Big;
  readonly riskLimit: Big | null;
  readonly minConfidence: number;
  readonly stalenessMs: number;
  readonly confidence: ConfidenceModel;
  readonly risk: DynamicRiskPolicy;
  readonly edges: ResolvedEdgeOptions;
  readonly marketability: ResolvedMarketability;
  readonly volatility: VolatilityOptions;
}

function big(field: string, s: string): Big {
  try {
    const b = new Big(s);
    if (b.lt(0)) throw new RangeError('negative');
    return b;
  } catch (err) {
    throw new InvalidDetectionParamsError(`${field} "${s}" is not a non-negative decimal`, { cause: err });
  }
}

/** Validates and compiles detection parameters. Throws InvalidDetectionParamsError. */
export function compileDetectionParams(p: DetectionParamsInput): DetectionParams {
  const minConfidence = p.minConfidence ?? 0.6;
  const stalenessMs = p.stalenessMs ?? 1000;
  if (!(minConfidence >= 0 && minConfidence <= 1)) throw new InvalidDetectionParamsError(`minConfidence ${minConfidence} not in [0, 1]`);
  if (!(stalenessMs > 0)) throw new InvalidDetectionParamsError(`stalenessMs ${stalenessMs} must be > 0`);
  const volatility = { ...p.volatility };
  checkVolatilityOptions(volatility);
  const minProfit = big('minProfitPct', p.minProfitPct).div(100);
  return {
    minProfitBps: minProfit.times(10_000).toNumber(),
    minProfit,
    minProfitUsd: big('minProfitUsd', p.minProfitUsd),
    riskLimit: p.riskLimitPerTrade === null ? null : big('riskLimitPerTrade', p.riskLimitPerTrade),
    minConfidence,
    stalenessMs,
    confidence: new ConfidenceModel(p.confidence),
    risk: new DynamicRiskPolicy(p.risk),
    edges: resolveEdgeOptions(p.edges),
    marketability: resolveMarketability(p.marketability),
    volatility,
  };
}
