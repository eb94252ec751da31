import type { FeedStatus } from '@arb/contracts';
import { FeedMonitor } from './feeds';

const status = (venue: string, state: FeedStatus['state'], symbols: Record<string, FeedStatus['state']>): FeedStatus => ({
  v: 1,
  venue,
  state,
  ts: 0,
  symbols: Object.fromEntries(Object.entries(symbols).map(([s, st]) => [s, { state: st, bookAgeMs: 5, venueSeq: 1 }])),
  counters: { updates: 0, gaps: 0, checksumFailures: 0, resyncs: 0, reconnects: 0, rejected: 0 },
});

describe('FeedMonitor', () => {
  it('reports venues and pairs, live or not, and since when a venue is live', () => {
    const m = new FeedMonitor({ timeoutMs: 3000, maxVenues: 8, maxSymbolsPerVenue: 8 });
    m.onStatus(status('binance', 'syncing', { 'BTC-USDT': 'syncing', 'ETH-USDT': 'live' }), 1000);
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live', 'ETH-USDT': 'live' }), 2000);
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live', 'ETH-USDT': 'live' }), 3000);
    m.onStatus(status('coinbase', 'resyncing', { 'BTC-USDT': 'resyncing', 'ETH-USDT': 'live' }), 3000);
    const v = m.view(4000);
    expect([v.venuesMonitored, v.venuesLive, v.pairsMonitored, v.pairsLive]).toEqual([2, 1, 4, 3]);
    const b = v.venues[0]!;
    expect([b.venue, b.live, b.liveSinceTs, b.liveForMs]).toEqual(['binance', true, 2000, 2000]);
    expect(v.venues[1]!.liveSinceTs).toBeNull();
  });

  it('a venue that stops reporting becomes stale and not live; live-since restarts after', () => {
    const m = new FeedMonitor({ timeoutMs: 3000, maxVenues: 8, maxSymbolsPerVenue: 8 });
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live' }), 1000);
    const v = m.view(10_000);
    expect(v.venues[0]).toMatchObject({ live: false, stale: true, liveForMs: null });
    expect(v.pairsLive).toBe(0);
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live' }), 11_000);
    expect(m.view(11_500).venues[0]).toMatchObject({ live: true, liveSinceTs: 11_000 });
  });

  it('bounds venues and symbols', () => {
    const m = new FeedMonitor({ timeoutMs: 3000, maxVenues: 1, maxSymbolsPerVenue: 1 });
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live', 'ETH-USDT': 'live' }), 1);
    m.onStatus(status('coinbase', 'live', { 'BTC-USDT': 'live' }), 1);
    const v = m.view(2);
    expect(v.venues.map((x) => x.venue)).toEqual(['binance']);
    expect(v.pairsMonitored).toBe(1);
  });
});
