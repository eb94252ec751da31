import type { BookSnapshot } from '@arb/contracts';
import { BookStore, DEFAULT_INTAKE } from './book-store';

const NOW = 1_000_000;
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
    expect(store.put(book('a', 1, NOW), NOW).accepted).toBe(true);
    expect(store.put(book('b', 1, NOW + 1), NOW).accepted).toBe(true);
    expect(store.put(book('a', 2, NOW + 2), NOW).accepted).toBe(true);
    expect(store.put(book('a', 1, NOW + 3, 'ETH-USDT'), NOW).accepted).toBe(true);
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
    store.put(book('a', 5, NOW), NOW);
    expect(store.put(book('a', 5, NOW), NOW)).toEqual({ accepted: false, reason: 'duplicate' });
    expect(store.put(book('a', 4, NOW - 1), NOW)).toEqual({ accepted: false, reason: 'older' });
    expect(store.get('a', 'BTC-USDT')?.book.seq).toBe(5);
  });

  it('accepts a lower seq received later: the ingestor restarted and counts from scratch', () => {
    const store = new BookStore(() => null);
    store.put(book('a', 900, NOW), NOW);
    expect(store.put(book('a', 1, NOW + 1000), NOW + 1000).accepted).toBe(true);
    expect(store.get('a', 'BTC-USDT')?.book.seq).toBe(1);
    expect(store.size).toBe(1);
  });

  it('refuses a book received or published in the future beyond maxFutureMs, or received longer ago than maxAgeMs', () => {
    const store = new BookStore(() => null);
    const { maxFutureMs, maxAgeMs } = DEFAULT_INTAKE;
    expect(store.put(book('a', 1, NOW + 3_600_000), NOW)).toEqual({ accepted: false, reason: 'future' });
    expect(store.put(book('a', 1, NOW + maxFutureMs + 1), NOW)).toEqual({ accepted: false, reason: 'future' });
    expect(store.put({ ...book('a', 1, NOW), pubTs: NOW + maxFutureMs + 1 }, NOW)).toEqual({ accepted: false, reason: 'future' });
    expect(store.put(book('a', 1, NOW - 3_600_000), NOW)).toEqual({ accepted: false, reason: 'too-old' });
    expect(store.put(book('a', 1, NOW - maxAgeMs - 1), NOW)).toEqual({ accepted: false, reason: 'too-old' });
    expect(store.size).toBe(0);
    // At the bounds: believed (another host's clock a little ahead; a book delayed a few seconds).
    expect(store.put(book('a', 1, NOW - maxAgeMs), NOW).accepted).toBe(true);
    expect(store.put({ ...book('a', 2, NOW + maxFutureMs), pubTs: NOW + maxFutureMs }, NOW).accepted).toBe(true);
  });

  it('a forged book with a huge seq dated ahead never pins the slot: real books keep being accepted', () => {
    const store = new BookStore(() => null);
    let t = NOW;
    store.put(book('a', 10, t), t);
    // Dated an hour ahead: refused outright.
    expect(store.put(book('a', 2 ** 50, t + 3_600_000), t).accepted).toBe(false);
    // Dated as far ahead as believable, huge seq: refused as a jump.
    expect(store.put(book('a', 2 ** 50, t + DEFAULT_INTAKE.maxFutureMs - 1), t)).toEqual({ accepted: false, reason: 'seq-jump' });
    for (let seq = 11; seq < 1000; seq++) {
      t += 1;
      expect(store.put(book('a', seq, t), t).accepted).toBe(true);
    }
    expect(store.get('a', 'BTC-USDT')?.book.seq).toBe(999);
  });

  it('a first book (nothing stored yet) with a huge seq and the latest believable time blocks real books at most maxFutureMs', () => {
    const store = new BookStore(() => null);
    const forgedAt = NOW + DEFAULT_INTAKE.maxFutureMs - 1;
    expect(store.put(book('a', 2 ** 50, forgedAt), NOW).accepted).toBe(true);
    expect(store.put(book('a', 1, NOW + 100), NOW + 100)).toEqual({ accepted: false, reason: 'older' });
    expect(store.put(book('a', 2, forgedAt + 1), forgedAt + 1).accepted).toBe(true);
    expect(store.get('a', 'BTC-USDT')?.book.seq).toBe(2);
  });

  it('a real seq jump (messages lost upstream) is believed on its second book', () => {
    const store = new BookStore(() => null, { ...DEFAULT_INTAKE, maxSeqJump: 1000 });
    store.put(book('a', 10, NOW), NOW);
    expect(store.put(book('a', 5000, NOW + 1), NOW + 1)).toEqual({ accepted: false, reason: 'seq-jump' });
    expect(store.put(book('a', 5001, NOW + 2), NOW + 2).accepted).toBe(true);
    expect(store.put(book('a', 5002, NOW + 3), NOW + 3).accepted).toBe(true);
    // A jump within the bound needs no confirmation; one that is not continued stays refused.
    expect(store.put(book('a', 6002, NOW + 4), NOW + 4).accepted).toBe(true);
    expect(store.put(book('a', 90_000, NOW + 5), NOW + 5).accepted).toBe(false);
    expect(store.put(book('a', 6003, NOW + 6), NOW + 6).accepted).toBe(true);
    expect(store.put(book('a', 90_001, NOW + 7), NOW + 7).accepted).toBe(false);
  });
});
