import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError } from '../common/parse-error';
import { OrderNotFoundError, VenueAuthError, VenueRateLimitError, VenueRejectError, VenueUnavailableError } from '../common/trading-errors';
import {
  coinbaseError,
  coinbaseStatus,
  createFailure,
  orderStateFromHistorical,
  orderStateFromUserOrder,
  parseAccounts,
  parseBatchCancel,
  parseCreateOrder,
  parseFills,
  parseGetOrder,
  parseUserWsFrame,
} from './trading-parse';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, 'fixtures', 'trading', name), 'utf8')) as unknown;

function ok<T>(v: T | ParseError): T {
  if (v instanceof ParseError) throw new Error(`unexpected ParseError: ${v.message}`);
  return v;
}

describe('Coinbase trading bodies', () => {
  it('create order: success and failure', () => {
    expect(ok(parseCreateOrder(fixture('create-success.json'))).success_response?.order_id).toBe('11111-00000-000000');
    const failed = ok(parseCreateOrder(fixture('create-failure.json')));
    expect(failed.success).toBe(false);
    expect(createFailure(failed)).toEqual({ code: 'INSUFFICIENT_FUND', message: 'Insufficient balance in source account' });
    expect(createFailure({ success: false, failure_reason: 'INVALID_PRODUCT_ID' })).toEqual({ code: 'INVALID_PRODUCT_ID', message: 'INVALID_PRODUCT_ID' });
    expect(parseCreateOrder({ success: 'yes' })).toBeInstanceOf(ParseError);
  });

  it('get order → OrderState (an IOC that filled half and was cancelled)', () => {
    const o = ok(parseGetOrder(fixture('get-order.json')));
    const s = ok(orderStateFromHistorical(o, 'BTC-USD'));
    expect(s).toEqual({
      venue: 'coinbase',
      symbol: 'BTC-USD',
      clientOrderId: '11111-000000-000000',
      venueOrderId: '0000-000000-000000',
      side: 'buy',
      status: 'canceled',
      final: true,
      requestedQty: '0.002',
      filledQty: '0.001',
      avgPrice: '9999.5',
      filledQuote: '9.9995',
      fee: '0.05',
      feeAsset: 'USD',
      fills: [],
      updatedTs: Date.parse('2021-05-31T10:00:00Z'),
    });
  });

  it('status mapping', () => {
    expect(['FILLED', 'CANCELLED', 'EXPIRED', 'FAILED', 'PENDING', 'OPEN', 'QUEUED', 'CANCEL_QUEUED', 'UNKNOWN_ORDER_STATUS'].map((s) => coinbaseStatus(s, '0'))).toEqual([
      'filled',
      'canceled',
      'expired',
      'rejected',
      'new',
      'new',
      'new',
      'new',
      'new',
    ]);
    expect(coinbaseStatus('OPEN', '0.1')).toBe('partially_filled');
    expect(coinbaseStatus('WHAT', '0')).toBeNull();
  });

  it('a FAILED order carries its reject reason', () => {
    const o = ok(parseGetOrder(fixture('get-order.json')));
    const s = ok(orderStateFromHistorical({ ...o, status: 'FAILED', filled_size: '0', reject_reason: 'INSUFFICIENT_FUND' }, 'BTC-USD'));
    expect(s).toMatchObject({ status: 'rejected', final: true, rejectReason: 'INSUFFICIENT_FUND', avgPrice: null });
  });

  it('a malformed amount refuses the order (never read as 0); an absent one is 0', () => {
    const o = ok(parseGetOrder(fixture('get-order.json')));
    const e = orderStateFromHistorical({ ...o, filled_size: '1,5', total_fees: 'NaN' }, 'BTC-USD');
    expect(e).toBeInstanceOf(ParseError);
    expect((e as ParseError).message).toBe('malformed filled_size "1,5", total_fees "NaN"');
    const { total_fees: _fees, ...noFees } = o;
    expect(ok(orderStateFromHistorical({ ...noFees, status: 'OPEN', filled_size: '0' }, 'BTC-USD')).fee).toBe('0');
  });

  it('accounts → balances (available = free, hold = locked); batch cancel', () => {
    expect(ok(parseAccounts(fixture('accounts.json')))).toEqual({
      balances: [
        { asset: 'BTC', free: '1.23', locked: '0.01' },
        { asset: 'USD', free: '5000', locked: '0' },
      ],
      hasNext: false,
      cursor: '',
    });
    expect(parseAccounts({ accounts: [{ currency: 'X', available_balance: { value: '-1' } }] })).toBeInstanceOf(ParseError);
    expect(ok(parseBatchCancel(fixture('batch-cancel.json'))).results[0]?.success).toBe(true);
  });
});

describe('user channel', () => {
  it('snapshot frame → orders → OrderState', () => {
    const f = ok(parseUserWsFrame(JSON.stringify(fixture('user-snapshot.json'))));
    expect(f.kind).toBe('user');
    if (f.kind !== 'user') return;
    expect(f.seq).toBe(0);
    const order = f.events[0]?.orders?.[0];
    if (order === undefined) throw new Error('fixture');
    expect(ok(orderStateFromUserOrder(order, 'BTC-USD'))).toMatchObject({
      clientOrderId: '0000-000000-000000',
      status: 'partially_filled',
      final: false,
      requestedQty: '0.002',
      filledQty: '0.001',
      avgPrice: '50000',
      filledQuote: '50',
      fee: '2',
      feeAsset: 'USD',
    });
    expect(ok(orderStateFromUserOrder(order, 'BTC-USD', '0.005')).requestedQty).toBe('0.005');
    expect(orderStateFromUserOrder({ ...order, cumulative_quantity: 'x' }, 'BTC-USD')).toBeInstanceOf(ParseError);
  });

  it('other channels, errors and garbage', () => {
    expect(ok(parseUserWsFrame('{"channel":"heartbeats","sequence_num":4,"events":[]}'))).toEqual({ kind: 'other', seq: 4, channel: 'heartbeats' });
    expect(ok(parseUserWsFrame('{"channel":"subscriptions","sequence_num":1,"events":[{"subscriptions":{"user":["u"],"heartbeats":["heartbeats"]}}]}'))).toEqual({
      kind: 'other',
      seq: 1,
      channel: 'subscriptions',
      subscribed: ['user', 'heartbeats'],
    });
    expect(ok(parseUserWsFrame('{"type":"error","message":"authentication failure"}'))).toEqual({ kind: 'error', message: 'authentication failure' });
    const bad = parseUserWsFrame('{"channel":"user","sequence_num":7,"events":"x"}');
    expect(bad).toBeInstanceOf(ParseError);
    expect((bad as ParseError).seq).toBe(7);
    expect(parseUserWsFrame('{')).toBeInstanceOf(ParseError);
    expect(parseUserWsFrame('"x"')).toBeInstanceOf(ParseError);
  });
});

describe('coinbaseError classification', () => {
  const ctx = { label: 'POST /api/v3/brokerage/orders', mutating: true, retryAfterMs: null };
  it.each([
    [401, VenueAuthError, false],
    [403, VenueAuthError, false],
    [404, VenueUnavailableError, true],
    [429, VenueRateLimitError, true],
    [400, VenueRejectError, false],
    [500, VenueUnavailableError, true],
    [503, VenueUnavailableError, true],
  ])('HTTP %i → %p', (status, cls, retryable) => {
    const e = coinbaseError(status, { error: 'E', message: 'msg' }, '', ctx);
    expect(e).toBeInstanceOf(cls);
    expect(e.retryable).toBe(retryable);
    expect(e.httpStatus).toBe(status);
  });

  it("404 is an unknown order only as the venue's NOT_FOUND answer to an order lookup; any other 404 says nothing about the order", () => {
    const notFound = { error: 'NOT_FOUND', error_details: 'order with this orderID was not found', message: 'order with this orderID was not found' };
    const lookup = { label: 'GET /api/v3/brokerage/orders/historical/{id}', mutating: false, retryAfterMs: null, orderLookup: true };
    expect(coinbaseError(404, notFound, '', lookup)).toBeInstanceOf(OrderNotFoundError);
    // A gateway page, a wrong path, a NOT_FOUND about something else: not "no such order".
    expect(coinbaseError(404, undefined, '<html>404 Not Found</html>', lookup)).toMatchObject({ name: 'VenueUnavailableError', retryable: true });
    expect(coinbaseError(404, { error: 'NOT_FOUND', message: 'unknown endpoint GET /api/v3/brokerage/orders/historical/x' }, '', lookup)).toBeInstanceOf(VenueUnavailableError);
    expect(coinbaseError(404, { error: 'not_found', message: 'order with this orderID was not found' }, '', lookup)).toBeInstanceOf(VenueUnavailableError);
    // The same NOT_FOUND body on a request that is not an order lookup.
    expect(coinbaseError(404, notFound, '', { ...lookup, orderLookup: false })).toBeInstanceOf(VenueUnavailableError);
    expect(coinbaseError(404, undefined, 'Not Found', ctx)).toMatchObject({ name: 'VenueUnavailableError', outcomeUnknown: true });
  });

  it('5xx on an order = outcome unknown; a text body is quoted (bounded)', () => {
    expect(coinbaseError(500, undefined, 'oops', ctx)).toMatchObject({ outcomeUnknown: true, message: 'coinbase POST /api/v3/brokerage/orders: HTTP 500 oops' });
    expect(coinbaseError(502, undefined, 'x', { ...ctx, mutating: false }).outcomeUnknown).toBe(false);
    expect(coinbaseError(401, undefined, 'Unauthorized\n', ctx).message).toBe('coinbase POST /api/v3/brokerage/orders: HTTP 401 Unauthorized');
  });
});

/** `depth` nested arrays: deeper than JSON.stringify (and String()) can walk. */
function deepArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('regressions found by fuzzing (trading-parse.fuzz.test.ts)', () => {
  it('fills with malformed decimals are refused', () => {
    const f = { order_id: 'o-1', trade_id: 't-1', price: '10000.00', size: '0.001', commission: '1.25' };
    expect(parseFills({ fills: [{ ...f, commission: '' }] })).toBeInstanceOf(ParseError);
    expect(parseFills({ fills: [{ ...f, size: '1e-3' }] })).toBeInstanceOf(ParseError);
    expect(parseFills({ fills: [f] })).toEqual([f]);
  });

  it('a sequence_num that is not an integer >= 0 is not handed out as a sequence number', () => {
    expect(parseUserWsFrame(JSON.stringify({ channel: 'heartbeats', sequence_num: -1, events: [] }))).toMatchObject({ kind: 'other', seq: null });
    expect(parseUserWsFrame(JSON.stringify({ channel: 'heartbeats', sequence_num: 2.5, events: [] }))).toMatchObject({ kind: 'other', seq: null });
    expect(parseUserWsFrame(JSON.stringify({ channel: 'heartbeats', sequence_num: 7, events: [] }))).toMatchObject({ kind: 'other', seq: 7 });
    const bad = parseUserWsFrame(JSON.stringify({ channel: 'user', sequence_num: 1.5, events: 'x' }));
    expect(bad).toBeInstanceOf(ParseError);
    expect((bad as ParseError).seq).toBeNull();
  });

  it('orders and bodies nested deeper than the call stack give ParseErrors, not RangeErrors', () => {
    const frame = ok(parseUserWsFrame(JSON.stringify(fixture('user-snapshot.json'))));
    if (frame.kind !== 'user') throw new Error('expected a user frame');
    const order = frame.events[0]?.orders?.[0];
    if (order === undefined) throw new Error('expected an order');
    expect(orderStateFromUserOrder({ ...order, status: 'BOGUS', junk: deepArray(20_000) } as typeof order, 'BTC-USD')).toBeInstanceOf(ParseError);
    const got = ok(parseGetOrder(fixture('get-order.json')));
    expect(orderStateFromHistorical({ ...got, status: 'BOGUS', junk: deepArray(20_000) } as typeof got, 'BTC-USD')).toBeInstanceOf(ParseError);
    for (const parse of [parseGetOrder, parseFills, parseAccounts]) expect(parse(deepArray(20_000))).toBeInstanceOf(ParseError);
  });
});
