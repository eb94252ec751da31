import { OrderCountLimiter, tooManyOrders } from './order-count';

const T0 = Date.UTC(2025, 0, 2, 12, 34, 0); // a 10 s window (and the day) starts here

function limiter(per10s = 3, perDay = 5): OrderCountLimiter {
  return new OrderCountLimiter([
    { interval: 'SECOND', intervalNum: 10, limit: per10s },
    { interval: 'DAY', intervalNum: 1, limit: perDay },
  ]);
}

describe('OrderCountLimiter (unfilled order count)', () => {
  it('counts accepted orders per account in fixed 10 s windows; the limit refuses the next one', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) {
      expect(l.exceeded('a', T0 + i)).toBeNull();
      l.add('a', T0 + i);
    }
    expect(l.exceeded('a', T0 + 9_999)).toEqual({ interval: 'SECOND', intervalNum: 10, limit: 3 });
    expect(l.exceeded('b', T0 + 9_999)).toBeNull();
    expect(l.headers('a', T0 + 9_999)).toEqual({ 'x-mbx-order-count-10s': '3', 'x-mbx-order-count-1d': '3' });
    // The next 10 s window starts empty; the day keeps counting.
    expect(l.exceeded('a', T0 + 10_000)).toBeNull();
    expect(l.headers('a', T0 + 10_000)).toEqual({ 'x-mbx-order-count-10s': '0', 'x-mbx-order-count-1d': '3' });
  });

  it('the daily window refuses once it is full, until the next UTC day', () => {
    const l = limiter(100, 5);
    for (let i = 0; i < 5; i++) l.add('a', T0 + i * 20_000);
    expect(l.exceeded('a', T0 + 200_000)).toEqual({ interval: 'DAY', intervalNum: 1, limit: 5 });
    const nextDay = Date.UTC(2025, 0, 3);
    expect(l.exceeded('a', nextDay - 1)).not.toBeNull();
    expect(l.exceeded('a', nextDay)).toBeNull();
  });

  it('a first fill takes one order off every window, never below zero', () => {
    const l = limiter();
    l.add('a', T0);
    l.add('a', T0);
    l.add('a', T0);
    l.filled('a', T0 + 1);
    expect(l.exceeded('a', T0 + 1)).toBeNull();
    expect(l.usage('a', T0 + 1)).toEqual([
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 3, count: 2 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 5, count: 2 },
    ]);
    for (let i = 0; i < 5; i++) l.filled('a', T0 + 2);
    expect(l.headers('a', T0 + 2)).toEqual({ 'x-mbx-order-count-10s': '0', 'x-mbx-order-count-1d': '0' });
  });

  it('publishes its limits for exchangeInfo and words -1015 as Binance does', () => {
    expect(limiter(50, 160000).rateLimits()).toEqual([
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 50 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 160000 },
    ]);
    expect(tooManyOrders({ interval: 'SECOND', intervalNum: 10, limit: 50 })).toEqual({
      status: 429,
      code: -1015,
      msg: 'Too many new orders; current limit is 50 orders per 10 SECOND.',
    });
  });
});
