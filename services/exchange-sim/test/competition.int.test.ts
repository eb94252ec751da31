import Big from 'big.js';
import { postJson } from './helpers';
import { QUIET, binance, coinbase, poll, startTradingSim, trueBook, type TradingSim } from './trading-helpers';
import { getWindows, type WindowDoc } from './windows-client';
import { SIM_FEES } from './world-fixture';

interface BinanceAck {
  status: string;
  executedQty: string;
  cummulativeQuoteQty: string;
}
interface CbCreate {
  success: boolean;
  order_id: string;
}
interface CbOrder {
  status: string;
  filled_size: string;
  average_filled_price: string;
}

const P = '/api/v3/brokerage';

/**
 * Competition and adverse selection through the venues' real REST APIs. The market is quiet (it only moves when
 * dislocated) and trades at sim-mode fees (2 + 3 bps).
 */
describe('exchange-sim competition', () => {
  const sims: TradingSim[] = [];
  afterAll(() => Promise.all(sims.map((t) => t.sim.stop())));
  let n = 0;

  const start = async (patch: Record<string, unknown>): Promise<TradingSim> => {
    const t = await startTradingSim({ ...QUIET, trading: SIM_FEES, ...patch });
    sims.push(t);
    return t;
  };
  const cbOrder = async (t: TradingSim, side: 'BUY' | 'SELL', size: string, price: string): Promise<CbOrder> => {
    const r = await coinbase<CbCreate>(t.coinbaseUrl, t.cb, 'POST', `${P}/orders`, {
      client_order_id: `cmp-${++n}`,
      product_id: 'BTC-USDT',
      side,
      order_configuration: { sor_limit_ioc: { base_size: size, limit_price: price } },
    });
    if (!r.body.success) throw new Error(`coinbase order refused: ${JSON.stringify(r.body)}`);
    return (await coinbase<{ order: CbOrder }>(t.coinbaseUrl, t.cb, 'GET', `${P}/orders/historical/${r.body.order_id}`)).body.order;
  };
  const bnOrder = async (t: TradingSim, side: 'BUY' | 'SELL', qty: string, price: string): Promise<BinanceAck> =>
    (await binance<BinanceAck>(t.binanceUrl, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'IOC', quantity: qty, price, newOrderRespType: 'FULL' })).body;
  /**
   * Dislocates binance +30 bps (coinbase holds the old level for 10 s) and waits for the window to show (opened since
   * the call: on a loaded host a fast rival may already have closed it when the first poll is answered).
   */
  const openWindow = async (t: TradingSim): Promise<WindowDoc> => {
    const t0 = performance.timeOrigin + performance.now();
    expect((await postJson(`${t.control}/control/dislocate`, { symbol: 'BTC-USDT', venue: 'binance', bps: 30, durationMs: 10_000 })).status).toBe(200);
    return poll(async () => (await getWindows(t.control, `since=${t0}&symbol=BTC-USDT`)).windows[0], 5000, 'window', 5);
  };
  const closedWindow = (t: TradingSim, id: number): Promise<WindowDoc> =>
    poll(async () => (await getWindows(t.control, 'symbol=BTC-USDT')).windows.find((w) => w.id === id && !w.open), 20_000, 'window closed');

  it('an IOC sent at once fills; one sent after the rival swept the window misses the mispriced level', async () => {
    // A FIXED reaction of 5 s instead of the shipped lognormal (median 40 ms, p10 ~6 ms): the test client must be sure
    // to arrive first even on a loaded host, where the in-process sim runs up to 500 ms of model steps per catch-up
    // burst, one burst per event-loop turn of the client's requests. The shipped distribution is exercised by the
    // adverse-selection test below and by windows.int.test.ts.
    const t = await start({ rivals: { reaction: { distribution: 'fixed', medianMs: 5000 } } });
    const w = await openWindow(t);
    expect(w.open).toBe(true);
    const early = await cbOrder(t, 'BUY', '0.01', w.atOpen.buyPrice);
    expect(early).toMatchObject({ status: 'FILLED', filled_size: '0.01' });
    const closed = await closedWindow(t, w.id);
    expect(closed.closeReason).toBe('rival');
    expect(closed.rivalSweeps[0]?.reactionMs).toBe(5000);
    expect(closed.traders.map((x) => [x.venue, x.side, x.qty])).toEqual([['coinbase', 'buy', '0.01']]);
    const late = await cbOrder(t, 'BUY', '0.01', w.atOpen.buyPrice);
    expect(late.filled_size).toBe('0');
  });

  it('with competition off both fill (the window lasts its 10 s hold)', async () => {
    const t = await start({ rivals: { enabled: false } });
    const w = await openWindow(t);
    expect((await cbOrder(t, 'BUY', '0.01', w.atOpen.buyPrice)).filled_size).toBe('0.01');
    await new Promise((r) => setTimeout(r, 1000));
    expect((await cbOrder(t, 'BUY', '0.01', w.atOpen.buyPrice)).filled_size).toBe('0.01');
    expect((await getWindows(t.control, 'open=true')).windows.map((x) => x.id)).toEqual([w.id]);
  });

  it('adverse selection: after the rival closes the window the lagging venue quotes the fair price, and a hedge pays the move', async () => {
    // Shipped rival settings (lognormal reaction, median 40 ms).
    const t = await start({});
    const w = await openWindow(t);
    const closed = await closedWindow(t, w.id);
    expect(closed.closeReason).toBe('rival');
    const plannedBuy = new Big(w.atOpen.buyPrice);
    const grossBps = new Big(w.atOpen.sellPrice).div(plannedBuy).minus(1).times(10_000).toNumber();
    expect(grossBps).toBeGreaterThan(28);
    // Coinbase's top moved up to binance's (fair) level: it no longer quotes the pre-jump price.
    const cbTop = new Big((await poll(async () => (await trueBook(t.control, 'coinbase', 'BTC-USDT')).asks[0], 2000, 'coinbase ask'))[0]);
    expect(cbTop.div(plannedBuy).minus(1).times(10_000).toNumber()).toBeGreaterThan(0.85 * grossBps);
    // Our sell on the dear venue fills (the leader refilled at the fair price)...
    const sold = await bnOrder(t, 'SELL', '0.05', w.atOpen.sellPrice);
    expect(sold).toMatchObject({ status: 'FILLED', executedQty: '0.05000000' });
    // ...and completing the buy afterwards costs about the window's edge, not the old price.
    const hedge = await cbOrder(t, 'BUY', '0.05', plannedBuy.times('1.01').toFixed(2));
    expect(hedge.filled_size).toBe('0.05');
    const paidBps = new Big(hedge.average_filled_price).div(plannedBuy).minus(1).times(10_000).toNumber();
    expect(paidBps).toBeGreaterThan(0.85 * grossBps);
    expect(paidBps).toBeLessThan(1.15 * grossBps);
  });
});
