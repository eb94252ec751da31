import type { SimOrder, TradeRecord } from './records';
import { dropWarmup } from './sim-truth';

const order = (cid: string, createdTs: number): SimOrder => ({
  venue: 'binance',
  symbol: 'BTC-USDT',
  clientOrderId: cid,
  side: 'buy',
  requestedQty: '1',
  filledQty: '1',
  filledQuote: '100',
  fee: '0',
  feeAsset: 'USDT',
  createdTs,
});
const trade = (id: string, ts: number, extra: string[] = []): TradeRecord => ({
  id,
  route: 'BTC-USDT:binance>coinbase',
  symbol: 'BTC-USDT',
  ts,
  size: '1',
  oracleQuote: '1',
  buyCid: `${id}-b`,
  sellCid: `${id}-s`,
  extraCids: extra,
});

describe('dropWarmup', () => {
  it('leaves out trades decided before the start and their orders, hedges included', () => {
    const r = dropWarmup(
      [trade('w', 900, ['w-h1']), trade('m', 1100)],
      [order('w-b', 950), order('w-s', 950), order('w-h1', 1050), order('m-b', 1150), order('m-s', 1150)],
      1000,
    );
    expect(r.trades.map((t) => t.id)).toEqual(['m']);
    expect(r.orders.map((o) => o.clientOrderId)).toEqual(['m-b', 'm-s']);
  });

  it('leaves out an unrecorded trade whose first order reached the sim before the start, even its later hedges', () => {
    const r = dropWarmup([trade('m', 1100)], [order('x-b', 990), order('x-h1', 1020), order('m-b', 1150), order('y-b', 1200)], 1000);
    // y started after the start and nobody recorded it: it stays, so the matcher reports it unmatched.
    expect(r.orders.map((o) => o.clientOrderId)).toEqual(['m-b', 'y-b']);
  });
});
