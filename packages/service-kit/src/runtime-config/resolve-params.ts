import type { RuntimeConfig, TradingParams } from '@arb/contracts';
import { DEFAULT_VARIANT } from './document';

/** Fields replaced whole by a layer that sets them. */
const PARAM_KEYS = [
  'minProfitPct',
  'minProfitUsd',
  'riskLimitPerTrade',
  'minConfidence',
  'stalenessMs',
  'executionWindowMs',
  'maxConcurrentTrades',
] as const satisfies ReadonlyArray<keyof TradingParams>;

/** Groups of parameters: a layer overrides only the fields it sets inside them. */
const GROUP_KEYS = ['volatility', 'risk', 'confidence', 'edges', 'suppression', 'marketability'] as const satisfies ReadonlyArray<keyof TradingParams>;

/**
 * Effective trading parameters: the service's file config ← `runtime.params` ← the named variant's `params`, each
 * layer overriding only the fields it sets (inside a group such as `confidence`, field by field too). An unknown
 * variant name (e.g. removed since it was assigned) or `default` gets the runtime layer only. Pure: returns a new
 * frozen object (groups frozen too), inputs untouched.
 */
export function resolveParams<F extends TradingParams>(
  fileParams: F,
  runtime: Pick<RuntimeConfig, 'params' | 'variants'>,
  variantName: string = DEFAULT_VARIANT,
): Readonly<F & TradingParams> {
  const out: Record<string, unknown> = { ...fileParams };
  overlay(out, runtime.params);
  if (variantName !== DEFAULT_VARIANT) {
    const variant = runtime.variants.find((v) => v.name === variantName);
    if (variant !== undefined) overlay(out, variant.params);
  }
  for (const key of GROUP_KEYS) if (out[key] !== undefined) Object.freeze(out[key]);
  return Object.freeze(out) as F & TradingParams;
}

function overlay(out: Record<string, unknown>, params: TradingParams): void {
  for (const key of PARAM_KEYS) {
    const value = params[key];
    if (value !== undefined) out[key] = value;
  }
  for (const key of GROUP_KEYS) {
    const group: Readonly<Record<string, unknown>> | undefined = params[key];
    if (group === undefined) continue;
    const merged: Record<string, unknown> = { ...(out[key] as Record<string, unknown> | undefined) };
    for (const [field, value] of Object.entries(group)) if (value !== undefined) merged[field] = value;
    out[key] = merged;
  }
}
