/**
 * Fuzz / property suite for trading-parse.ts: REST order / account / myTrades / time bodies, WebSocket API frames
 * followed into an OrderState, and error answers. Nothing throws; every OrderState / fill / balance handed out has
 * exact decimal strings; generated answers are refused exactly when a decimal or the status is malformed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  bodyOf,
  canonical,
  damage,
  expectBalance,
  expectFill,
  expectOrderState,
  expectParseError,
  fuzz,
  hasBadDecimal,
  maybeBadDecimal,
  mutate,
  mutatedText,
  mutationsOf,
  posDecimal,
  randomBody,
  randomText,
  textDamage,
  TIMEOUT,
} from '../../test/fuzz-kit';
import { ParseError } from '../common/parse-error';
import { VenueError } from '../common/trading-errors';
import { binanceError, fillsFromTrades, orderStateFromReport, parseAccount, parseMyTrades, parseOrderBody, parseServerTime, parseWsApiFrame } from './trading-parse';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(__dirname, 'fixtures', 'trading', name), 'utf8')) as unknown;
const STATUSES = ['NEW', 'PENDING_NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'PENDING_CANCEL', 'REJECTED', 'EXPIRED', 'EXPIRED_IN_MATCH'];
const mutations = mutationsOf([...STATUSES, 'executionReport', 'eventStreamTerminated', 'TRADE', 'BUY', 'SELL', 'NONE']);

const ORDER_BODIES = ['order-full.json', 'order-query.json', 'order-cancel.json'].map(fixture);
const REPORT = fixture('execution-report.json') as { event: object };
const ACCOUNT = { balances: [{ asset: 'BTC', free: '4723846.89208129', locked: '0.00000000' }, { asset: 'LTC', free: '4763368.68006011', locked: '0.00000000' }] };
const TRADES = [
  { symbol: 'BNBBTC', id: 28457, orderId: 100234, orderListId: -1, price: '4.00000100', qty: '12.00000000', quoteQty: '48.000012', commission: '10.10000000', commissionAsset: 'BNB', time: 1499865549590, isBuyer: true, isMaker: false, isBestMatch: true },
];

function checkOrderBody(body: unknown): void {
  const r = parseOrderBody(body, 'BTC-USDT');
  if (r instanceof ParseError) expectParseError(r);
  else expectOrderState(r, 'binance', 'BTC-USDT');
}
function checkWsApiFrame(text: string): void {
  const f = parseWsApiFrame(text);
  if (f instanceof ParseError) return expectParseError(f);
  if (f.kind !== 'executionReport') return;
  const s = orderStateFromReport(f.report, 'ETH-BTC');
  if (s instanceof ParseError) expectParseError(s);
  else expectOrderState(s, 'binance', 'ETH-BTC');
}
function checkSmallBodies(body: unknown): void {
  const a = parseAccount(body);
  if (a instanceof ParseError) expectParseError(a);
  else a.forEach(expectBalance);
  const t = parseServerTime(body);
  if (t instanceof ParseError) expectParseError(t);
  else expect(Number.isFinite(t)).toBe(true);
  const m = parseMyTrades(body);
  if (m instanceof ParseError) expectParseError(m);
  else fillsFromTrades(m).forEach(expectFill);
}

describe('Binance trading parsers (fuzz)', () => {
  it('random bodies (incl. nesting deeper than the stack) never throw out of any trading parser', () => {
    fuzz(
      fc.property(randomBody, (spec) => {
        checkOrderBody(bodyOf(spec));
        checkSmallBodies(bodyOf(spec));
      }),
    );
  }, TIMEOUT);

  it('mutated order bodies never throw and stay well-typed', () => {
    fuzz(fc.property(fc.constantFrom(...ORDER_BODIES), mutations, (doc, ms) => checkOrderBody(mutate(doc, ms).doc)));
  }, TIMEOUT);

  it('mutated account and myTrades bodies never throw and stay well-typed', () => {
    fuzz(fc.property(fc.constantFrom<unknown>(ACCOUNT, TRADES), mutations, (doc, ms) => checkSmallBodies(mutate(doc, ms).doc)));
  }, TIMEOUT);

  it('random and mutated WebSocket API frames, followed into an OrderState, never throw and stay well-typed', () => {
    fuzz(fc.property(randomText, (t) => checkWsApiFrame(t)));
    fuzz(fc.property(mutations, fc.option(textDamage, { nil: undefined }), (ms, d) => checkWsApiFrame(damage(mutatedText(REPORT, ms), d))));
  }, TIMEOUT);

  const status = fc.constantFrom(...STATUSES, 'BOGUS');
  const reportFields = fc.record({
    X: status,
    x: fc.constantFrom('NEW', 'TRADE', 'CANCELED', 'EXPIRED', 'REJECTED'),
    S: fc.constantFrom('BUY', 'SELL'),
    q: maybeBadDecimal,
    z: maybeBadDecimal,
    Z: maybeBadDecimal,
    l: maybeBadDecimal,
    L: maybeBadDecimal,
    n: fc.option(maybeBadDecimal),
    N: fc.option(fc.constantFrom('BTC', 'ETH', 'BNB', '')),
    t: fc.integer({ min: -1, max: 1e9 }),
    C: fc.option(fc.constantFrom('', 'orig-1')),
  });
  const withReport = (r: object): object => ({ ...REPORT, event: { ...REPORT.event, ...r } });

  it('generated execution reports (every status, trades with fees) are refused exactly when a decimal or the status is bad', () => {
    fuzz(
      fc.property(reportFields, (r) => {
        const f = parseWsApiFrame(JSON.stringify(withReport(r)));
        if (f instanceof ParseError || f.kind !== 'executionReport') throw new Error('the frame itself is well-formed');
        const s = orderStateFromReport(f.report, 'ETH-BTC');
        expect(s instanceof ParseError).toBe(hasBadDecimal(r.q, r.z, r.Z, r.l, r.L, r.n) || r.X === 'BOGUS');
        if (!(s instanceof ParseError)) expectOrderState(s, 'binance', 'ETH-BTC');
      }),
    );
  }, TIMEOUT);

  it('mutated generated execution reports never throw and stay well-typed', () => {
    fuzz(fc.property(reportFields, mutations, (r, ms) => checkWsApiFrame(mutatedText(withReport(r), ms))));
  }, TIMEOUT);

  const fill = fc.record({ price: maybeBadDecimal, qty: maybeBadDecimal, commission: maybeBadDecimal, commissionAsset: fc.constantFrom('BTC', 'USDT', ''), tradeId: fc.nat() });
  const orderFields = fc.record({
    status,
    side: fc.constantFrom('BUY', 'SELL'),
    origQty: maybeBadDecimal,
    executedQty: maybeBadDecimal,
    cummulativeQuoteQty: maybeBadDecimal,
    fills: fc.array(fill, { maxLength: 3 }),
  });
  const withOrder = (o: object): object => ({ ...(ORDER_BODIES[0] as object), ...o });

  it('generated order bodies (every status, fills) are refused exactly when a decimal or the status is bad', () => {
    fuzz(
      fc.property(orderFields, (o) => {
        const s = parseOrderBody(withOrder(o), 'BTC-USDT');
        const bad = hasBadDecimal(o.origQty, o.executedQty, o.cummulativeQuoteQty, ...o.fills.flatMap((f) => [f.price, f.qty, f.commission]));
        expect(s instanceof ParseError).toBe(bad || o.status === 'BOGUS');
        if (!(s instanceof ParseError)) expectOrderState(s, 'binance', 'BTC-USDT');
      }),
    );
  }, TIMEOUT);

  it('mutated generated order bodies never throw and stay well-typed', () => {
    fuzz(fc.property(orderFields, mutations, (o, ms) => checkOrderBody(mutate(withOrder(o), ms).doc)));
  }, TIMEOUT);

  it('valid order bodies keep their quantities exactly (canonical form)', () => {
    const qty = posDecimal.filter((d) => d.length <= 30);
    fuzz(
      fc.property(qty, qty, fc.constantFrom(...STATUSES), fc.constantFrom('BUY', 'SELL'), (origQty, quote, st, side) => {
        const s = parseOrderBody({ ...(ORDER_BODIES[1] as object), origQty, executedQty: origQty, cummulativeQuoteQty: quote, status: st, side }, 'LTC-BTC');
        if (s instanceof ParseError) throw s;
        expectOrderState(s, 'binance', 'LTC-BTC');
        expect([s.requestedQty, s.filledQty, s.filledQuote]).toEqual([canonical(origQty), canonical(origQty), canonical(quote)]);
        expect(s.side).toBe(side === 'BUY' ? 'buy' : 'sell');
      }),
    );
  }, TIMEOUT);

  it('error answers of any status / body / text map to a VenueError', () => {
    fuzz(
      fc.property(fc.integer({ min: 0, max: 999 }), randomBody, fc.string({ unit: 'binary', maxLength: 300 }), fc.boolean(), (status, spec, text, mutating) => {
        const e = binanceError(status, bodyOf(spec), text, { label: 'POST /api/v3/order', mutating, retryAfterMs: 5, timeoutMs: 1000 });
        expect(e).toBeInstanceOf(VenueError);
      }),
    );
  }, TIMEOUT);
});
