import Big from 'big.js';
import { Client, getJson, HOST } from './helpers';
import { cdpJwt } from './sign';
import { QUIET, coinbase, startTradingSim, trueBook, type TradingSim } from './trading-helpers';

const P = '/api/v3/brokerage';

interface Created {
  success: boolean;
  order_id: string;
  error_response?: { error: string; preview_failure_reason: string };
}
interface CbOrder {
  order_id: string;
  status: string;
  order_type: string;
  time_in_force: string;
  order_configuration: Record<string, Record<string, unknown>>;
  filled_size: string;
  filled_value: string;
  total_fees: string;
  outstanding_hold_amount: string;
}
interface Message {
  channel: string;
  sequence_num: number;
  events: Array<Record<string, unknown>>;
}

/** Coinbase resting orders, market orders, the market-data socket's other channels, and the start-up endpoints. */
describe('coinbase sim: resting orders, market orders, channels, start-up endpoints', () => {
  let t: TradingSim;
  const clients: Client[] = [];
  let n = 0;
  beforeAll(async () => {
    t = await startTradingSim({ ...QUIET, trading: { coinbase: { takerFee: '0.006', makerFee: '0.004' } } });
  });
  afterAll(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await t.sim.stop();
  });

  const create = (side: 'BUY' | 'SELL', configuration: Record<string, unknown>) =>
    coinbase<Created>(t.coinbaseUrl, t.cb, 'POST', `${P}/orders`, { client_order_id: `cb-${++n}`, product_id: 'BTC-USDT', side, order_configuration: configuration });
  const get = async (id: string): Promise<CbOrder> => (await coinbase<{ order: CbOrder }>(t.coinbaseUrl, t.cb, 'GET', `${P}/orders/historical/${id}`)).body.order;

  async function marketSocket(subscribe: Array<Record<string, unknown>>): Promise<Client> {
    const ws = new Client(`ws://${HOST}:${t.sim.ports.coinbase}/`);
    clients.push(ws);
    await ws.opened();
    for (const s of subscribe) ws.send(s);
    return ws;
  }
  const messages = (ws: Client): Message[] => ws.json() as Message[];

  it('limit_limit_gtc rests (OPEN, hold, listed open, in the book); a sell fills it as maker (user channel on the market socket); batch_cancel', async () => {
    const ws = await marketSocket([{ type: 'subscribe', channel: 'user', product_ids: ['BTC-USDT'], jwt: cdpJwt(t.cb) }]);
    await ws.until(() => messages(ws).some((m) => m.channel === 'subscriptions'), 5000, 'the user subscription');
    const bid = (await trueBook(t.control, 'coinbase', 'BTC-USDT')).bids[0]?.[0] as string;
    const price = new Big(bid).plus('0.50').toFixed(2); // inside the spread: the best bid alone
    const r = await create('BUY', { limit_limit_gtc: { base_size: '0.4', limit_price: price, post_only: true } });
    expect(r.body.success).toBe(true);
    const o = await get(r.body.order_id);
    expect(o).toMatchObject({ status: 'OPEN', order_type: 'LIMIT', time_in_force: 'GOOD_UNTIL_CANCELLED', order_configuration: { limit_limit_gtc: { base_size: '0.4', limit_price: price, post_only: true } } });
    expect(new Big(o.outstanding_hold_amount).eq(new Big(price).times('0.4').times('1.006'))).toBe(true);
    expect((await trueBook(t.control, 'coinbase', 'BTC-USDT')).bids[0]).toEqual([price, '0.40000000']);
    const open = await coinbase<{ orders: CbOrder[] }>(t.coinbaseUrl, t.cb, 'GET', `${P}/orders/historical/batch?order_status=OPEN&product_ids=BTC-USDT`);
    expect(open.body.orders.map((x) => x.order_id)).toEqual([r.body.order_id]);
    const sell = await create('SELL', { sor_limit_ioc: { base_size: '0.1', limit_price: price } });
    expect((await get(sell.body.order_id)).status).toBe('FILLED');
    const part = await get(r.body.order_id);
    expect(part).toMatchObject({ status: 'OPEN', filled_size: '0.1', total_fees: new Big(price).times('0.1').times('0.004').round(8, 0).toFixed() });
    const fills = await coinbase<{ fills: Array<{ order_id: string; liquidity_indicator: string; price: string }> }>(t.coinbaseUrl, t.cb, 'GET', `${P}/orders/historical/fills?order_ids=${r.body.order_id}`);
    expect(fills.body.fills.map((f) => [f.liquidity_indicator, f.price])).toEqual([['MAKER', price]]);
    const cancel = await coinbase<{ results: Array<{ success: boolean }> }>(t.coinbaseUrl, t.cb, 'POST', `${P}/orders/batch_cancel`, { order_ids: [r.body.order_id] });
    expect(cancel.body.results).toEqual([expect.objectContaining({ success: true })]);
    expect((await get(r.body.order_id))).toMatchObject({ status: 'CANCELLED', filled_size: '0.1', outstanding_hold_amount: '0' });
    await ws.until(() => messages(ws).some((m) => m.channel === 'user' && JSON.stringify(m.events).includes('CANCELLED')), 5000, 'the cancel update');
    const updates = messages(ws)
      .filter((m) => m.channel === 'user')
      .flatMap((m) => m.events.flatMap((e) => (e.orders as Array<{ order_id: string; status: string; cumulative_quantity: string; post_only: string }>) ?? []))
      .filter((x) => x.order_id === r.body.order_id);
    expect(updates.map((u) => [u.status, u.cumulative_quantity])).toEqual([
      ['OPEN', '0'],
      ['OPEN', '0.1'],
      ['CANCELLED', '0.1'],
    ]);
    expect(updates[0]?.post_only).toBe('true');
  });

  it('market_market_ioc by quote_size (never spends more) and by base_size; limit_limit_fok all or nothing', async () => {
    const byQuote = await create('BUY', { market_market_ioc: { quote_size: '2500' } });
    const q = await get(byQuote.body.order_id);
    expect(q).toMatchObject({ status: 'FILLED', order_type: 'MARKET', order_configuration: { market_market_ioc: { quote_size: '2500' } } });
    expect(new Big(q.filled_value).lte(2500)).toBe(true);
    const byBase = await get((await create('SELL', { market_market_ioc: { base_size: '0.01' } })).body.order_id);
    expect(byBase).toMatchObject({ status: 'FILLED', filled_size: '0.01' });
    const [ask, askSize] = (await trueBook(t.control, 'coinbase', 'BTC-USDT')).asks[0] as [string, string];
    const fok = await get((await create('BUY', { limit_limit_fok: { base_size: new Big(askSize).plus(5).toFixed(), limit_price: ask } })).body.order_id);
    expect(fok).toMatchObject({ status: 'EXPIRED', filled_size: '0', time_in_force: 'FILL_OR_KILL' });
    const bad = await create('BUY', { market_market_ioc: { quote_size: '100', base_size: '1' } });
    expect(bad.status).toBe(400);
  });

  it('ticker, market_trades and status channels: snapshots, then an update per trade', async () => {
    const ws = await marketSocket([
      { type: 'subscribe', channel: 'ticker', product_ids: ['BTC-USDT'] },
      { type: 'subscribe', channel: 'market_trades', product_ids: ['BTC-USDT'] },
      { type: 'subscribe', channel: 'status' },
    ]);
    await ws.until(() => messages(ws).filter((m) => m.channel === 'subscriptions').length >= 3, 5000, 'three acks');
    const snap = (c: string) => messages(ws).find((m) => m.channel === c)?.events[0] ?? {};
    expect(snap('ticker')).toMatchObject({ type: 'snapshot', tickers: [expect.objectContaining({ type: 'ticker', product_id: 'BTC-USDT', best_bid: expect.any(String), best_ask: expect.any(String) })] });
    expect(snap('market_trades')).toMatchObject({ type: 'snapshot', trades: expect.any(Array) });
    expect(snap('status')).toMatchObject({ type: 'snapshot', products: [expect.objectContaining({ id: 'BTC-USDT', status: 'online' }), expect.objectContaining({ id: 'ETH-USDT' })] });
    const ask = (await trueBook(t.control, 'coinbase', 'BTC-USDT')).asks[0]?.[0] as string;
    const r = await create('BUY', { sor_limit_ioc: { base_size: '0.001', limit_price: ask } });
    expect(r.body.success).toBe(true);
    await ws.until(() => messages(ws).some((m) => m.channel === 'market_trades' && m.events[0]?.type === 'update'), 5000, 'a trade update');
    const trade = (messages(ws).find((m) => m.channel === 'market_trades' && m.events[0]?.type === 'update')?.events[0]?.trades as Array<Record<string, string>>)[0];
    expect(trade).toMatchObject({ product_id: 'BTC-USDT', price: ask, side: 'BUY' });
    expect(new Big(trade?.size ?? '0').eq('0.001')).toBe(true);
    await ws.until(() => messages(ws).some((m) => m.channel === 'ticker' && m.events[0]?.type === 'update'), 5000, 'a ticker update');
    const ticker = (messages(ws).find((m) => m.channel === 'ticker' && m.events[0]?.type === 'update')?.events[0]?.tickers as Array<Record<string, string>>)[0];
    expect(ticker).toMatchObject({ price: ask });
    const seqs = messages(ws).map((m) => m.sequence_num);
    expect(seqs).toEqual(seqs.map((_, i) => (seqs[0] as number) + i));
    ws.send({ type: 'subscribe', channel: 'candles', product_ids: ['BTC-USDT'] });
    await ws.until(() => (ws.json() as Array<{ type?: string }>).some((m) => m.type === 'error'), 5000, 'an error for an unserved channel');
  });

  it('start-up endpoints: transaction_summary, v2 accounts (JWT), currencies, crypto currencies, exchange rates', async () => {
    const summary = await coinbase<{ fee_tier: { taker_fee_rate: string; maker_fee_rate: string }; total_volume: number }>(t.coinbaseUrl, t.cb, 'GET', `${P}/transaction_summary`);
    expect(summary.body.fee_tier).toMatchObject({ taker_fee_rate: '0.006', maker_fee_rate: '0.004' });
    expect(summary.body.total_volume).toBeGreaterThan(0);
    const v2 = await coinbase<{ data: Array<{ type: string; currency: { code: string }; balance: { amount: string } }> }>(t.coinbaseUrl, t.cb, 'GET', '/v2/accounts');
    expect(v2.status).toBe(200);
    expect(v2.body.data.map((a) => [a.type, a.currency.code])).toEqual([
      ['wallet', 'BTC'],
      ['wallet', 'ETH'],
      ['wallet', 'USDT'],
    ]);
    expect(v2.body.data[1]?.balance.amount).toBe('100');
    expect((await fetch(`${t.coinbaseUrl}/v2/accounts`)).status).toBe(401);
    expect((await getJson<{ data: Array<{ id: string }> }>(`${t.coinbaseUrl}/v2/currencies`)).body.data.map((c) => c.id)).toContain('USD');
    expect((await getJson<{ data: Array<{ code: string; exponent: number }> }>(`${t.coinbaseUrl}/v2/currencies/crypto`)).body.data.map((c) => c.code)).toEqual(['BTC', 'ETH', 'USDT']);
    const rates = (await getJson<{ data: { currency: string; rates: Record<string, string> } }>(`${t.coinbaseUrl}/v2/exchange-rates?currency=BTC`)).body.data;
    expect(rates.currency).toBe('BTC');
    expect(Number(rates.rates.USDT)).toBeGreaterThan(60000);
    expect(rates.rates.BTC).toBe('1');
    expect((await getJson(`${t.coinbaseUrl}/v2/exchange-rates?currency=XYZ`)).status).toBe(400);
  });
});
