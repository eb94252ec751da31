import { parseStream } from './streams';
import { isRequestError, parseWsRequest } from './ws-requests';
import { depthWeight, WeightLimiter } from './weight-limiter';

describe('binance stream names', () => {
  it.each([
    ['btcusdt@depth', { kind: 'diff', symbol: 'btcusdt', speedMs: 1000 }],
    ['btcusdt@depth@1000ms', { kind: 'diff', symbol: 'btcusdt', speedMs: 1000 }],
    ['btcusdt@depth@100ms', { kind: 'diff', symbol: 'btcusdt', speedMs: 100 }],
    ['btcusdt@depth@0ms', { kind: 'diff', symbol: 'btcusdt', speedMs: 0 }],
    ['ethusdt@depth10@100ms', { kind: 'partial', symbol: 'ethusdt', levels: 10, speedMs: 100 }],
    ['ethusdt@depth20', { kind: 'partial', symbol: 'ethusdt', levels: 20, speedMs: 1000 }],
    ['ethusdt@bookTicker', { kind: 'bookTicker', symbol: 'ethusdt' }],
  ])('%s', (name, spec) => expect(parseStream(name)).toEqual(spec));

  it.each(['BTCUSDT@depth', 'btcusdt@depth@10ms', 'btcusdt@depth7', 'btcusdt@trade', '', 'btcusdt'])('rejects %j', (name) =>
    expect(parseStream(name)).toBeNull(),
  );
});

describe('binance WS requests', () => {
  it('parses the documented methods', () => {
    expect(parseWsRequest('{"method":"SUBSCRIBE","params":["btcusdt@depth"],"id":1}')).toEqual({ method: 'SUBSCRIBE', params: ['btcusdt@depth'], id: 1 });
    expect(parseWsRequest('{"method":"LIST_SUBSCRIPTIONS","id":"a1"}')).toEqual({ method: 'LIST_SUBSCRIPTIONS', id: 'a1' });
    expect(parseWsRequest('{"method":"SET_PROPERTY","params":["combined",true],"id":null}')).toEqual({ method: 'SET_PROPERTY', name: 'combined', value: true, id: null });
    expect(parseWsRequest('{"method":"GET_PROPERTY","params":["combined"],"id":2}')).toEqual({ method: 'GET_PROPERTY', name: 'combined', id: 2 });
  });

  it.each([
    ['nope', 3],
    ['[]', 2],
    ['{"params":[]}', 2],
    ['{"method":"FOO","id":1}', 2],
    ['{"method":"SUBSCRIBE","params":[1],"id":1}', 2],
    ['{"method":"SUBSCRIBE","params":[],"id":1.5}', 2],
    ['{"method":"SUBSCRIBE","id":1}', 2],
  ])('rejects %s with code %d', (text, code) => {
    const r = parseWsRequest(text);
    expect(isRequestError(r) && r.code).toBe(code);
  });
});

describe('binance request weight', () => {
  it('weighs depth by limit and limits per minute', () => {
    expect([1, 100, 101, 500, 1000, 5000].map(depthWeight)).toEqual([5, 5, 25, 25, 50, 250]);
    const l = new WeightLimiter(60);
    expect(l.take(50, 60_000)).toBe(true);
    expect(l.take(20, 61_000)).toBe(false);
    expect(l.retryAfterS(61_000)).toBe(59);
    expect(l.take(50, 120_000)).toBe(true);
  });
});
