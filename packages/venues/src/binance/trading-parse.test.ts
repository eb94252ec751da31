import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError } from '../common/parse-error';
import type { OrderState } from '../common/trading';
import {
  ClockSkewError,
  OrderNotFoundError,
  VenueAuthError,
  VenueRateLimitError,
  VenueRejectError,
  VenueTimeoutError,
  VenueUnavailableError,
} from '../common/trading-errors';
import { binanceError, binanceStatus, orderStateFromReport, parseAccount, parseMyTrades, parseOrderBody, parseWsApiFrame } from './trading-parse';
import type { ExecutionReport } from './trading-wire';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, 'fixtures', 'trading', name), 'utf8')) as unknown;

function ok<T>(v: T | ParseError): T {
  if (v instanceof ParseError) throw new Error(`unexpected ParseError: ${v.message}`);
  return v;
}

describe('Binance order bodies (documented examples)', () => {
  it('FULL new-order answer: fills with per-fill commission and trade id', () => {
    const s = ok(parseOrderBody(fixture('order-full.json'), 'BTC-USDT'));
    expect(s).toMatchObject({
      venue: 'binance',
      symbol: 'BTC-USDT',
      clientOrderId: '6gCrw2kRUAF9CvJDGP16IP',
      venueOrderId: '28',
      side: 'sell',
      status: 'filled',
      final: true,
      requestedQty: '10',
      filledQty: '10',
      filledQuote: '10',
      avgPrice: '1',
      fee: '39.983',
      feeAsset: 'USDT',
      updatedTs: 1507725176595,
    });
    expect(s.fills).toHaveLength(5);
    expect(s.fills[1]).toEqual({ price: '3999.00000000', qty: '5.00000000', fee: '19.99500000', feeAsset: 'USDT', tradeId: '57' });
  });

  it('query answer without fills: fee 0 in the received asset', () => {
    const s = ok(parseOrderBody(fixture('order-query.json'), 'LTC-BTC'));
    expect(s).toMatchObject({ clientOrderId: 'myOrder1', status: 'new', final: false, requestedQty: '1', filledQty: '0', avgPrice: null, fee: '0', feeAsset: 'LTC', fills: [] });
  });

  it("cancel answer: the order's own id is origClientOrderId", () => {
    const s = ok(parseOrderBody(fixture('order-cancel.json'), 'LTC-BTC'));
    expect(s).toMatchObject({ clientOrderId: 'myOrder1', venueOrderId: '4', status: 'canceled', final: true });
  });

  it('malformed bodies are ParseErrors, never throws', () => {
    expect(parseOrderBody({ symbol: 'X' }, 'X')).toBeInstanceOf(ParseError);
    expect(parseOrderBody({ ...(fixture('order-query.json') as object), status: 'WEIRD' }, 'X')).toBeInstanceOf(ParseError);
    expect(parseOrderBody({ ...(fixture('order-query.json') as object), executedQty: '1e3' }, 'X')).toBeInstanceOf(ParseError);
    expect(parseOrderBody(null, 'X')).toBeInstanceOf(ParseError);
  });

  it('status mapping', () => {
    expect(['NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'EXPIRED_IN_MATCH', 'PENDING_NEW'].map((s) => binanceStatus(s, '0'))).toEqual([
      'new',
      'partially_filled',
      'filled',
      'canceled',
      'rejected',
      'expired',
      'expired',
      'new',
    ]);
    expect(binanceStatus('PENDING_CANCEL', '0')).toBe('new');
    expect(binanceStatus('PENDING_CANCEL', '1')).toBe('partially_filled');
    expect(binanceStatus('??', '0')).toBeNull();
  });

  it('account balances', () => {
    expect(ok(parseAccount({ balances: [{ asset: 'BTC', free: '4723846.89208129', locked: '0.00000000' }], canTrade: true }))).toEqual([
      { asset: 'BTC', free: '4723846.89208129', locked: '0.00000000' },
    ]);
    expect(parseAccount({ balances: 'x' })).toBeInstanceOf(ParseError);
  });
});

describe('WebSocket API frames', () => {
  const exampleText = JSON.stringify(fixture('execution-report.json'));

  it('documented executionReport → OrderState', () => {
    const f = ok(parseWsApiFrame(exampleText));
    expect(f.kind).toBe('executionReport');
    if (f.kind !== 'executionReport') return;
    const s = ok(orderStateFromReport(f.report, 'ETH-BTC'));
    expect(s).toMatchObject({
      clientOrderId: 'mUvoqJxFIILMdfAW5iGSOW',
      venueOrderId: '4293153',
      side: 'buy',
      status: 'new',
      final: false,
      requestedQty: '1',
      filledQty: '0',
      fills: [],
      fee: '0',
      feeAsset: 'ETH',
      updatedTs: 1499405658657,
    });
  });

  function report(over: Partial<ExecutionReport>): OrderState {
    const f = ok(parseWsApiFrame(exampleText));
    if (f.kind !== 'executionReport') throw new Error('fixture');
    return ok(orderStateFromReport({ ...f.report, ...over }, 'ETH-BTC'));
  }

  it('a TRADE report carries its fill (commission per fill)', () => {
    const s = report({ x: 'TRADE', X: 'PARTIALLY_FILLED', l: '0.4', L: '0.1026', z: '0.4', Z: '0.04104', n: '0.0004', N: 'ETH', t: 77 });
    expect(s).toMatchObject({ status: 'partially_filled', filledQty: '0.4', filledQuote: '0.04104', avgPrice: '0.1026', fee: '0.0004', feeAsset: 'ETH' });
    expect(s.fills).toEqual([{ price: '0.1026', qty: '0.4', fee: '0.0004', feeAsset: 'ETH', tradeId: '77' }]);
  });

  it('a CANCELED report names the order by C (c is the cancel request)', () => {
    expect(report({ x: 'CANCELED', X: 'CANCELED', c: 'cancel-req', C: 'a0-b' }).clientOrderId).toBe('a0-b');
    expect(report({ x: 'EXPIRED', X: 'EXPIRED' })).toMatchObject({ clientOrderId: 'mUvoqJxFIILMdfAW5iGSOW', final: true, status: 'expired' });
    expect(report({ x: 'REJECTED', X: 'REJECTED', r: 'INSUFFICIENT_BALANCES' }).rejectReason).toBe('INSUFFICIENT_BALANCES');
  });

  it('responses, other events, terminations and garbage', () => {
    expect(ok(parseWsApiFrame('{"id":"uds-1","status":200,"result":{"subscriptionId":0}}'))).toMatchObject({ kind: 'response', response: { status: 200 } });
    expect(ok(parseWsApiFrame('{"id":"uds-1","status":400,"error":{"code":-1022,"msg":"Signature for this request is not valid."}}'))).toMatchObject({
      kind: 'response',
      response: { error: { code: -1022 } },
    });
    expect(ok(parseWsApiFrame('{"subscriptionId":0,"event":{"e":"outboundAccountPosition","E":1}}'))).toEqual({ kind: 'otherEvent', type: 'outboundAccountPosition' });
    expect(ok(parseWsApiFrame('{"subscriptionId":0,"event":{"e":"eventStreamTerminated","E":1}}'))).toEqual({ kind: 'streamTerminated' });
    expect(parseWsApiFrame('{"subscriptionId":0,"event":{"e":"executionReport","s":"X"}}')).toBeInstanceOf(ParseError);
    expect(parseWsApiFrame('not json')).toBeInstanceOf(ParseError);
    expect(parseWsApiFrame('[1,2]')).toBeInstanceOf(ParseError);
  });
});

describe('binanceError classification', () => {
  const ctx = { label: 'POST /api/v3/order', mutating: true, retryAfterMs: 3000, timeoutMs: 5000 };
  const err = (status: number, code: number | null, msg = 'm') => binanceError(status, code === null ? undefined : { code, msg }, code === null ? msg : '', ctx);

  it.each([
    [400, -1021, ClockSkewError, true],
    [400, -1022, VenueAuthError, false],
    [401, -2014, VenueAuthError, false],
    [401, -2015, VenueAuthError, false],
    [400, -1013, VenueRejectError, false],
    [400, -2010, VenueRejectError, false],
    [400, -2013, OrderNotFoundError, false],
    [429, -1003, VenueRateLimitError, true],
    [429, -1015, VenueRateLimitError, true],
    [418, -1003, VenueRateLimitError, false],
    [400, -1100, VenueRejectError, false],
  ])('HTTP %i code %i → %p (retryable %p)', (status, code, cls, retryable) => {
    const e = err(status, code);
    expect(e).toBeInstanceOf(cls);
    expect(e.retryable).toBe(retryable);
    expect(e.code).toBe(code);
    expect(e.httpStatus).toBe(status);
    expect(e.venue).toBe('binance');
  });

  it('rate limits carry Retry-After; 418 is a ban', () => {
    expect(err(429, -1003)).toMatchObject({ retryAfterMs: 3000, banned: false });
    expect(err(418, -1003)).toMatchObject({ banned: true, retryable: false });
  });

  it('-2011: unknown order → not found; other cancel rejections → reject', () => {
    expect(err(400, -2011, 'Unknown order sent.')).toBeInstanceOf(OrderNotFoundError);
    expect(err(400, -2011, 'Order was not canceled due to cancel restrictions.')).toBeInstanceOf(VenueRejectError);
  });

  it('5xx: outcome unknown for an order unless the venue says it was not processed', () => {
    expect(err(503, null, 'Unknown error, please check your request or try again later.')).toMatchObject({ outcomeUnknown: true, retryable: true });
    expect(err(503, null, 'Service Unavailable.')).toMatchObject({ outcomeUnknown: false });
    expect(err(500, -1001, 'Internal error; unable to process your request. Please try again.')).toMatchObject({ outcomeUnknown: false });
    expect(binanceError(502, undefined, 'bad gateway', { ...ctx, mutating: false })).toMatchObject({ outcomeUnknown: false });
    expect(err(400, -1007, 'Timeout waiting for response from backend server.')).toBeInstanceOf(VenueTimeoutError);
    expect(err(400, -1008, 'Server is currently overloaded')).toBeInstanceOf(VenueUnavailableError);
  });

  it('messages name the endpoint, never a query string', () => {
    const e = err(400, -1022, 'Signature for this request is not valid.');
    expect(e.message).toBe('binance POST /api/v3/order: HTTP 400 -1022 Signature for this request is not valid.');
  });
});

/** `depth` nested arrays: deeper than JSON.stringify (and String()) can walk. */
function deepArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('regressions found by fuzzing (trading-parse.fuzz.test.ts)', () => {
  const event = (over: Record<string, unknown>): ExecutionReport => {
    const f = ok(parseWsApiFrame(JSON.stringify({ subscriptionId: 0, event: { ...(fixture('execution-report.json') as { event: object }).event, ...over } })));
    if (f.kind !== 'executionReport') throw new Error('expected an executionReport');
    return f.report;
  };

  it('PENDING_CANCEL with a malformed executed quantity is a ParseError (the status mapping used to throw on it)', () => {
    expect(orderStateFromReport(event({ X: 'PENDING_CANCEL', z: '' }), 'ETH-BTC')).toBeInstanceOf(ParseError);
  });

  it('a trade whose commission is not a decimal is a ParseError, not a fill with fee "1e5"', () => {
    expect(orderStateFromReport(event({ x: 'TRADE', X: 'PARTIALLY_FILLED', l: '1', z: '1', Z: '1', L: '1', n: '1e5' }), 'ETH-BTC')).toBeInstanceOf(ParseError);
    expect(orderStateFromReport(event({ x: 'TRADE', X: 'PARTIALLY_FILLED', l: '1', z: '1', Z: '1', L: '1', n: null }), 'ETH-BTC')).toMatchObject({ fee: '0' });
  });

  it('an unknown status on a report with deeply nested extra fields is a ParseError, not a RangeError', () => {
    expect(orderStateFromReport({ ...event({ X: 'BOGUS' }), junk: deepArray(20_000) } as ExecutionReport, 'ETH-BTC')).toBeInstanceOf(ParseError);
  });

  it('an order body whose fill has a malformed commission / price is a ParseError (the fee sum used to throw)', () => {
    const full = fixture('order-full.json') as { fills: object[] };
    expect(parseOrderBody({ ...full, fills: [{ ...full.fills[0], commission: '' }] }, 'BTC-USDT')).toBeInstanceOf(ParseError);
    expect(parseOrderBody({ ...full, fills: [{ ...full.fills[0], price: '-1' }] }, 'BTC-USDT')).toBeInstanceOf(ParseError);
  });

  it('balances and myTrades with malformed decimals are refused', () => {
    expect(parseAccount({ balances: [{ asset: 'BTC', free: '-1', locked: '0' }] })).toBeInstanceOf(ParseError);
    expect(parseAccount({ balances: [{ asset: 'BTC', free: '1.5', locked: '0' }] })).toEqual([{ asset: 'BTC', free: '1.5', locked: '0' }]);
    const trade = { symbol: 'BNBBTC', id: 1, orderId: 2, price: '4.1', qty: '12', commission: '0.1', commissionAsset: 'BNB', time: 1 };
    expect(parseMyTrades([{ ...trade, price: '' }])).toBeInstanceOf(ParseError);
    expect(parseMyTrades([trade])).toEqual([trade]);
  });

  it('bodies nested deeper than the call stack are ParseErrors, not RangeErrors', () => {
    for (const parse of [(b: unknown) => parseOrderBody(b, 'BTC-USDT'), parseAccount, parseMyTrades]) expect(parse(deepArray(20_000))).toBeInstanceOf(ParseError);
  });
});
