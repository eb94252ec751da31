import Big from 'big.js';
import type { SimOrder } from './order';
import { OrderStore } from './order-store';

const order = (n: number, status: SimOrder['status']): SimOrder => ({
  venue: 'binance',
  orderId: String(n),
  clientOrderId: `c${n}`,
  tradeKey: `c${n}`,
  accountKey: 'k',
  symbol: 'BTC-USDT',
  base: 'BTC',
  quote: 'USDT',
  side: 'buy',
  type: 'limit',
  timeInForce: 'GTC',
  quoteQty: null,
  qty: '1',
  price: '1',
  lots: 1,
  limitTick: 1,
  createdTs: n,
  status,
  updatedTs: n,
  fills: [],
  filledLots: 0,
  filledQty: new Big(0),
  filledQuote: new Big(0),
  fee: new Big(0),
  feeAsset: 'BTC',
  lockAsset: 'USDT',
  lockAmount: new Big(0),
  lockLeft: new Big(0),
  bookUpdateId: 0,
});

describe('OrderStore', () => {
  it('indexes by id and client id (not rejected ones), lists newest first, forgets the oldest final orders beyond its bound', () => {
    const s = new OrderStore(10);
    s.add(order(0, 'pending'));
    s.add(order(1, 'rejected'));
    s.add(order(2, 'open'));
    for (let i = 3; i < 11; i++) s.add(order(i, 'filled'));
    expect(s.get('k', '1')).toBeUndefined();
    expect(s.byClientOrderId('k', 'c3')?.orderId).toBe('3');
    expect(s.get('other', '3')).toBeUndefined();
    // 12 > 10 + 10%: trimmed back to 10, the two oldest final orders go (the pending and the resting one stay).
    s.add(order(11, 'filled'));
    expect(s.all.map((o) => o.orderId)).toEqual(['0', '2', ...Array.from({ length: 8 }, (_, i) => String(i + 4))]);
    expect(s.get('k', '0')?.status).toBe('pending');
    expect(s.get('k', '2')?.status).toBe('open');
    expect(s.byClientOrderId('k', 'c3')).toBeUndefined();
    expect(s.byClientOrderId('k', 'c4')?.orderId).toBe('4');
    expect(s.ofAccount('k')[0]?.orderId).toBe('11');
  });
});
