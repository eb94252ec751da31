export { InvalidNameError, ValidationError } from './errors';
export * from './primitives';
export { BookSnapshot } from './book-snapshot';
export { FeedState, FeedCounters, FeedStatus, SymbolFeedStatus } from './feed-status';
export { Opportunity, OpportunityLeg, OpportunityFactors, BookRef } from './opportunity';
export { ExecutionReport, ExecutionLeg, ExecutionStatus, EXECUTION_STATUSES, LegRole } from './execution-report';
export {
  RuntimeConfig,
  TradingParams,
  Variant,
  VolatilityParams,
  RiskPremiumParams,
  ConfidenceParams,
  EdgeParams,
  SuppressionParams,
  MarketabilityParams,
} from './runtime-config';
export { createValidator, type Validator } from './validator';
export { validators } from './validators';
export { subjects, parseBookSubject } from './subjects';
export { streams, consumers, buckets, configKeys, memberKeys } from './jetstream-names';
export { redisKeys } from './redis-keys';
export { token } from './token';
