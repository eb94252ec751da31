import Big from 'big.js';
import type { Opportunity } from '@arb/contracts';
import type { RiskVerdict } from '../risk/risk-book';
import type { Unavailable } from '../venues/health';
import type { Touch } from './top-of-book';

export interface AdmissionSettings {
  maxOpportunityAgeMs: number;
  maxClockSkewMs: number;
  maxBookAgeMs: number;
  maxLimitDeviationBps: number;
}

export interface AdmissionDeps {
  settings: AdmissionSettings;
  now(): number;
  hasVenue(venue: string): boolean;
  runtime: { readonly killed: boolean; readonly killReason: string | undefined };
  health: { unavailable(venue: string, now: number): Unavailable | null };
  /** Why the risk figures cannot be trusted now (null: current). */
  riskStale(now: number): string | null;
  risk: { check(notionalUsd: number, now: number): RiskVerdict };
  books: { touch(venue: string, symbol: string): Touch | null };
  /** USD per unit of the opportunity's quote asset (null: unknown, 1 assumed). */
  usdRate(opp: Opportunity): Big | null;
}

export type SkipReason =
  | 'bad-timestamp'
  | 'kill-switch'
  | 'unknown-venue'
  | 'venue-unavailable'
  | 'risk-stale'
  | 'no-book'
  | 'book-deviation'
  | Extract<RiskVerdict, { ok: false }>['reason'];

export type Admission =
  | {
      ok: true;
      /** When the opportunity stops being worth trading: min(expiresTs, detectedTs + maxOpportunityAgeMs). */
      deadline: number;
      /** Notional of the larger leg at max(limit, touch), USD. */
      notionalUsd: number;
      usdRate: Big | null;
    }
  | { ok: false; status: 'expired'; reason: 'expired'; detail: string }
  | { ok: false; status: 'skipped'; reason: SkipReason; detail?: string };

const BPS = new Big(10_000);

/**
 * Everything an opportunity must pass before anything is reserved, from memory only (no I/O), in this order:
 *
 * 1. age: refused (expired) once its deadline passed, the deadline being min(expiresTs, detectedTs +
 *    maxOpportunityAgeMs) — the message's own expiresTs is never trusted further; a detectedTs in our future beyond
 *    maxClockSkewMs is refused (bad-timestamp);
 * 2. kill switch; both venues known and distinct;
 * 3. both venues tradable (not banned / rate limited / refusing orders or credentials / without order stream);
 * 4. the risk figures current (the journal follower at the stream's end);
 * 5. both legs' limits within maxLimitDeviationBps of the current touch (buy: best ask on the buy venue, sell: best
 *    bid on the sell venue; latest md.book by local receive time, at most maxBookAgeMs old);
 * 6. the risk limits on the notional the message cannot understate: size × max(limit, touch) of the larger leg.
 */
export function admit(d: AdmissionDeps, opp: Opportunity): Admission {
  const s = d.settings;
  const now = d.now();
  const deadline = Math.min(opp.expiresTs, opp.detectedTs + s.maxOpportunityAgeMs);
  if (deadline < now) {
    const age = Math.round(now - opp.detectedTs);
    return { ok: false, status: 'expired', reason: 'expired', detail: opp.expiresTs < now ? 'expired before execution' : `detected ${age} ms ago (max ${s.maxOpportunityAgeMs} ms)` };
  }
  if (opp.detectedTs > now + s.maxClockSkewMs) {
    return { ok: false, status: 'skipped', reason: 'bad-timestamp', detail: `detectedTs ${Math.round(opp.detectedTs - now)} ms in the future` };
  }
  if (d.runtime.killed) return { ok: false, status: 'skipped', reason: 'kill-switch', ...(d.runtime.killReason !== undefined ? { detail: d.runtime.killReason } : {}) };
  const { buy, sell } = opp;
  if (!d.hasVenue(buy.venue) || !d.hasVenue(sell.venue) || buy.venue === sell.venue) {
    return { ok: false, status: 'skipped', reason: 'unknown-venue', detail: `${buy.venue} → ${sell.venue}` };
  }
  for (const venue of [buy.venue, sell.venue]) {
    const u = d.health.unavailable(venue, now);
    if (u !== null) return { ok: false, status: 'skipped', reason: 'venue-unavailable', detail: `${venue} ${u.reason}: ${u.detail}` };
  }
  const stale = d.riskStale(now);
  if (stale !== null) return { ok: false, status: 'skipped', reason: 'risk-stale', detail: stale };

  const buyTouch = reference(d, buy.venue, opp.symbol, 'ask');
  if (typeof buyTouch === 'string') return { ok: false, status: 'skipped', reason: 'no-book', detail: buyTouch };
  const sellTouch = reference(d, sell.venue, opp.symbol, 'bid');
  if (typeof sellTouch === 'string') return { ok: false, status: 'skipped', reason: 'no-book', detail: sellTouch };
  const buyLimit = new Big(buy.limitPrice);
  const sellLimit = new Big(sell.limitPrice);
  const off = deviationBps(buyLimit, buyTouch).abs().gt(s.maxLimitDeviationBps)
    ? `buy limit ${buy.limitPrice} vs ${buy.venue} ask ${buyTouch.toFixed()}`
    : deviationBps(sellLimit, sellTouch).abs().gt(s.maxLimitDeviationBps)
      ? `sell limit ${sell.limitPrice} vs ${sell.venue} bid ${sellTouch.toFixed()}`
      : null;
  if (off !== null) return { ok: false, status: 'skipped', reason: 'book-deviation', detail: `${off} (max ${s.maxLimitDeviationBps} bps)` };

  const usdRate = d.usdRate(opp);
  const size = new Big(opp.size);
  const px = [buyLimit, buyTouch, sellLimit, sellTouch].reduce((a, b) => (b.gt(a) ? b : a));
  const notionalUsd = Number(size.times(px).times(usdRate ?? 1));
  const verdict = d.risk.check(notionalUsd, now);
  if (!verdict.ok) return { ok: false, status: 'skipped', reason: verdict.reason, detail: `notional ${notionalUsd.toFixed(2)} USD` };
  return { ok: true, deadline, notionalUsd, usdRate };
}

/** The touch price of one side, or why there is none usable. */
function reference(d: AdmissionDeps, venue: string, symbol: string, side: 'bid' | 'ask'): Big | string {
  const t = d.books.touch(venue, symbol);
  if (t === null) return `no valid ${venue} ${symbol} book received`;
  if (t.ageMs > d.settings.maxBookAgeMs) return `${venue} ${symbol} book ${Math.round(t.ageMs)} ms old (max ${d.settings.maxBookAgeMs} ms)`;
  const p = t[side];
  if (p === null || Number(p) <= 0) return `${venue} ${symbol} book has no ${side}`;
  return new Big(p);
}

function deviationBps(limit: Big, touch: Big): Big {
  return limit.minus(touch).times(BPS).div(touch);
}
