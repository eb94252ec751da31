import type Big from 'big.js';
import { ceilToStep, floorToStep, onStep } from './big-math';
import type { MarketRules } from './market-rules';

/** Buy limit of a touched ask level: its price, rounded UP to tick only if it is off tick (venue levels are on tick). */
export const buyLimitOf = (p: Big, r: MarketRules): Big => (r.tick === null || onStep(p, r.tick) ? p : ceilToStep(p, r.tick));

/** Sell limit of a touched bid level: its price, rounded DOWN to tick only if off tick. */
export const sellLimitOf = (p: Big, r: MarketRules): Big => (r.tick === null || onStep(p, r.tick) ? p : floorToStep(p, r.tick));
