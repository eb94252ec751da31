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
    expect([v.venuesMonitored, v.venuesLive, v.venueSymbolsMonitored, v.venueSymbolsLive]).toEqual([2, 1, 4, 3]);
    // arbitrage pairs: symbols on two venues; ETH-USDT is live on both, BTC-USDT only on binance
    expect([v.pairsMonitored, v.pairsLive, v.allLive]).toEqual([2, 1, false]);
    expect(v.pairs).toEqual([
      { symbol: 'BTC-USDT', venues: ['binance', 'coinbase'], liveVenues: ['binance'], live: false },
      { symbol: 'ETH-USDT', venues: ['binance', 'coinbase'], liveVenues: ['binance', 'coinbase'], live: true },
    ]);
    const b = v.venues[0]!;
    expect([b.venue, b.live, b.liveSinceTs, b.liveForMs]).toEqual(['binance', true, 2000, 2000]);
    expect(v.venues[1]!.liveSinceTs).toBeNull();
  });

  it('a venue that stops reporting becomes stale and not live; live-since restarts after', () => {
    const m = new FeedMonitor({ timeoutMs: 3000, maxVenues: 8, maxSymbolsPerVenue: 8 });
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live' }), 1000);
    const v = m.view(10_000);
    expect(v.venues[0]).toMatchObject({ live: false, stale: true, liveForMs: null });
    expect([v.venueSymbolsLive, v.allLive]).toEqual([0, false]);
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live' }), 11_000);
    expect(m.view(11_500).venues[0]).toMatchObject({ live: true, liveSinceTs: 11_000 });
  });

  it('bounds venues and symbols', () => {
    const m = new FeedMonitor({ timeoutMs: 3000, maxVenues: 1, maxSymbolsPerVenue: 1 });
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live', 'ETH-USDT': 'live' }), 1);
    m.onStatus(status('coinbase', 'live', { 'BTC-USDT': 'live' }), 1);
    const v = m.view(2);
    expect(v.venues.map((x) => x.venue)).toEqual(['binance']);
    expect([v.venueSymbolsMonitored, v.pairsMonitored]).toEqual([1, 0]);
  });

  it('a symbol watched on one venue only is no pair; three venues make one pair, live while two of them are', () => {
    const m = new FeedMonitor({ timeoutMs: 3000, maxVenues: 8, maxSymbolsPerVenue: 8 });
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live', 'SOL-USDT': 'live' }), 0);
    m.onStatus(status('coinbase', 'live', { 'BTC-USDT': 'resyncing' }), 0);
    m.onStatus(status('okx', 'live', { 'BTC-USDT': 'live' }), 0);
    const v = m.view(100);
    expect([v.pairsMonitored, v.pairsLive, v.venueSymbolsMonitored, v.venueSymbolsLive, v.allLive]).toEqual([1, 1, 4, 3, false]);
    expect(v.pairs[0]).toEqual({ symbol: 'BTC-USDT', venues: ['binance', 'coinbase', 'okx'], liveVenues: ['binance', 'okx'], live: true });
    m.onStatus(status('coinbase', 'live', { 'BTC-USDT': 'live' }), 200);
    expect(m.view(300).allLive).toBe(true);
    expect(new FeedMonitor({ timeoutMs: 1, maxVenues: 1, maxSymbolsPerVenue: 1 }).view(0).allLive).toBe(false);
  });
});

describe('FeedMonitor with feed shards (several feed-ingestor replicas of one venue, each listing its own symbols)', () => {
  const opts = { timeoutMs: 3000, maxVenues: 8, maxSymbolsPerVenue: 8 };

  it('shows every shard’s symbols live: the statuses of two replicas with disjoint symbols do not replace each other', () => {
    const m = new FeedMonitor(opts);
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live' }), 1000);
    m.onStatus(status('binance', 'live', { 'ETH-USDT': 'live', 'SOL-USDT': 'live' }), 1100);
    m.onStatus(status('coinbase', 'live', { 'BTC-USDT': 'live', 'ETH-USDT': 'live', 'SOL-USDT': 'live' }), 1100);
    const v = m.view(1500);
    const b = v.venues[0]!;
    expect(b.symbols.map((p) => [p.symbol, p.live])).toEqual([['BTC-USDT', true], ['ETH-USDT', true], ['SOL-USDT', true]]);
    expect([b.live, b.stale, b.state, b.replicas, b.liveSinceTs]).toEqual([true, false, 'live', 2, 1000]);
    expect([v.venueSymbolsMonitored, v.venueSymbolsLive, v.pairsMonitored, v.pairsLive, v.allLive]).toEqual([6, 6, 3, 3, true]);
  });

  it('a dead shard: its symbols and the venue go stale on its own timeout while the other shard keeps reporting', () => {
    const m = new FeedMonitor(opts);
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live' }), 1000);
    for (let t = 1000; t <= 6000; t += 1000) m.onStatus(status('binance', 'live', { 'ETH-USDT': 'live' }), t);
    const v = m.view(6000);
    expect(v.venues[0]!.symbols.map((p) => [p.symbol, p.live])).toEqual([['BTC-USDT', false], ['ETH-USDT', true]]);
    expect(v.venues[0]).toMatchObject({ live: false, stale: true, liveForMs: null });
    expect(v.allLive).toBe(false);
    // It comes back: live again, live-since restarts.
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live' }), 6500);
    expect(m.view(7000).venues[0]).toMatchObject({ live: true, stale: false, liveSinceTs: 6500 });
  });

  it("one shard resyncing: the venue reports that shard's state, the other shard's symbols stay live", () => {
    const m = new FeedMonitor(opts);
    m.onStatus(status('binance', 'resyncing', { 'BTC-USDT': 'resyncing' }), 1000);
    m.onStatus(status('binance', 'live', { 'ETH-USDT': 'live' }), 1200);
    const b = m.view(1300).venues[0]!;
    expect([b.state, b.live, b.symbols.map((p) => p.live)]).toEqual(['resyncing', false, [false, true]]);
  });

  it('re-cut shards (one replica for all symbols again): the old replicas stop counting once their symbols are reported by another', () => {
    const m = new FeedMonitor(opts);
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live' }), 1000);
    m.onStatus(status('binance', 'live', { 'ETH-USDT': 'live' }), 1000);
    m.onStatus(status('binance', 'live', { 'BTC-USDT': 'live', 'ETH-USDT': 'live' }), 2000);
    const b = m.view(5000).venues[0]!;
    expect([b.replicas, b.live, b.stale]).toEqual([1, true, false]);
  });
});
