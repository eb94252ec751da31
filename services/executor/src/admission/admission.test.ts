import Big from 'big.js';
import type { Opportunity } from '@arb/contracts';
import { makeOpp } from '../../test/opportunity';
import { RiskBook } from '../risk/risk-book';
import type { Unavailable } from '../venues/health';
import { admit, type AdmissionDeps } from './admission';
import type { Touch } from './top-of-book';

const NOW = 1_700_000_000_000;

function deps(over: Partial<AdmissionDeps> = {}, touches: Record<string, Touch | null> = {}, unavailable: Record<string, Unavailable> = {}): AdmissionDeps {
  const book: Record<string, Touch | null> = {
    binance: { bid: '64990', ask: '65000', ageMs: 10 },
    coinbase: { bid: '65100', ask: '65110', ageMs: 10 },
    ...touches,
  };
  return {
    settings: { maxOpportunityAgeMs: 2000, maxClockSkewMs: 1000, maxBookAgeMs: 5000, maxLimitDeviationBps: 100 },
    now: () => NOW,
    hasVenue: (v) => v === 'binance' || v === 'coinbase',
    runtime: { killed: false, killReason: undefined },
    health: { unavailable: (v) => unavailable[v] ?? null },
    riskStale: () => null,
    risk: new RiskBook({ maxNotionalPerTrade: '10000' }, () => 1),
    books: { touch: (v) => book[v] ?? null },
    usdRate: () => new Big(1),
    ...over,
  };
}

const opp = (over: Partial<Opportunity> = {}): Opportunity => makeOpp({ detectedTs: NOW - 100, expiresTs: NOW + 400, ...over });

describe('admit', () => {
  it('admits a fresh opportunity on the book, with its deadline and the notional of the larger leg', () => {
    const a = admit(deps(), opp());
    expect(a).toEqual({ ok: true, deadline: NOW + 400, notionalUsd: 6510, usdRate: new Big(1) });
  });

  it('never trusts expiresTs beyond detectedTs + maxOpportunityAgeMs; refuses a detectedTs from the future', () => {
    // A replay: detected 11 minutes ago, expiresTs rewritten to an hour ahead.
    const replay = admit(deps(), opp({ detectedTs: NOW - 660_000, expiresTs: NOW + 3_600_000 }));
    expect(replay).toEqual({ ok: false, status: 'expired', reason: 'expired', detail: 'detected 660000 ms ago (max 2000 ms)' });
    const late = admit(deps(), opp({ detectedTs: NOW - 1000, expiresTs: NOW + 5000 }));
    expect(late).toMatchObject({ ok: true, deadline: NOW + 1000 });
    expect(admit(deps(), opp({ expiresTs: NOW - 1 }))).toMatchObject({ ok: false, status: 'expired', detail: 'expired before execution' });
    expect(admit(deps(), opp({ detectedTs: NOW + 1500, expiresTs: NOW + 2000 }))).toMatchObject({ ok: false, status: 'skipped', reason: 'bad-timestamp' });
  });

  it('kill switch, unknown venue, venue unavailable, risk figures stale', () => {
    expect(admit(deps({ runtime: { killed: true, killReason: 'ops' } }), opp())).toMatchObject({ reason: 'kill-switch', detail: 'ops' });
    expect(admit(deps(), opp({ sell: { venue: 'kraken', limitPrice: '65100', vwap: '65100', size: '0.1' } }))).toMatchObject({ reason: 'unknown-venue' });
    const banned = admit(deps({}, {}, { binance: { reason: 'banned', detail: 'banned (418), retry after 20000 ms' } }), opp());
    expect(banned).toEqual({ ok: false, status: 'skipped', reason: 'venue-unavailable', detail: 'binance banned: banned (418), retry after 20000 ms' });
    expect(admit(deps({ riskStale: () => 'journal position not confirmed for 4000 ms' }), opp())).toMatchObject({ reason: 'risk-stale', detail: 'journal position not confirmed for 4000 ms' });
  });

  it('needs a fresh book for both legs', () => {
    expect(admit(deps({}, { coinbase: null }), opp())).toMatchObject({ reason: 'no-book', detail: 'no valid coinbase BTC-USDT book received' });
    expect(admit(deps({}, { binance: { bid: '64990', ask: '65000', ageMs: 5001 } }), opp())).toMatchObject({ reason: 'no-book' });
    expect(admit(deps({}, { binance: { bid: '64990', ask: null, ageMs: 1 } }), opp())).toMatchObject({ reason: 'no-book', detail: 'binance BTC-USDT book has no ask' });
  });

  it('refuses limits off the current book: a forged buy limit of 10 cannot pass the notional check', () => {
    const forged = opp({ size: '2', buy: { venue: 'binance', limitPrice: '10', vwap: '10', size: '2' }, sell: { venue: 'coinbase', limitPrice: '10', vwap: '10', size: '2' } });
    expect(admit(deps(), forged)).toMatchObject({ ok: false, reason: 'book-deviation', detail: 'buy limit 10 vs binance ask 65000 (max 100 bps)' });
    const far = opp({ sell: { venue: 'coinbase', limitPrice: '66000', vwap: '66000', size: '0.1' } });
    expect(admit(deps(), far)).toMatchObject({ reason: 'book-deviation', detail: expect.stringContaining('sell limit 66000 vs coinbase bid 65100') });
    // 99 bps off: within the tolerance.
    expect(admit(deps(), opp({ buy: { venue: 'binance', limitPrice: '65643.5', vwap: '65000', size: '0.1' } }))).toMatchObject({ ok: true });
  });

  it('checks the notional limit on size × max(limit, touch), not on the message\'s own prices', () => {
    // Limits 60 bps under the touch: the book is what the venues will charge.
    const under = opp({ size: '0.16', buy: { venue: 'binance', limitPrice: '64610', vwap: '64610', size: '0.16' }, sell: { venue: 'coinbase', limitPrice: '64710', vwap: '64710', size: '0.16' } });
    expect(Number(new Big(under.size).times(under.buy.limitPrice))).toBeLessThan(10_400);
    const a = admit(deps({ risk: new RiskBook({ maxNotionalPerTrade: '10400' }, () => 1) }), under);
    expect(a).toMatchObject({ ok: false, reason: 'risk-notional', detail: 'notional 10416.00 USD' });
  });
});
