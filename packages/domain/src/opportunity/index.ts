export { InvalidMarketRulesError, InvalidDetectionParamsError } from './errors';
export { compileMarketRules, type MarketRules, type MarketRulesInput, type BuyFeeAsset } from './market-rules';
export { feeFactors, screenFeeFactors, type FeeFactors } from './fees';
export { ParsedBook, parseBook, exactSide, LazyExactSide, type ExactLevel, type ExactSide } from './parsed-book';
export { topEdgeBps, SCREEN_EPSILON_BPS } from './screen';
export { optimizeSize } from './sizing';
export type { SizingInput, SizedTrade, SizingResult, SizingRejection } from './sizing-types';
export { floorToStep, ceilToStep, lcmStep } from './big-math';
export { UsdValuer, exactMid, DEFAULT_USD_PEGS, type UsdValuerOptions, type MidLookup } from './usd-valuer';
export {
  EdgeTracker,
  routeKey,
  resolveEdgeOptions,
  type EdgeStats,
  type EdgeHistory,
  type EdgeTrackerOptions,
  type ResolvedEdgeOptions,
} from './edge-tracker';
export { VolatilityEstimator, checkVolatilityOptions, type VolatilityOptions } from './volatility';
export { DynamicRiskPolicy, type DynamicRisk, type DynamicRiskOptions } from './dynamic-risk';
export {
  marketableLimits,
  haircutSize,
  resolveMarketability,
  type MarketabilityOptions,
  type ResolvedMarketability,
  type MarketabilityInput,
  type MarketableLimits,
} from './marketability';
export {
  ConfidenceModel,
  weakestFactor,
  type Confidence,
  type ConfidenceFactor,
  type ConfidenceFactors,
  type ConfidenceInputs,
  type ConfidenceOptions,
} from './confidence';
export { compileDetectionParams, type DetectionParams, type DetectionParamsInput } from './detection-params';
export {
  toOpportunity,
  candidateFingerprint,
  type OpportunityCandidate,
  type OpportunityMeta,
  type BookRefValue,
} from './candidate';
export { evaluateRoute, type RouteInput, type RouteEvaluation, type RejectionReason, type VenueFeed } from './evaluate-route';
