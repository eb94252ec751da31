import { subjects, type BookSnapshot } from '@arb/contracts';
import { TopOfBook } from './top-of-book';

const enc = (x: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(x));
const book = (venue: string, bid: string | null, ask: string | null): BookSnapshot => ({
  v: 1, venue, symbol: 'BTC-USDT', seq: 1, venueSeq: 1, venueTs: null, recvTs: 1, pubTs: 1,
  bids: bid === null ? [] : [[bid, '1'], ['1', '1']], asks: ask === null ? [] : [[ask, '1'], ['99999', '1']],
});

describe('TopOfBook', () => {
  it('keeps the latest snapshot per venue and symbol (a copy), decodes it on demand, ages it by local time', () => {
    let t = 1000;
    const invalid: unknown[] = [];
    const tob = new TopOfBook(() => t, (e) => invalid.push(e));
    expect(tob.touch('binance', 'BTC-USDT')).toBeNull();
    const data = enc(book('binance', '64990', '65000'));
    tob.onMessage(subjects.book('binance', 'BTC-USDT'), data);
    data.fill(0); // the caller's buffer is reused: the store kept its own copy
    t = 1250;
    expect(tob.touch('binance', 'BTC-USDT')).toEqual({ bid: '64990', ask: '65000', ageMs: 250 });
    tob.onMessage(subjects.book('binance', 'BTC-USDT'), enc(book('binance', '64991', null)));
    expect(tob.touch('binance', 'BTC-USDT')).toEqual({ bid: '64991', ask: null, ageMs: 0 });
    expect(tob.touch('coinbase', 'BTC-USDT')).toBeNull();
    expect(invalid).toEqual([]);
  });

  it('an invalid snapshot, or one published under another venue\'s subject, gives no reference price (counted)', () => {
    const invalid: unknown[] = [];
    const tob = new TopOfBook(() => 0, (e) => invalid.push(e));
    tob.onMessage(subjects.book('coinbase', 'BTC-USDT'), enc(book('binance', '1', '2')));
    expect(tob.touch('coinbase', 'BTC-USDT')).toBeNull();
    tob.onMessage(subjects.book('binance', 'BTC-USDT'), enc({ v: 1, venue: 'binance' }));
    expect(tob.touch('binance', 'BTC-USDT')).toBeNull();
    expect(tob.touch('binance', 'BTC-USDT')).toBeNull(); // decoded (and counted) once per snapshot
    expect(invalid).toHaveLength(2);
    tob.onMessage('md.status.binance', enc({}));
    expect(invalid).toHaveLength(2);
  });
});
