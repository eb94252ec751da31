import type { FeedStatus } from '@arb/contracts';
import { FeedHealth } from './feed-health';

const status = (venue: string, state: FeedStatus['state'], symbols: Record<string, FeedStatus['state']> = {}, gaps = 0): FeedStatus => ({
  v: 1,
  venue,
  state,
  ts: 0,
  symbols: Object.fromEntries(Object.entries(symbols).map(([s, st]) => [s, { state: st, bookAgeMs: 1, venueSeq: 1 }])),
  counters: { updates: 0, gaps, checksumFailures: 0, resyncs: 0, reconnects: 0, rejected: 0 },
});

describe('FeedHealth', () => {
  it('is live per symbol when the symbol entry says so, else by the overall state', () => {
    const h = new FeedHealth({ required: true, timeoutMs: 3000 });
    h.update(status('a', 'syncing', { 'BTC-USDT': 'live', 'ETH-USDT': 'resyncing' }), 1000);
    expect(h.isLive('a', 'BTC-USDT', 1000)).toBe(true);
    expect(h.isLive('a', 'ETH-USDT', 1000)).toBe(false);
    expect(h.isLive('a', 'XRP-USDT', 1000)).toBe(false);
    h.update(status('a', 'live'), 1100);
    expect(h.isLive('a', 'XRP-USDT', 1100)).toBe(true);
  });

  it('treats a missing or timed-out status as not live (unless statuses are not required)', () => {
    const strict = new FeedHealth({ required: true, timeoutMs: 3000 });
    expect(strict.isLive('a', 'BTC-USDT', 0)).toBe(false);
    strict.update(status('a', 'live'), 1000);
    expect(strict.isLive('a', 'BTC-USDT', 4000)).toBe(true);
    expect(strict.isLive('a', 'BTC-USDT', 4001)).toBe(false);
    const lax = new FeedHealth({ required: false, timeoutMs: 3000 });
    expect(lax.isLive('a', 'BTC-USDT', 0)).toBe(true);
    lax.update(status('a', 'down'), 0);
    expect(lax.isLive('a', 'BTC-USDT', 0)).toBe(false);
  });

  it('counts recent feed incidents from counter deltas, surviving an ingestor restart', () => {
    const h = new FeedHealth({ required: true, timeoutMs: 3000, incidentWindowMs: 10_000 });
    h.update(status('a', 'live', {}, 5), 0);
    expect(h.recentIncidents('a')).toBe(0);
    h.update(status('a', 'live', {}, 7), 1000);
    expect(h.recentIncidents('a')).toBe(2);
    h.update(status('a', 'live', {}, 1), 2000); // restarted: counters from 0
    expect(h.recentIncidents('a')).toBe(3);
    h.update(status('a', 'live', {}, 1), 11_000); // window rolls: the previous window still counts
    expect(h.recentIncidents('a')).toBe(3);
    h.update(status('a', 'live', {}, 1), 22_000);
    expect(h.recentIncidents('a')).toBe(0);
    expect(h.recentIncidents('unknown')).toBe(0);
  });
  it('takes each symbol from whichever feed-ingestor shard lists it, and times out a silent shard on its own', () => {
    const h = new FeedHealth({ required: true, timeoutMs: 3000 });
    h.update(status('a', 'live', { 'BTC-USDT': 'live', 'SOL-USDT': 'live' }), 1000);
    h.update(status('a', 'syncing', { 'ETH-USDT': 'syncing', 'XRP-USDT': 'live' }), 1100);
    // The latest status (shard 2, overall syncing) does not speak for shard 1's symbols.
    expect(h.isLive('a', 'BTC-USDT', 1200)).toBe(true);
    expect(h.isLive('a', 'SOL-USDT', 1200)).toBe(true);
    expect(h.isLive('a', 'ETH-USDT', 1200)).toBe(false);
    expect(h.isLive('a', 'XRP-USDT', 1200)).toBe(true);
    // No shard lists it: not live, whatever the venue's overall state says.
    h.update(status('a', 'live', { 'ETH-USDT': 'live', 'XRP-USDT': 'live' }), 1300);
    expect(h.isLive('a', 'DOGE-USDT', 1300)).toBe(false);
    // Shard 1 stops reporting while shard 2 goes on: only shard 1's symbols time out.
    h.update(status('a', 'live', { 'ETH-USDT': 'live', 'XRP-USDT': 'live' }), 4100);
    expect(h.isLive('a', 'BTC-USDT', 4100)).toBe(false);
    expect(h.isLive('a', 'ETH-USDT', 4100)).toBe(true);
  });

  it('differences incident counters per shard, never one shard against another', () => {
    const h = new FeedHealth({ required: true, timeoutMs: 3000, incidentWindowMs: 10_000 });
    const one = (gaps: number) => status('a', 'live', { 'BTC-USDT': 'live' }, gaps);
    const two = (gaps: number) => status('a', 'live', { 'ETH-USDT': 'live' }, gaps);
    h.update(one(100), 0);
    h.update(two(3), 10);
    h.update(one(100), 1000);
    h.update(two(3), 1010);
    expect(h.recentIncidents('a')).toBe(0);
    h.update(one(102), 2000);
    h.update(two(4), 2010);
    expect(h.recentIncidents('a')).toBe(3);
  });
});
