import Big from 'big.js';
import { bigMin, floorToStep, ZERO } from './big-math';
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

/** Validated options: exact, and floats for the screen. */
export interface ResolvedMarketability {
  readonly edgeShareF: number;
  /** maxLegBps as a fraction of price. */
  readonly maxLeg: Big;
  readonly maxLegF: number;
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
  const maxLeg = new Big(maxLegBps).div(10_000);
  return { edgeShareF: edgeShare, maxLeg, maxLegF: maxLeg.toNumber(), lastLevelShare: new Big(lastLevelShare) };
}

export interface MarketabilityInput {
  readonly trade: SizedTrade;
  readonly buy: MarketRules;
  readonly sell: MarketRules;
  /** Threshold the trade cleared (base + volatility premium), as a fraction of buy notional (float: it sets the budget). */
  readonly thresholdF: number;
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


/**
 * Entry limits that fill: the buy limit above the worst touched ask and the sell limit below the worst touched bid,
 * by whole ticks, paid out of the net edge. Budget = edgeShare × (expected profit − threshold × buy notional), split
 * evenly between the legs, each leg at most maxLegBps of its price, and bounded so that the expected net if both legs
 * fill entirely at their limits stays ≥ minProfitPct of the buy notional at the limit and ≥ minProfitUsd: with c the
 * allowance cost (quote), net(c) = P_touched − c, so c ≤ (P_touched − m·s·A) / (1 + m / (2·kb)) and c ≤ P_touched − M.
 * Also within the buy venue's quote inventory (limit × size × kb) and above the sell venue's min notional.
 *
 * Floats only choose how many ticks each limit moves (the budget is a share-of-the-edge heuristic; whole ticks
 * round it down); the limits are built exactly (touched level ± n × tick) and every bound above is checked exactly
 * with big.js. A float error can only cost a tick of allowance (the check fails, one tick less is tried), never a
 * bound. When nothing passes, the touched levels already leave less than the minimum, or a venue has no tick, the
 * limits stay on the touched levels. The executor fills at the best prices available up to these limits: the
 * allowance costs nothing when the books are still as seen, and lets both legs fill when a level moved or shrank.
 */
export function marketableLimits(i: MarketabilityInput): MarketableLimits {
  const { trade: t, buy, sell, opts: o } = i;
  const s = t.size;
  const A = t.buyLimit;
  const B = t.sellLimit;
  const ff = feeFactors(buy, sell);
  const net = (a: Big, b: Big): Big => s.times(b.times(ff.sellFactor).minus(a.times(ff.buyFactor)));
  const touched = (): MarketableLimits => ({ buyLimit: A, sellLimit: B, netAtLimits: net(A, B) });
  const ta = buy.tick;
  const tb = sell.tick;
  if (ta === null || tb === null || buy.tickF === null || sell.tickF === null || !(o.edgeShareF > 0) || !(o.maxLegF > 0)) return touched();
  const n = ticksOf(i, buy.tickF, sell.tickF);
  for (let back = 0; back <= 1; back++) {
    const na = Math.max(0, n.buy - back);
    const nb = Math.max(0, n.sell - back);
    if (na === 0 && nb === 0) break;
    const moveA = ta.times(na);
    const moveB = tb.times(nb);
    const a = A.plus(moveA);
    const b = B.minus(moveB);
    if (!b.gt(0) || moveA.gt(A.times(o.maxLeg)) || moveB.gt(B.times(o.maxLeg))) continue;
    if (i.quoteAvailable !== null && a.times(s).times(ff.buyFactor).gt(i.quoteAvailable)) continue;
    if (sell.minNotional.gt(0) && b.times(s).lt(sell.minNotional)) continue;
    const nt = net(a, b);
    if (nt.gte(i.minProfitQuote) && nt.gte(i.minProfit.times(s).times(a))) return { buyLimit: a, sellLimit: b, netAtLimits: nt };
  }
  return touched();
}

/** Float screen: how many ticks each leg may move (see marketableLimits). */
function ticksOf(i: MarketabilityInput, tickA: number, tickB: number): { buy: number; sell: number } {
  const { trade: t, buy, sell, opts: o } = i;
  const { buyFactorF: kb, sellFactorF: ks } = feeFactors(buy, sell);
  const s = t.size.toNumber();
  const a = t.buyLimit.toNumber();
  const b = t.sellLimit.toNumber();
  const m = i.minProfit.toNumber();
  const pTouched = s * (b * ks - a * kb);
  const budget = o.edgeShareF * (t.profitQuote.toNumber() - t.buyNotional.toNumber() * i.thresholdF);
  const bound = Math.min((pTouched - m * s * a) / (1 + m / (2 * kb)), pTouched - i.minProfitQuote.toNumber());
  // Whole ticks round the cost down; a hair of margin for float error (the exact check decides anyway).
  const cost = Math.min(budget, bound) * (1 - 1e-9);
  if (!(cost > 0)) return { buy: 0, sell: 0 };
  let na = Math.floor(cost / (2 * s * kb) / tickA);
  let nb = Math.floor(cost / (2 * s * ks) / tickB);
  // Caps: a hair of tolerance, so that float error does not cost the tick a cap allows exactly (checked exactly).
  const cap = (x: number): number => Math.floor(x + 1e-6);
  na = Math.min(na, cap((a * o.maxLegF) / tickA));
  nb = Math.min(nb, cap((b * o.maxLegF) / tickB));
  if (i.quoteAvailable !== null) na = Math.min(na, cap((i.quoteAvailable.toNumber() / (s * kb) - a) / tickA));
  if (sell.minNotional.gt(0)) nb = Math.min(nb, cap((b - sell.minNotional.toNumber() / s) / tickB));
  const ok = (x: number): number => (Number.isFinite(x) && x > 0 ? x : 0);
  return { buy: ok(na), sell: ok(nb) };
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
