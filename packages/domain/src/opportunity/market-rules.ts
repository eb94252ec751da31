import Big from 'big.js';
import { ZERO } from './big-math';
import { InvalidMarketRulesError } from './errors';

/** Which asset the buy leg's taker fee is charged in. */
export type BuyFeeAsset = 'quote' | 'base';

/** Fees and instrument rules of one (venue, symbol), as configured (decimal strings). */
export interface MarketRulesInput {
  readonly venue: string;
  /** Taker fee as a fraction of notional, e.g. "0.001" = 10 bps. */
  readonly takerFee: string;
  /**
   * `quote` (default): the buy leg pays `fee × notional` in quote on top of the notional.
   * `base`: the buy leg receives `size × (1 − fee)` base; the missing base is valued at the sell price.
   */
  readonly buyFeeAsset?: BuyFeeAsset;
  /** Minimum order size (base); default 0. */
  readonly minSize?: string;
  /** Maximum order size (base); absent = unbounded. */
  readonly maxSize?: string;
  /** Minimum order notional (quote), judged on limit price × size as venues do; default 0. */
  readonly minNotional?: string;
  /** Size increment (base), > 0. */
  readonly lotStep: string;
  /** Price increment (quote), > 0; absent = levels are taken as they come. */
  readonly tick?: string;
}

/** Compiled rules: parsed once at configuration time, used on every evaluation. */
export interface MarketRules {
  readonly venue: string;
  readonly takerFee: Big;
  /** The fee as a float, for the pre-screen only. */
  readonly takerFeeF: number;
  readonly buyFeeAsset: BuyFeeAsset;
  readonly minSize: Big;
  readonly maxSize: Big | null;
  readonly minNotional: Big;
  readonly lotStep: Big;
  readonly tick: Big | null;
  /** The tick as a float, to screen only (e.g. how many ticks a limit may move; the limit itself is exact). */
  readonly tickF: number | null;
}

function dec(venue: string, field: string, s: string): Big {
  try {
    return new Big(s);
  } catch (err) {
    throw new InvalidMarketRulesError(`market ${venue}: ${field} "${s}" is not a decimal`, { cause: err });
  }
}

/** Parses and checks one market's rules. Throws InvalidMarketRulesError on bad input (configuration time only). */
export function compileMarketRules(input: MarketRulesInput): MarketRules {
  const v = input.venue;
  const takerFee = dec(v, 'takerFee', input.takerFee);
  const minSize = input.minSize === undefined ? ZERO : dec(v, 'minSize', input.minSize);
  const maxSize = input.maxSize === undefined ? null : dec(v, 'maxSize', input.maxSize);
  const minNotional = input.minNotional === undefined ? ZERO : dec(v, 'minNotional', input.minNotional);
  const lotStep = dec(v, 'lotStep', input.lotStep);
  const tick = input.tick === undefined ? null : dec(v, 'tick', input.tick);
  const problems: string[] = [];
  if (takerFee.lt(0) || takerFee.gte(1)) problems.push(`takerFee ${input.takerFee} must be in [0, 1)`);
  if (minSize.lt(0)) problems.push('minSize must be >= 0');
  if (maxSize !== null && maxSize.lt(minSize)) problems.push('maxSize must be >= minSize');
  if (minNotional.lt(0)) problems.push('minNotional must be >= 0');
  if (lotStep.lte(0)) problems.push('lotStep must be > 0');
  if (tick !== null && tick.lte(0)) problems.push('tick must be > 0');
  if (problems.length > 0) throw new InvalidMarketRulesError(`market ${v}: ${problems.join('; ')}`);
  return {
    venue: v,
    takerFee,
    takerFeeF: takerFee.toNumber(),
    buyFeeAsset: input.buyFeeAsset ?? 'quote',
    minSize,
    maxSize,
    minNotional,
    lotStep,
    tick,
    tickF: tick === null ? null : tick.toNumber(),
  };
}
