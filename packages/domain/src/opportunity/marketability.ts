import Big from 'big.js';
import { bigMax, bigMin, ceilToStep, floorToStep, ONE, ZERO } from './big-math';
import { InvalidDetectionParamsError } from './errors';
import { feeFactors } from './fees';
import type { MarketRules } from './market-rules';
import type { SizedTrade } from './sizing-types';

export interface MarketabilityOptions {
  /** Share of the net edge above the threshold paid as allowance, both legs together (split evenly); default 0.5. */
  readonly edgeShare?: number;
  /** Cap of the allowance per leg, bps of its touched price; default 10. */
  readonly maxLegBps?: number;
  /** Size haircut: take at most this share of the last touched level on each side (1 = none); default 0.8. */
  readonly lastLevelShare?: number;
}

/** Validated options, exact. */
export interface ResolvedMarketability {
  readonly edgeShare: Big;
  /** maxLegBps as a fraction of price. */
  readonly maxLeg: Big;
  readonly lastLevelShare: Big;
}

export function resolveMarketability(o: MarketabilityOptions = {}): ResolvedMarketability {
  const edgeShare = o.edgeShare ?? 0.5;
  const maxLegBps = o.maxLegBps ?? 10;
  const lastLevelShare = o.lastLevelShare ?? 0.8;
  if (!(edgeShare >= 0 && edgeShare <= 1) || !(maxLegBps >= 0 && maxLegBps <= 1000) || !(lastLevelShare > 0 && lastLevelShare <= 1)) {
    throw new InvalidDetectionParamsError(`marketability options out of range (edgeShare in [0, 1], maxLegBps in [0, 1000], lastLevelShare in (0, 1]): ${JSON.stringify(o)}`);
  }
  // Configuration numbers become exact decimals once (their shortest round-trip text).
  return { edgeShare: new Big(edgeShare), maxLeg: new Big(maxLegBps).div(10_000), lastLevelShare: new Big(lastLevelShare) };
}

export interface MarketabilityInput {
  readonly trade: SizedTrade;
  readonly buy: MarketRules;
  readonly sell: MarketRules;
  /** Threshold the trade cleared (base + volatility premium), as a fraction of buy notional. */
  readonly threshold: Big;
  /** The base threshold (`minProfitPct`) as a fraction: the expected net at the limits must stay above it. */
  readonly minProfit: Big;
  /** `minProfitUsd` in quote: the expected net at the limits must stay above it too. */
  readonly minProfitQuote: Big;
  /** Quote available on the buy venue (the IOC buy locks limit × size × (1 + fee)); null = not checked. */
  readonly quoteAvailable: Big | null;
  readonly opts: ResolvedMarketability;
}

export interface MarketableLimits {
  /** IOC limits: the touched levels moved outward by the allowance, on tick. */
  readonly buyLimit: Big;
  readonly sellLimit: Big;
  /** Expected net profit (quote) if both legs fill entirely at those limits. */
  readonly netAtLimits: Big;
}

const TWO = new Big(2);
const HALF = new Big('0.5');

/**
 * Entry limits that fill: the buy limit above the worst touched ask and the sell limit below the worst touched bid,
 * paid out of the net edge. Budget = edgeShare × (expected profit − threshold × buy notional), split evenly between
 * the legs, each leg capped at maxLegBps of its price, then bounded so that the expected net if both legs fill
 * entirely at their limits stays ≥ minProfitPct of the buy notional at the limit and ≥ minProfitUsd: with c the
 * allowance cost (quote), net(c) = P_touched − c, so c ≤ (P_touched − m·s·A) / (1 + m / (2·kb)) (taken as the
 * slightly smaller (P_touched − m·s·A)·(1 − m/2)) and c ≤ P_touched − M. Tick-rounded outward (buy up, sell down),
 * or inward where outward would break a bound or the per-leg cap (a leg whose tick is coarser than its allowance
 * gets none); also kept within the buy venue's quote inventory and above the sell venue's min notional. When the
 * touched levels already leave less than the minimum, or a venue has no tick, the limits stay on the touched levels.
 * Exact (big.js) throughout. The executor fills at the best prices available up to these limits: the allowance
 * costs nothing when the books are still as seen, and lets both legs fill when a level moved or shrank.
 */
export function marketableLimits(i: MarketabilityInput): MarketableLimits {
  const { trade: t, buy, sell } = i;
  const s = t.size;
  const A = t.buyLimit;
  const B = t.sellLimit;
  const { buyFactor: kb, sellFactor: ks } = feeFactors(buy, sell);
  const net = (a: Big, b: Big): Big => s.times(b.times(ks).minus(a.times(kb)));
  const pTouched = net(A, B);
  const touched: MarketableLimits = { buyLimit: A, sellLimit: B, netAtLimits: pTouched };
  if (buy.tick === null || sell.tick === null || i.opts.edgeShare.eq(0) || i.opts.maxLeg.eq(0)) return touched;
  const m = i.minProfit;
  const ms = m.times(s);
  // The most the allowance may cost: minProfitUsd, and minProfitPct as (P − m·s·A) × (1 − m/2) (kb ≥ 1, so this is
  // below the exact (P − m·s·A) / (1 + m/(2·kb)): no division), less what rounding each leg out by one tick can add
  // (s × (tickA × kb + tickB × ks), plus m·s·tickA for the pct bound): the rounded limits then keep both bounds by
  // construction; the exact check at the end is a guard.
  const maxCost = bigMin(pTouched.minus(ms.times(A)).times(ONE.minus(m.times(HALF))), pTouched.minus(i.minProfitQuote)).minus(
    s.times(buy.tick.times(kb.plus(m)).plus(sell.tick.times(ks))),
  );
  const budget = i.opts.edgeShare.times(t.profitQuote.minus(t.buyNotional.times(i.threshold)));
  // Rounded down to 10 decimals (never more cost): big.js divides in time growing with the digits.
  const cost = bigMin(budget, maxCost).round(10, Big.roundDown);
  if (cost.lte(0)) return touched;
  const capA = A.times(i.opts.maxLeg);
  const capB = B.times(i.opts.maxLeg);
  const s2 = s.times(TWO);
  const [downA, upA] = bracket(A.plus(bigMin(cost.div(s2.times(kb)), capA)), buy.tick);
  const [downB, upB] = bracket(B.minus(bigMin(cost.div(s2.times(ks)), capB)), sell.tick);
  // Outward (buy up, sell down) unless that passes the leg's cap.
  let a = upA.minus(A).gt(capA) ? downA : upA;
  let b = B.minus(downB).gt(capB) ? upB : downB;
  // Within what the buy venue locks for the IOC (limit × size × kb ≤ quote) and the sell venue's min notional
  // (limit × size): checked by multiplication, the bound solved only when one binds. Both only shrink the allowance.
  const Q = i.quoteAvailable;
  if (Q !== null && a.times(s).times(kb).gt(Q)) a = bigMax(A, floorToStep(Q.div(s.times(kb)), buy.tick));
  if (sell.minNotional.gt(0) && b.times(s).lt(sell.minNotional)) b = bigMin(B, ceilToStep(sell.minNotional.div(s), sell.tick));
  const n = net(a, b);
  return b.gt(0) && n.gte(i.minProfitQuote) && n.gte(ms.times(a)) ? { buyLimit: a, sellLimit: b, netAtLimits: n } : touched;
}

/** The multiples of `step` just below and just above x (equal when x is on step): one `mod` for both. */
function bracket(x: Big, step: Big): [Big, Big] {
  const r = x.mod(step);
  if (r.eq(0)) return [x, x];
  const down = x.minus(r);
  return [down, down.plus(step)];
}

/**
 * Size haircut against the last touched level: the largest lot multiple ≤ `size` that takes at most `share` of the
 * last level it touches on each side (`asks` of the buy venue, `bids` of the sell venue, best first). A level that
 * would be taken whole is left to the level before it. Returns `size` unchanged when share is 1.
 */
export function haircutSize(
  asks: { readonly length: number; at(i: number): { readonly size: Big } },
  bids: { readonly length: number; at(i: number): { readonly size: Big } },
  size: Big,
  share: Big,
  lot: Big,
): Big {
  if (share.gte(1)) return size;
  let s = size;
  for (let guard = 0; guard < 64 && s.gt(0); guard++) {
    const next = bigMin(capOf(asks, s, share, lot), capOf(bids, s, share, lot));
    if (next.eq(s)) break;
    s = next;
  }
  return s;
}

/** The cap the level containing `s` puts on it (s itself when within share of that level). */
function capOf(side: { readonly length: number; at(i: number): { readonly size: Big } }, s: Big, share: Big, lot: Big): Big {
  let cum = ZERO;
  for (let k = 0; k < side.length; k++) {
    const q = side.at(k).size;
    const end = cum.plus(q);
    if (s.lte(end)) {
      const bound = cum.plus(q.times(share));
      return s.lte(bound) ? s : floorToStep(bound, lot);
    }
    cum = end;
  }
  return s; // beyond the visible side: the walk never sizes there
}
