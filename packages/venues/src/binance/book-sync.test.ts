import type { PriceLevel } from '@arb/domain';
import { BinanceBookSync } from './book-sync';
import type { BinanceBookTickerEvent, BinanceDepthEvent, BinanceDepthSnapshot } from './parse';

const ev = (U: number, u: number, bids: PriceLevel[] = [], asks: PriceLevel[] = []): BinanceDepthEvent => ({
  kind: 'depth',
  venueSymbol: 'BTCUSDT',
  firstId: U,
  lastId: u,
  eventTs: 1000 + u,
  bids,
  asks,
});
const snap = (lastUpdateId: number, bids: PriceLevel[] = [['100', '1']], asks: PriceLevel[] = [['101', '1']]): BinanceDepthSnapshot => ({
  lastUpdateId,
  bids,
  asks,
});

describe('BinanceBookSync', () => {
  it('buffers events, asks for ONE snapshot, drops buffered u <= lastUpdateId and applies the rest in order', () => {
    const s = new BinanceBookSync();
    expect(s.onDepth(ev(8, 10, [['99', '5']]))).toBe('need-snapshot');
    expect(s.onDepth(ev(11, 12, [['100', '2']]))).toBe('buffered');
    expect(s.onDepth(ev(13, 15, [], [['101', '0'], ['102', '3']]))).toBe('buffered');
    expect(s.synced).toBe(false);
    expect(s.onSnapshot(snap(12))).toBe('applied');
    expect(s.synced).toBe(true);
    expect(s.lastUpdateId).toBe(15);
    expect(s.lastEventTs).toBe(1015);
    // 8..10 dropped (<= 12); 11..12 dropped; 13..15 applied
    expect(s.book.top(5)).toEqual({ bids: [['100', '1']], asks: [['102', '3']] });
  });

  it('applies the event that straddles lastUpdateId (U <= last+1 <= u)', () => {
    const s = new BinanceBookSync();
    s.onDepth(ev(10, 14, [['100', '9']]));
    expect(s.onSnapshot(snap(12))).toBe('applied');
    expect(s.book.bestBid()).toEqual(['100', '9']);
    expect(s.lastUpdateId).toBe(14);
  });

  it('refuses a snapshot older than the first buffered event and asks again', () => {
    const s = new BinanceBookSync();
    s.onDepth(ev(20, 21));
    expect(s.onSnapshot(snap(10))).toBe('need-snapshot');
    expect(s.synced).toBe(false);
    expect(s.onDepth(ev(22, 22))).toBe('buffered');
    expect(s.onSnapshot(snap(19))).toBe('applied'); // lastUpdateId + 1 === first U: exactly contiguous
    expect(s.lastUpdateId).toBe(22);
  });

  it('live: ignores old events, applies contiguous ones, reports a gap and restarts from the gapped event', () => {
    const s = new BinanceBookSync();
    s.onDepth(ev(1, 1));
    s.onSnapshot(snap(5));
    expect(s.onDepth(ev(4, 5))).toBe('ignored');
    expect(s.onDepth(ev(6, 7, [['100.5', '1']]))).toBe('applied');
    expect(s.onDepth(ev(8, 8, [['100.5', '1']]))).toBe('unchanged');
    expect(s.onDepth(ev(10, 11, [['99', '1']]))).toBe('gap');
    expect(s.synced).toBe(false);
    expect(s.book.isEmpty).toBe(true);
    expect(s.bufferedCount).toBe(1);
    expect(s.onDepth(ev(12, 12))).toBe('buffered'); // the snapshot was already asked for by the gap
    expect(s.onSnapshot(snap(9))).toBe('applied'); // 10..11 and 12 apply on top
    expect(s.lastUpdateId).toBe(12);
    expect(s.book.bestBid()).toEqual(['100', '1']);
  });

  it('a gap among buffered events after a snapshot is reported', () => {
    const s = new BinanceBookSync();
    s.onDepth(ev(5, 6));
    s.onDepth(ev(9, 9)); // 7..8 lost
    expect(s.onSnapshot(snap(6))).toBe('gap');
    expect(s.synced).toBe(false);
  });

  it('a diff that leaves the book crossed is refused and the book discarded', () => {
    const s = new BinanceBookSync();
    s.onDepth(ev(1, 1));
    s.onSnapshot(snap(1));
    expect(s.onDepth(ev(2, 2, [['101', '1']]))).toBe('crossed');
    expect(s.synced).toBe(false);
    expect(s.book.isEmpty).toBe(true);
    // A snapshot with no buffered events is accepted; the next diff must connect to it.
    expect(s.onSnapshot(snap(2))).toBe('applied');
    expect(s.onDepth(ev(4, 4))).toBe('gap');
  });

  it('a crossed snapshot is refused', () => {
    const s = new BinanceBookSync();
    expect(s.onSnapshot(snap(1, [['101', '1']], [['100', '1']]))).toBe('crossed');
    expect(s.synced).toBe(false);
  });

  it('bounds the buffer while waiting for a snapshot', () => {
    const s = new BinanceBookSync(3);
    for (let i = 1; i <= 10; i++) s.onDepth(ev(i, i));
    expect(s.bufferedCount).toBe(3);
    expect(s.onSnapshot(snap(5))).toBe('need-snapshot'); // oldest kept is 8: snapshot 5 no longer connects
    expect(s.onSnapshot(snap(7))).toBe('applied');
    expect(s.lastUpdateId).toBe(10);
  });

  it('cross-checks the top of book with bookTicker at the same update id', () => {
    const s = new BinanceBookSync();
    s.onDepth(ev(1, 1));
    s.onSnapshot(snap(3));
    const t = (u: number, bid: PriceLevel, ask: PriceLevel): BinanceBookTickerEvent => ({ kind: 'bookTicker', venueSymbol: 'BTCUSDT', updateId: u, bid, ask });
    expect(s.onBookTicker(t(3, ['100.00', '1.000'], ['101', '1']))).toBe('unchanged'); // same values, other spelling
    expect(s.onBookTicker(t(2, ['1', '1'], ['2', '1']))).toBe('unchanged'); // older: not comparable
    expect(s.onBookTicker(t(5, ['100', '2'], ['101', '1']))).toBe('unchanged'); // ahead: kept for later
    expect(s.onDepth(ev(4, 5, [['100', '2']]))).toBe('applied'); // agrees at 5
    expect(s.onBookTicker(t(6, ['100', '3'], ['101', '1']))).toBe('unchanged');
    expect(s.onDepth(ev(6, 6, [['100', '4']]))).toBe('mismatch');
    expect(s.synced).toBe(false);
  });
});
