import { InstrumentCache } from './instrument-cache';
import type { InstrumentInfo } from './instrument';
import { OrderStateCache } from './order-state';
import { OrderUpdates } from './order-updates';
import type { OrderState } from './trading';

const open: OrderState = {
  venue: 'binance',
  symbol: 'BTC-USDT',
  clientOrderId: 'a0123456789abcdef0123-b',
  venueOrderId: '1',
  side: 'buy',
  status: 'new',
  final: false,
  requestedQty: '1',
  filledQty: '0',
  avgPrice: null,
  filledQuote: '0',
  fee: '0',
  feeAsset: 'USDT',
  fills: [],
  updatedTs: 1,
};

function setup(reread: (o: OrderState) => Promise<unknown> = () => Promise.resolve()): { u: OrderUpdates; seen: OrderState[]; errors: Error[] } {
  const errors: Error[] = [];
  const u = new OrderUpdates({ cache: new OrderStateCache(100, false), onError: (e) => errors.push(e), reread });
  const seen: OrderState[] = [];
  u.listen((o) => seen.push(o));
  return { u, seen, errors };
}

describe('OrderUpdates', () => {
  it('tells listeners only when an order advanced; a throwing listener is reported, the others still hear', () => {
    const { u, seen, errors } = setup();
    u.listen(() => {
      throw new Error('listener broke');
    });
    u.publish(open);
    u.publish({ ...open, updatedTs: 2 });
    u.publish({ ...open, status: 'filled', final: true, filledQty: '1', filledQuote: '100', updatedTs: 3 });
    expect(seen.map((o) => o.status)).toEqual(['new', 'filled']);
    expect(errors.map((e) => e.message)).toEqual(['listener broke', 'listener broke']);
  });

  it('re-reads the open orders when the stream is live again, not on the first live', async () => {
    const reread = jest.fn((o: OrderState) => (o.clientOrderId === open.clientOrderId ? Promise.reject(new Error('venue down')) : Promise.resolve()));
    const { u, errors } = setup(reread);
    u.publish(open);
    u.publish({ ...open, clientOrderId: 'b0123456789abcdef0123-b' });
    u.streamState('subscribing');
    u.streamState('live');
    expect(reread).not.toHaveBeenCalled();
    u.streamState('connecting');
    u.streamState('live');
    await new Promise((r) => setImmediate(r));
    expect(reread).toHaveBeenCalledTimes(2);
    expect(errors.map((e) => e.message)).toEqual(['venue down']);
  });
});

describe('InstrumentCache', () => {
  const info = (symbol: string): InstrumentInfo => ({ symbol, venueSymbol: symbol.replace('-', '') }) as InstrumentInfo;

  it('loads only what is missing or expired and leaves unknown symbols out', async () => {
    const cache = new InstrumentCache(60_000);
    const load = jest.fn((stale: string[]) => Promise.resolve(stale.filter((s) => s !== 'NOPE-USD').map(info)));
    expect((await cache.get(['BTC-USDT', 'NOPE-USD'], load)).map((i) => i.symbol)).toEqual(['BTC-USDT']);
    expect((await cache.get(['BTC-USDT', 'ETH-USDT'], load)).map((i) => i.symbol)).toEqual(['BTC-USDT', 'ETH-USDT']);
    expect(load.mock.calls).toEqual([[['BTC-USDT', 'NOPE-USD']], [['ETH-USDT']]]);
    expect(cache.peek('ETH-USDT')?.venueSymbol).toBe('ETHUSDT');
    expect(await new InstrumentCache(-1).get(['BTC-USDT'], load)).toHaveLength(1);
  });
});
