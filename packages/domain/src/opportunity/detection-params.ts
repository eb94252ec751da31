import Big from 'big.js';
import { ConfidenceModel, type ConfidenceOptions } from './confidence';
import { DynamicRiskPolicy, type DynamicRiskOptions } from './dynamic-risk';
import { InvalidDetectionParamsError } from './errors';

/** Detection thresholds as configured (decimal strings for money). */
export interface DetectionParamsInput {
  /** Net edge threshold in PERCENT of buy notional, e.g. "0.05" = 5 bps (before the volatility add-on). */
  readonly minProfitPct: string;
  /** Minimum expected profit in USD. */
  readonly minProfitUsd: string;
  /** Max buy notional (quote) per trade before the volatility size factor; null = unbounded. */
  readonly riskLimitPerTrade: string | null;
  /** Default 0.6. */
  readonly minConfidence?: number;
  /** A book older than this (local receive time) is stale; default 1000. */
  readonly stalenessMs?: number;
  readonly confidence?: ConfidenceOptions;
  readonly risk?: DynamicRiskOptions;
}

/** Compiled once per parameter change; read by every evaluation. */
export interface DetectionParams {
  readonly minProfitBps: number;
  readonly minProfitUsd: Big;
  readonly riskLimit: Big | null;
  readonly minConfidence: number;
  readonly stalenessMs: number;
  readonly confidence: ConfidenceModel;
  readonly risk: DynamicRiskPolicy;
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
  const risk = new DynamicRiskPolicy(p.risk);
  return {
    minProfitBps: big('minProfitPct', p.minProfitPct).times(100).toNumber(),
    minProfitUsd: big('minProfitUsd', p.minProfitUsd),
    riskLimit: p.riskLimitPerTrade === null ? null : big('riskLimitPerTrade', p.riskLimitPerTrade),
    minConfidence,
    stalenessMs,
    confidence: new ConfidenceModel(p.confidence, p.risk?.priorVolBps ?? 2),
    risk,
  };
}
