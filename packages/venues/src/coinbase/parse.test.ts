import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParseError } from '../common/parse-error';
import { parseCoinbaseFrame, parseProducts, type CoinbaseFrame } from './parse';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

function ok(r: CoinbaseFrame | ParseError): CoinbaseFrame {
  if (r instanceof ParseError) throw new Error(`unexpected ParseError: ${r.message}`);
  return r;
}

describe('parseCoinbaseFrame: documented examples', () => {
  it('parses the level2 snapshot example, splitting sides, keeping decimal strings', () => {
    expect(ok(parseCoinbaseFrame(fixture('l2-snapshot.json')))).toEqual({
      kind: 'l2',
      seq: 0,
      ts: Date.UTC(2023, 1, 9, 20, 32, 50, 714),
      events: [
        {
          type: 'snapshot',
          productId: 'BTC-USD',
          bids: [
            ['21921.73', '0.06317902'],
            ['21921.3', '0.02'],
          ],
          asks: [],
        },
      ],
    });
  });

  it('parses an update with offers and deletions', () => {
    const f = ok(parseCoinbaseFrame(fixture('l2-update.json')));
    expect(f).toMatchObject({ kind: 'l2', seq: 1, events: [{ type: 'update', bids: [['21921.3', '0']], asks: [['21922.17', '0.5']] }] });
  });

  it('parses heartbeats (string counter) and passes other channels through with their sequence', () => {
    expect(ok(parseCoinbaseFrame(fixture('heartbeats.json')))).toEqual({ kind: 'heartbeat', seq: 0, counter: 3049 });
    expect(ok(parseCoinbaseFrame(fixture('ticker.json')))).toEqual({ kind: 'other', seq: 0, channel: 'ticker' });
    expect(ok(parseCoinbaseFrame(fixture('subscriptions.json')))).toEqual({ kind: 'other', seq: 2, channel: 'subscriptions' });
    expect(ok(parseCoinbaseFrame('{"type":"error","message":"failure to subscribe"}'))).toEqual({ kind: 'error', message: 'failure to subscribe' });
  });

  it('parses public products into instrument rules', () => {
    expect(parseProducts(JSON.parse(fixture('products.json')), new Map([['BTC-USD', 'BTC-USD']]))).toEqual([
      {
        symbol: 'BTC-USD',
        venueSymbol: 'BTC-USD',
        baseAsset: 'BTC',
        quoteAsset: 'USD',
        trading: true,
        tickSize: '0.01',
        stepSize: '0.00000001',
        minQty: '0.00000001',
        maxQty: '3400',
        minNotional: '1',
        maxNotional: '150000000',
      },
    ]);
  });

  it('reads num_products as the venue sends it (a string) or as an integer', () => {
    const body = JSON.parse(fixture('products.json')) as Record<string, unknown>;
    const wanted = new Map([['BTC-USD', 'BTC-USD']]);
    expect(parseProducts({ ...body, num_products: '646' }, wanted)).toEqual(parseProducts(body, wanted));
    expect(parseProducts({ ...body, num_products: '646' }, wanted)).not.toBeInstanceOf(ParseError);
  });
});

describe('parseCoinbaseFrame: malformed frames', () => {
  const l2 = (updates: unknown[], extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ channel: 'l2_data', timestamp: '2023-02-09T20:32:50Z', sequence_num: 7, events: [{ type: 'update', product_id: 'BTC-USD', updates }], ...extra });

  it.each([
    ['negative quantity', l2([{ side: 'bid', price_level: '1', new_quantity: '-1' }])],
    ['numeric price', l2([{ side: 'bid', price_level: 1, new_quantity: '1' }])],
    ['zero price', l2([{ side: 'offer', price_level: '0', new_quantity: '1' }])],
    ['unknown side', l2([{ side: 'buy', price_level: '1', new_quantity: '1' }])],
    ['missing new_quantity', l2([{ side: 'bid', price_level: '1' }])],
  ])('%s → ParseError keeping seq and product', (_n, text) => {
    const r = parseCoinbaseFrame(text);
    expect(r).toBeInstanceOf(ParseError);
    expect((r as ParseError).seq).toBe(7);
    expect((r as ParseError).venueSymbol).toBe('BTC-USD');
  });

  it('bad JSON: sequence and product sniffed from the text when present', () => {
    const r = parseCoinbaseFrame('{"channel":"l2_data","sequence_num":42,"events":[{"type":"update","product_id":"ETH-USD","updates":[{');
    expect(r).toBeInstanceOf(ParseError);
    expect((r as ParseError).seq).toBe(42);
    expect((r as ParseError).venueSymbol).toBe('ETH-USD');
    const r2 = parseCoinbaseFrame('garbage');
    expect((r2 as ParseError).seq).toBeNull();
  });

  it.each([['[]'], ['null'], ['{"channel":"l2_data"}'], ['{"channel":"heartbeats","sequence_num":1,"events":[{}]}'], ['{"sequence_num":-1,"channel":"x","events":[]}']])(
    'rejects %s',
    (text) => {
      expect(parseCoinbaseFrame(text)).toBeInstanceOf(ParseError);
    },
  );

  it('rejects a malformed products body', () => {
    expect(parseProducts({ products: [{ product_id: 1 }] }, new Map())).toBeInstanceOf(ParseError);
  });
});

/** `depth` nested arrays: deeper than JSON.stringify (and String()) can walk. */
function deepArray(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

describe('regressions found by fuzzing (parse.fuzz.test.ts)', () => {
  it('a products body nested deeper than the call stack is a ParseError, not a RangeError', () => {
    expect(parseProducts(deepArray(20_000), new Map())).toBeInstanceOf(ParseError);
  });
});
