import type Big from 'big.js';
import type { Opportunity } from '@arb/contracts';
import { boundedLimit, floorToStep, plain } from '../decimal';
import { clientOrderId, type LegTag } from '../ids';
import type { InstrumentTable } from '../venues/instruments';
import { netBase, sideVwap } from './fills';
import type { LegOutcome, LegPlan } from './types';
import type { LegRiskPolicy } from '../config';
import { OrderNotSentError } from './errors';

export interface LegRiskSettings {
  policy: LegRiskPolicy;
  maxAttempts: number;
  hedgeSlippageBps: number;
  unwindSlippageBps: number;
  /** Each further unwind attempt's limit is this much wider than the one before (the market moved away: the same
   *  limit again would only fail again). */
  unwindWidenBps: number;
  retryDelayMs: number;
  hedgeFallback: 'unwind' | 'hold';
}

export interface LegRiskContext {
  settings: LegRiskSettings;
  opp: Opportunity;
  tradeKey: string;
  instruments: InstrumentTable;
  /** Records the plan in the in-flight record, then sends and follows it. Throws OrderNotSentError (nothing sent)
   *  when the record could not be written first: resolution stops there. */
  send(plan: LegPlan): Promise<LegOutcome>;
  sleep(ms: number): Promise<void>;
}

export interface LegRiskResult {
  legs: LegOutcome[];
  /** Imbalance left (base, signed) and whether any venue could still trade it (false = dust below lot/min sizes). */
  residual: Big;
  tradeable: boolean;
  /** Set when resolution stopped early because an order could not be recorded (see OrderNotSentError). */
  stopped?: OrderNotSentError;
}

type Phase = 'hedge' | 'unwind';

/**
 * Resolves a one-legged outcome by policy. hedge: complete the missing quantity on the failed leg's venue at a limit
 * up to hedgeSlippageBps worse than that leg's limit; unwind: reverse the excess on the filled venue at up to
 * unwindSlippageBps worse than its fill price, widened by unwindWidenBps per further attempt; hold: leave it
 * (exposed). At most maxAttempts orders per phase.
 * Never loses an order: the result holds every order sent, also when resolution stopped (`stopped`).
 */
export async function resolveLegRisk(ctx: LegRiskContext, initial: readonly LegOutcome[]): Promise<LegRiskResult> {
  const legs = [...initial];
  const { settings } = ctx;
  const phases: Phase[] =
    settings.policy === 'hedge' ? (settings.hedgeFallback === 'unwind' ? ['hedge', 'unwind'] : ['hedge']) : settings.policy === 'unwind' ? ['unwind'] : [];
  let net = netBase(legs);
  let stopped: OrderNotSentError | undefined;
  resolve: for (const phase of phases) {
    for (let attempt = 1; attempt <= settings.maxAttempts && !net.eq(0); attempt++) {
      const plan = planFor(ctx, legs, phase, net, attempt);
      if (plan === null) break;
      try {
        legs.push(await ctx.send(plan));
      } catch (err) {
        if (!(err instanceof OrderNotSentError)) throw err;
        stopped = err;
        break resolve;
      }
      net = netBase(legs);
      if (!net.eq(0) && attempt < settings.maxAttempts && settings.retryDelayMs > 0) await ctx.sleep(settings.retryDelayMs);
    }
    if (net.eq(0)) break;
  }
  const tradeable = !net.eq(0) && (planFor(ctx, legs, 'hedge', net, 1) !== null || planFor(ctx, legs, 'unwind', net, 1) !== null);
  return { legs, residual: net, tradeable, ...(stopped !== undefined ? { stopped } : {}) };
}

/** The next order of a phase for imbalance `net`, or null when it cannot be traded (below lot/min size/notional). */
export function planFor(ctx: Omit<LegRiskContext, 'send' | 'sleep'>, legs: readonly LegOutcome[], phase: Phase, net: Big, attempt: number): LegPlan | null {
  const { opp, settings } = ctx;
  const long = net.gt(0);
  const side = long ? 'sell' : 'buy';
  let venue: string;
  let ref: Big | string;
  let bps: number;
  if (phase === 'hedge') {
    // Complete the leg that filled less, on its own venue, near its own limit.
    venue = long ? opp.sell.venue : opp.buy.venue;
    ref = long ? opp.sell.limitPrice : opp.buy.limitPrice;
    bps = settings.hedgeSlippageBps;
  } else {
    // Reverse the excess where it was bought (or sold), near the price it was filled at.
    venue = long ? opp.buy.venue : opp.sell.venue;
    ref = sideVwap(legs, long ? 'buy' : 'sell', venue) ?? (long ? opp.buy.limitPrice : opp.sell.limitPrice);
    bps = settings.unwindSlippageBps + (unwindNumber(legs, attempt) - 1) * settings.unwindWidenBps;
  }
  const rules = ctx.instruments.get(venue, opp.symbol);
  const qty = floorToStep(net.abs(), rules?.stepSize ?? '0');
  const limit = boundedLimit(ref, bps, side, rules?.tickSize ?? '0');
  if (qty.lte(0) || limit.lte(0)) return null;
  if (rules !== undefined) {
    if (qty.lt(rules.minQty)) return null;
    if (rules.maxQty !== null && qty.gt(rules.maxQty)) return null;
    if (qty.times(limit).lt(rules.minNotional)) return null;
  }
  // Numbered after the phase's orders already sent (a reconciled trade may have some): client order ids never repeat.
  const n = phase === 'unwind' ? unwindNumber(legs, attempt) : Math.max(attempt, legs.filter((l) => l.plan.role === phase).length + 1);
  if (n > 9) return null;
  const tag: LegTag = phase === 'hedge' ? `h${n}` : `u${n}`;
  return {
    role: phase,
    tag,
    venue,
    symbol: opp.symbol,
    side,
    qty: plain(qty),
    limitPrice: plain(limit),
    clientOrderId: clientOrderId(ctx.tradeKey, tag),
  };
}

/** The unwind order's number: after the unwinds already sent (a reconciled trade may have some). */
function unwindNumber(legs: readonly LegOutcome[], attempt: number): number {
  return Math.max(attempt, legs.filter((l) => l.plan.role === 'unwind').length + 1);
}
