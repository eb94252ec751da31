import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError } from '../common/parse-error';
import { parseBinanceFrame, parseDepthSnapshot, parseExchangeInfo, type BinanceEvent } from './parse';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

function ok(r: BinanceEvent | ParseError): BinanceEvent {
  if (r instanceof ParseError) throw new Error(`unexpected ParseError: ${r.message}`);
  return r;
}

describe('parseBinanceFrame: documented examples', () => {
  it('parses a raw diff depth event with exact decimal strings', () => {
    expect(ok(parseBinanceFrame(fixture('depth-update.json')))).toEqual({
      kind: 'depth',
      venueSymbol: 'BNBBTC',
      firstId: 157,
      lastId: 160,
      eventTs: 1672515782136,
      bids: [['0.0024', '10']],
      asks: [['0.0026', '100']],
    });
  });

  it('unwraps a combined-stream frame', () => {
    const ev = ok(parseBinanceFrame(fixture('combined-depth-update.json')));
    expect(ev.kind).toBe('depth');
    expect(ev).toMatchObject({ venueSymbol: 'BNBBTC', firstId: 157, lastId: 160 });
  });

  it('parses bookTicker, subscribe responses, errors and partial depth', () => {
    expect(ok(parseBinanceFrame(fixture('book-ticker.json')))).toEqual({
      kind: 'bookTicker',
      venueSymbol: 'BNBUSDT',
      updateId: 400900217,
      bid: ['25.35190000', '31.21000000'],
      ask: ['25.36520000', '40.66000000'],
    });
    expect(ok(parseBinanceFrame(fixture('subscribe-response.json')))).toEqual({ kind: 'response', id: 1, result: null });
    expect(ok(parseBinanceFrame(fixture('ws-error.json')))).toEqual({ kind: 'error', code: 2, msg: 'Invalid request: too many parameters' });
    expect(ok(parseBinanceFrame(`{"stream":"bnbbtc@depth5","data":${fixture('partial-depth.json')}}`))).toEqual({
      kind: 'other',
      stream: 'bnbbtc@depth5',
    });
    expect(ok(parseBinanceFrame('{"e":"serverShutdown","E":1}'))).toEqual({ kind: 'serverShutdown' });
  });

  it('parses the REST depth snapshot and exchangeInfo', () => {
    expect(parseDepthSnapshot(JSON.parse(fixture('depth-snapshot.json')))).toEqual({
      lastUpdateId: 1027024,
      bids: [['4.00000000', '431.00000000']],
      asks: [['4.00000200', '12.00000000']],
    });
    expect(parseExchangeInfo(JSON.parse(fixture('exchange-info.json')), new Map([['ETH-BTC', 'ETHBTC']]))).toEqual([
      {
        symbol: 'ETH-BTC',
        venueSymbol: 'ETHBTC',
        baseAsset: 'ETH',
        quoteAsset: 'BTC',
        trading: true,
        tickSize: '0.00000100',
        stepSize: '0.00100000',
        minQty: '0.00100000',
        maxQty: '100000.00000000',
        minNotional: '10.00000000',
        maxNotional: '10000.00000000',
      },
    ]);
    expect(parseExchangeInfo(JSON.parse(fixture('exchange-info.json')), new Map([['BTC-USDT', 'BTCUSDT']]))).toEqual([]);
  });
});

describe('parseBinanceFrame: malformed frames are returned as ParseError, never thrown', () => {
  const depth = (patch: Record<string, unknown>): string =>
    JSON.stringify({ stream: 'btcusdt@depth@100ms', data: { e: 'depthUpdate', E: 1, s: 'BTCUSDT', U: 5, u: 6, b: [['100.1', '1']], a: [], ...patch } });

  it.each([
    ['bad JSON', '{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","s":"BTCUSDT",', 'BTCUSDT'],
    ['missing U', depth({ U: undefined }), 'BTCUSDT'],
    ['negative size', depth({ b: [['100.1', '-1']] }), 'BTCUSDT'],
    ['numeric price', depth({ a: [[100.2, '1']] }), 'BTCUSDT'],
    ['exponent price', depth({ a: [['1e2', '1']] }), 'BTCUSDT'],
    ['zero price', depth({ b: [['0.00', '1']] }), 'BTCUSDT'],
    ['U > u', depth({ U: 7, u: 6 }), 'BTCUSDT'],
    ['three-element level', depth({ b: [['1', '2', '3']] }), 'BTCUSDT'],
    ['stream/symbol mismatch', depth({ s: 'ETHUSDT' }), 'ETHUSDT'],
  ])('%s', (_name, text, symbol) => {
    const r = parseBinanceFrame(text);
    expect(r).toBeInstanceOf(ParseError);
    expect((r as ParseError).venueSymbol).toBe(symbol);
  });

  it.each([['[]'], ['null'], ['42'], ['{"hello":"world"}'], [''], ['{"stream":"x","data":5}']])('rejects %j', (text) => {
    expect(parseBinanceFrame(text)).toBeInstanceOf(ParseError);
  });

  it('rejects malformed snapshots and exchangeInfo', () => {
    expect(parseDepthSnapshot({ lastUpdateId: 1, bids: [['1', '-2']], asks: [] })).toBeInstanceOf(ParseError);
    expect(parseDepthSnapshot({ bids: [], asks: [] })).toBeInstanceOf(ParseError);
    expect(parseDepthSnapshot('nope')).toBeInstanceOf(ParseError);
    expect(parseExchangeInfo({ symbols: 'x' }, new Map())).toBeInstanceOf(ParseError);
  });
});

/** `depth` nested arrays: deeper than JSON.stringify (and String()) can walk. */
function deepArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('regressions found by fuzzing (parse.fuzz.test.ts)', () => {
  it('a body nested deeper than the call stack is a ParseError, not a RangeError', () => {
    expect(parseDepthSnapshot(deepArray(20_000))).toBeInstanceOf(ParseError);
    expect(parseExchangeInfo(deepArray(20_000), new Map())).toBeInstanceOf(ParseError);
  });
});
