import type { BookSnapshot } from '@arb/contracts';
import { BookStore } from './book-store';

const book = (venue: string, seq: number, recvTs: number, symbol = 'BTC-USDT'): BookSnapshot => ({
  v: 1,
  venue,
  symbol,
  seq,
  venueSeq: 100 + seq,
  venueTs: null,
  recvTs,
  pubTs: recvTs + 0.1,
  bids: [['100', '1']],
  asks: [['101', '1']],
});

describe('BookStore', () => {
  it('keeps the latest book per (venue, symbol) and derives once per accepted book', () => {
    let derived = 0;
    const store = new BookStore((b) => {
      derived++;
      return b.seq * 10;
    });
    expect(store.put(book('a', 1, 1000)).accepted).toBe(true);
    expect(store.put(book('b', 1, 1001)).accepted).toBe(true);
    expect(store.put(book('a', 2, 1002)).accepted).toBe(true);
    expect(store.put(book('a', 1, 1003, 'ETH-USDT')).accepted).toBe(true);
    expect(store.size).toBe(3);
    expect(store.get('a', 'BTC-USDT')?.book.seq).toBe(2);
    expect(store.get('a', 'BTC-USDT')?.parsed).toBe(20);
    expect([...store.ofSymbol('BTC-USDT').keys()].sort()).toEqual(['a', 'b']);
    expect([...store.ofSymbol('XRP-USDT').keys()]).toEqual([]);
    expect(store.symbols().sort()).toEqual(['BTC-USDT', 'ETH-USDT']);
    expect(derived).toBe(4);
  });

  it('refuses duplicates and older books, so a late message never replaces a newer one', () => {
    const store = new BookStore(() => null);
    store.put(book('a', 5, 1000));
    expect(store.put(book('a', 5, 1000))).toEqual({ accepted: false, reason: 'duplicate' });
    expect(store.put(book('a', 4, 999))).toEqual({ accepted: false, reason: 'older' });
    expect(store.get('a', 'BTC-USDT')?.book.seq).toBe(5);
  });

  it('accepts a lower seq received later: the ingestor restarted and counts from scratch', () => {
    const store = new BookStore(() => null);
    store.put(book('a', 900, 1000));
    expect(store.put(book('a', 1, 2000)).accepted).toBe(true);
    expect(store.get('a', 'BTC-USDT')?.book.seq).toBe(1);
    expect(store.size).toBe(1);
  });
});
