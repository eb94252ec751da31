/**
 * Fuzz / property suite for trading-parse.ts: REST create / get / list / cancel / fills / accounts bodies, the `user`
 * WebSocket channel followed into an OrderState, and error answers. Nothing throws; every OrderState / fill / balance
 * handed out has exact decimal strings; generated answers are refused exactly when they must be.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  bodyOf,
  damage,
  expectBalance,
  expectFill,
  expectOrderState,
  expectParseError,
  fuzz,
  hasBadDecimal,
  isSeq,
  maybeBadDecimal,
  mutate,
  mutatedText,
  mutationsOf,
  randomBody,
  randomText,
  textDamage,
  TIMEOUT,
} from '../../test/fuzz-kit';
import { ParseError } from '../common/parse-error';
import { VenueError } from '../common/trading-errors';
import {
  coinbaseError,
  createFailure,
  fillsFromWire,
  orderStateFromHistorical,
  orderStateFromUserOrder,
  parseAccounts,
  parseBatchCancel,
  parseCreateOrder,
  parseFills,
  parseGetOrder,
  parseListOrders,
  parseUserWsFrame,
} from './trading-parse';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, 'fixtures', 'trading', name), 'utf8')) as unknown;
const STATUSES = ['PENDING', 'OPEN', 'FILLED', 'CANCELLED', 'EXPIRED', 'FAILED', 'QUEUED', 'CANCEL_QUEUED', 'EDIT_QUEUED', 'UNKNOWN_ORDER_STATUS'];
const mutations = mutationsOf([...STATUSES, 'user', 'subscriptions', 'heartbeats', 'snapshot', 'update', 'BUY', 'SELL', 'BTC-USD', 'error']);

const GET_ORDER = fixture('get-order.json') as { order: object };
const LIST_ORDERS = { orders: [GET_ORDER.order], has_next: false, cursor: '' };
const FILLS = {
  fills: [{ entry_id: 'e-1', trade_id: 't-1', order_id: '0000-000000-000000', trade_time: '2021-05-31T09:59:59Z', trade_type: 'FILL', price: '10000.00', size: '0.001', commission: '1.25', product_id: 'BTC-USD', liquidity_indicator: 'TAKER', size_in_quote: false, side: 'BUY' }],
  cursor: '',
};
const BODIES = [GET_ORDER, LIST_ORDERS, FILLS, ...['accounts.json', 'batch-cancel.json', 'create-failure.json', 'create-success.json'].map(fixture)];
const USER_FRAME = fixture('user-snapshot.json') as { events: Array<{ orders: object[] }> };

/** Every REST body parser on one body; whatever parses is followed to the values the client hands out. */
function checkBody(body: unknown): void {
  const c = parseCreateOrder(body);
  if (c instanceof ParseError) expectParseError(c);
  else if (!c.success) expect(Object.values(createFailure(c)).every((v) => typeof v === 'string')).toBe(true);
  const g = parseGetOrder(body);
  if (g instanceof ParseError) expectParseError(g);
  else checkHistorical(g);
  const l = parseListOrders(body);
  if (l instanceof ParseError) expectParseError(l);
  else l.orders.forEach(checkHistorical);
  const b = parseBatchCancel(body);
  if (b instanceof ParseError) expectParseError(b);
  const f = parseFills(body);
  if (f instanceof ParseError) expectParseError(f);
  else fillsFromWire(f, 'USD').forEach(expectFill);
  const a = parseAccounts(body);
  if (a instanceof ParseError) expectParseError(a);
  else a.balances.forEach(expectBalance);
}
function checkHistorical(o: Parameters<typeof orderStateFromHistorical>[0]): void {
  const s = orderStateFromHistorical(o, 'BTC-USD');
  if (s instanceof ParseError) expectParseError(s);
  else expectOrderState(s, 'coinbase', 'BTC-USD');
}
function checkUserFrame(text: string): void {
  const f = parseUserWsFrame(text);
  if (f instanceof ParseError) return expectParseError(f);
  if (f.kind === 'error') return expect(typeof f.message).toBe('string');
  expect(f.seq === null || isSeq(f.seq)).toBe(true);
  if (f.kind === 'other') return expect(typeof f.channel === 'string' && (f.subscribed ?? []).every((x) => typeof x === 'string')).toBe(true);
  for (const o of f.events.flatMap((e) => e.orders ?? [])) {
    for (const requested of [undefined, '0.002']) {
      const s = orderStateFromUserOrder(o, 'BTC-USD', requested);
      if (s instanceof ParseError) expectParseError(s);
      else expectOrderState(s, 'coinbase', 'BTC-USD');
    }
  }
}

describe('Coinbase trading parsers (fuzz)', () => {
  it('random bodies (incl. nesting deeper than the stack) never throw out of any REST parser', () => {
    fuzz(fc.property(randomBody, (spec) => checkBody(bodyOf(spec))));
  }, TIMEOUT);

  it('mutated REST bodies never throw and stay well-typed', () => {
    fuzz(fc.property(fc.constantFrom<unknown>(...BODIES), mutations, (doc, ms) => checkBody(mutate(doc, ms).doc)));
  }, TIMEOUT);

  it('random and mutated user-channel frames, followed into OrderStates, never throw and stay well-typed', () => {
    fuzz(fc.property(randomText, (t) => checkUserFrame(t)));
    fuzz(fc.property(mutations, fc.option(textDamage, { nil: undefined }), (ms, d) => checkUserFrame(damage(mutatedText(USER_FRAME, ms), d))));
  }, TIMEOUT);

  const status = fc.constantFrom(...STATUSES, 'BOGUS');
  const userOrder = fc.record({
    status,
    order_side: fc.constantFrom('BUY', 'SELL'),
    cumulative_quantity: maybeBadDecimal,
    leaves_quantity: maybeBadDecimal,
    avg_price: maybeBadDecimal,
    total_fees: maybeBadDecimal,
    filled_value: maybeBadDecimal,
  });
  const withUserOrder = (o: object): object => ({ ...USER_FRAME, events: [{ type: 'update', orders: [{ ...USER_FRAME.events[0]?.orders[0], ...o }] }] });

  it('generated user-channel orders are refused exactly when a required decimal or the status is bad', () => {
    fuzz(
      fc.property(userOrder, (o) => {
        const f = parseUserWsFrame(JSON.stringify(withUserOrder(o)));
        if (f instanceof ParseError || f.kind !== 'user') throw new Error('the frame itself is well-formed');
        const [order] = f.events.flatMap((e) => e.orders ?? []);
        if (order === undefined) throw new Error('one order');
        const s = orderStateFromUserOrder(order, 'BTC-USD');
        expect(s instanceof ParseError).toBe(hasBadDecimal(o.cumulative_quantity, o.leaves_quantity, o.avg_price, o.total_fees) || o.status === 'BOGUS');
        if (!(s instanceof ParseError)) expectOrderState(s, 'coinbase', 'BTC-USD');
      }),
    );
  }, TIMEOUT);

  it('mutated generated user-channel frames never throw and stay well-typed', () => {
    fuzz(fc.property(userOrder, mutations, (o, ms) => checkUserFrame(mutatedText(withUserOrder(o), ms))));
  }, TIMEOUT);

  const historical = fc.record({
    status,
    side: fc.constantFrom('BUY', 'SELL'),
    filled_size: maybeBadDecimal,
    average_filled_price: maybeBadDecimal,
    filled_value: maybeBadDecimal,
    total_fees: maybeBadDecimal,
    order_configuration: fc.record({ sor_limit_ioc: fc.record({ base_size: maybeBadDecimal, limit_price: maybeBadDecimal }) }),
    last_fill_time: fc.option(fc.constantFrom('', '2021-05-31T10:00:00Z', 'yesterday', '0001-01-01T00:00:00Z')),
  });
  it('generated historical orders (every status, odd decimals and times) give well-typed OrderStates', () => {
    fuzz(
      fc.property(historical, fc.option(mutations, { nil: undefined }), (o, ms) => {
        const body = { order: { ...GET_ORDER.order, ...o } };
        checkBody(ms === undefined ? body : mutate(body, ms).doc);
        const g = parseGetOrder(body);
        if (g instanceof ParseError) throw g;
        // Refused exactly when the status is unknown or an amount is malformed (never read as 0).
        const amounts = [o.filled_size, o.average_filled_price, o.filled_value, o.total_fees, o.order_configuration.sor_limit_ioc.base_size];
        expect(orderStateFromHistorical(g, 'BTC-USD') instanceof ParseError).toBe(o.status === 'BOGUS' || hasBadDecimal(...amounts));
      }),
    );
  }, TIMEOUT);

  const fill = fc.record({ order_id: fc.constant('o-1'), trade_id: fc.option(fc.string(), { nil: undefined }), price: maybeBadDecimal, size: maybeBadDecimal, commission: maybeBadDecimal });
  it('generated fills and accounts are refused exactly when a decimal is bad', () => {
    fuzz(
      fc.property(fc.array(fill, { maxLength: 3 }), maybeBadDecimal, maybeBadDecimal, (fills, available, hold) => {
        const f = parseFills({ fills, cursor: '' });
        expect(f instanceof ParseError).toBe(hasBadDecimal(...fills.flatMap((x) => [x.price, x.size, x.commission])));
        if (!(f instanceof ParseError)) fillsFromWire(f, 'USD').forEach(expectFill);
        const a = parseAccounts({ accounts: [{ currency: 'BTC', available_balance: { value: available, currency: 'BTC' }, hold: { value: hold, currency: 'BTC' } }] });
        expect(a instanceof ParseError).toBe(hasBadDecimal(available, hold));
      }),
    );
  }, TIMEOUT);

  it('error answers of any status / body / text map to a VenueError', () => {
    fuzz(
      fc.property(fc.integer({ min: 0, max: 999 }), randomBody, fc.string({ unit: 'binary', maxLength: 300 }), fc.boolean(), (status, spec, text, mutating) => {
        expect(coinbaseError(status, bodyOf(spec), text, { label: 'POST /orders', mutating, retryAfterMs: 5 })).toBeInstanceOf(VenueError);
      }),
    );
  }, TIMEOUT);
});
