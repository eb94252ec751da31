import { OrderBook } from '@arb/domain';
import { FeedTracker } from './feed-tracker';
import type { MarketDataEvent } from './venue-market-data';
import { overallState } from './venue-market-data';

describe('FeedTracker', () => {
  it('emits status transitions once, books with their sequence, and the worst state overall', () => {
    const t = new FeedTracker('binance', ['BTC-USDT', 'ETH-USDT']);
    const events: MarketDataEvent[] = [];
    t.onEvent((e) => events.push(e));
    t.setAll('connecting', 'start');
    t.setState('BTC-USDT', 'connecting', 'again'); // no change, no event
    expect(events.map((e) => e.kind)).toEqual(['status', 'status']);
    t.book('BTC-USDT', new OrderBook(), 7, 1000, 1234.5);
    expect(events.slice(2).map((e) => (e.kind === 'status' ? e.state : e.kind))).toEqual(['live', 'book']);
    expect(t.status()['BTC-USDT']).toEqual({ state: 'live', lastBookRecvTs: 1234.5, venueSeq: 7, resyncFailures: 0 });
    expect(t.overall()).toBe('connecting');
    t.rejected('ETH-USDT', 'bad', 'x'.repeat(500));
    expect(t.counters.rejected).toBe(1);
    const rej = events.at(-1);
    expect(rej?.kind === 'rejected' && rej.sample.length).toBeLessThan(220);
  });

  it('a throwing listener is reported as an error event and does not stop the others', () => {
    const t = new FeedTracker('coinbase', ['BTC-USD']);
    const seen: string[] = [];
    t.onEvent(() => {
      throw new Error('consumer bug');
    });
    const off = t.onEvent((e) => seen.push(e.kind));
    t.setState('BTC-USD', 'syncing', 'x');
    expect(seen).toEqual(['status', 'error']);
    off();
    t.setState('BTC-USD', 'live', 'x');
    expect(seen).toEqual(['status', 'error']);
  });

  it('overallState: live only when all are live; empty = down', () => {
    expect(overallState(['live', 'live'])).toBe('live');
    expect(overallState(['live', 'resyncing', 'syncing'])).toBe('resyncing');
    expect(overallState(['live', 'down'])).toBe('down');
    expect(overallState([])).toBe('down');
  });
});
