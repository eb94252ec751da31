import type { BookSnapshot } from '@arb/contracts';
import { VenueRejectError } from '@arb/venues';
import { BookSource } from './book-source';
import { PaperTradingClient } from './paper-client';
import { paperInstrument } from './rules';

const now = (): number => 1_000_000;

function book(seq: number, asks: [string, string][], bids: [string, string][]): BookSnapshot {
  return { v: 1, venue: 'binance', symbol: 'BTC-USDT', seq, venueSeq: seq, venueTs: null, recvTs: now(), pubTs: now(), bids, asks };
}

describe('PaperTradingClient', () => {
  let books: BookSource;
  let client: PaperTradingClient;

  beforeEach(() => {
    books = new BookSource();
    books.update(book(1, [['100', '1'], ['101', '2'], ['103', '5']], [['99', '1'], ['98', '3']]));
    client = new PaperTradingClient({
      venue: 'binance',
      books,
      instruments: [paperInstrument({ tick: '0.01', lotStep: '0.001', minSize: '0.001', minNotional: '1' }, 'BTC-USDT')],
      takerFee: () => '0.001',
      balances: { USDT: '1000', BTC: '2' },
      latencyMs: 0,
      maxBookAgeMs: 1000,
      now,
      sleep: async () => undefined,
    });
  });

  it('walks the book up to the limit (depth-aware), charges the fee in quote and moves balances exactly', async () => {
    const updates: string[] = [];
    client.onOrderUpdate((o) => updates.push(o.clientOrderId));
    const o = await client.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '2.5', limitPrice: '101', clientOrderId: 'k-b' });
    expect(o).toMatchObject({ status: 'filled', final: true, filledQty: '2.5', filledQuote: '251.5', fee: '0.2515', feeAsset: 'USDT' });
    expect(o.fills.map((f) => [f.price, f.qty])).toEqual([['100', '1'], ['101', '1.5']]);
    expect(o.avgPrice).toBe('100.6');
    expect(updates).toEqual(['k-b']);
    const bal = Object.fromEntries((await client.balances()).map((b) => [b.asset, b.free]));
    expect(bal).toEqual({ USDT: '748.2485', BTC: '4.5' });
    expect(await client.getOrder('BTC-USDT', 'k-b')).toEqual(o);
    // The rest of the book within the limit: 0.5 at 101; an IOC for more fills partially and expires.
    const partial = await client.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '2', limitPrice: '101', clientOrderId: 'k-b2' });
    expect(partial).toMatchObject({ status: 'expired', final: true, filledQty: '0.5', filledQuote: '50.5' });
  });

  it('liquidity taken stays taken until the next book', async () => {
    await client.placeIocLimit({ symbol: 'BTC-USDT', side: 'sell', qty: '1', limitPrice: '99', clientOrderId: 'k-1' });
    const again = await client.placeIocLimit({ symbol: 'BTC-USDT', side: 'sell', qty: '1', limitPrice: '99', clientOrderId: 'k-2' });
    expect(again.filledQty).toBe('0');
    books.update(book(2, [['100', '1']], [['99', '1']]));
    const fresh = await client.placeIocLimit({ symbol: 'BTC-USDT', side: 'sell', qty: '1', limitPrice: '99', clientOrderId: 'k-3' });
    expect(fresh).toMatchObject({ status: 'filled', filledQty: '1', filledQuote: '99' });
  });

  it('applies the rules and balances like a venue', async () => {
    await expect(client.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '0.0005', limitPrice: '100', clientOrderId: 'k-x' })).rejects.toBeInstanceOf(VenueRejectError);
    await expect(client.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '1', limitPrice: '100.001', clientOrderId: 'k-y' })).rejects.toBeInstanceOf(VenueRejectError);
    await expect(client.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '20', limitPrice: '100', clientOrderId: 'k-z' })).rejects.toThrow(/insufficient balance/);
    await client.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '0.1', limitPrice: '100', clientOrderId: 'k-d' });
    await expect(client.placeIocLimit({ symbol: 'BTC-USDT', side: 'buy', qty: '0.1', limitPrice: '100', clientOrderId: 'k-d' })).rejects.toThrow(/Duplicate/);
  });
});
