import Big from 'big.js';
import type { CcxtOrder, CcxtTrade } from '../ccxt';
import type { SimOrder } from '../control';
import { dec, onTick, sameDec } from '../decimals';
import { agreeBalances, agreeOrder, simOrder } from './agree';
import { CheckFailure, expectThat } from './failure';
import { eventually, sleep, type VenueSession } from './session';

const ASSETS = ['BTC', 'USDT'];

/** Best bid and ask of the simulator's true book now. */
async function top(s: VenueSession): Promise<{ bid: number; ask: number; bidSize: number }> {
  const b = await s.control.book(s.venue, s.simSymbol);
  const bid = b.bids[0];
  const ask = b.asks[0];
  if (!bid || !ask) throw new CheckFailure('the simulator book has an empty side');
  return { bid: Number(bid[0]), ask: Number(ask[0]), bidSize: Number(bid[1]) };
}

function needs(s: VenueSession, role: 'market' | 'ioc' | 'gtc' | 'postOnly' | 'maker' | 'flow'): CcxtOrder {
  const o = s.placed.get(role);
  if (!o) throw new CheckFailure(`needs the ${role} order of an earlier check, which failed`);
  return o;
}

/** The order as ccxt reads it back, agreeing with the simulator. */
async function fetchAgreeing(s: VenueSession, id: string): Promise<{ o: CcxtOrder; sim: SimOrder; summary: string }> {
  const o = await s.client.ex.fetchOrder(id, s.symbol);
  const sim = await simOrder(s.control, s.venue, id);
  return { o, sim, summary: agreeOrder(o, sim) };
}

export async function loadMarkets(s: VenueSession): Promise<string> {
  const markets = await s.client.ex.loadMarkets();
  const m = markets[s.symbol] as { spot?: boolean; active?: boolean; precision?: { price?: number; amount?: number }; limits?: { amount?: { min?: number } } } | undefined;
  expectThat(m !== undefined, `no ${s.symbol} market in ${Object.keys(markets).join(', ')}`);
  expectThat(m?.spot === true && m.active !== false, `${s.symbol} is not an active spot market`);
  expectThat(sameDec(m?.precision?.price, '0.01'), `price precision ${String(m?.precision?.price)} (tick 0.01)`);
  return `${Object.keys(markets).length} markets (${Object.keys(markets).join(', ')}); ${s.symbol} tick ${String(m?.precision?.price)}, step ${String(m?.precision?.amount)}, min ${String(m?.limits?.amount?.min)}`;
}

export async function fetchOrderBook(s: VenueSession): Promise<string> {
  const b = await s.client.ex.fetchOrderBook(s.symbol, 100);
  const [bid, ask] = [b.bids[0], b.asks[0]];
  expectThat(bid !== undefined && ask !== undefined && bid[0] < ask[0], 'an empty or crossed book');
  if (s.venue === 'binance') {
    expectThat(b.nonce !== undefined, 'no lastUpdateId');
    const t = await s.control.book(s.venue, s.simSymbol, { updateId: b.nonce as number }, 100);
    const same = (x: Array<[number, number]>, y: Array<[string, string]>): boolean => x.length === y.length && x.every(([p, q], i) => sameDec(p, y[i]?.[0]) && sameDec(q, y[i]?.[1]));
    expectThat(same(b.bids, t.bids) && same(b.asks, t.asks), `the snapshot at lastUpdateId ${String(b.nonce)} is not the true book of that update id`);
    return `${b.bids.length}+${b.asks.length} levels = the true book at lastUpdateId ${String(b.nonce)}`;
  }
  return `${b.bids.length}+${b.asks.length} levels, best ${String(bid?.[0])} / ${String(ask?.[0])}`;
}

export async function fetchBalance(s: VenueSession): Promise<string> {
  const sim = (await s.control.account(s.venue)).balances;
  const plain = agreeBalances(await s.client.ex.fetchBalance(), sim, ASSETS, s.venue === 'coinbase');
  if (s.venue === 'binance') return `free/used/total = the simulator's: ${plain}`;
  // Coinbase: ccxt reads the v2 accounts by default (totals), the Advanced Trade accounts with { v3: true }.
  const v3 = agreeBalances(await s.client.ex.fetchBalance({ v3: true }), sim, ASSETS);
  return `v2 totals and v3 free/used = the simulator's: ${v3} (v2 ${plain})`;
}

export async function marketOrder(s: VenueSession): Promise<string> {
  const { ask } = await top(s);
  // ccxt sizes a Coinbase market buy in quote (amount × price); Binance sends the quantity.
  const o = s.venue === 'binance' ? await s.client.ex.createOrder(s.symbol, 'market', 'buy', 0.001) : await s.client.ex.createOrder(s.symbol, 'market', 'buy', 0.001, ask);
  s.placed.set('market', o);
  const { o: read, sim, summary } = await fetchAgreeing(s, o.id);
  expectThat(sim.type === 'market' && sim.status === 'filled', `the market order is ${sim.type} ${sim.status}`);
  expectThat(read.status === 'closed', `ccxt reads it ${String(read.status)}`);
  return summary;
}

export async function iocOrder(s: VenueSession): Promise<string> {
  const { bid } = await top(s);
  const o = await s.client.ex.createOrder(s.symbol, 'limit', 'sell', 0.001, onTick(bid * 0.99), { timeInForce: 'IOC' });
  s.placed.set('ioc', o);
  const { sim, summary } = await fetchAgreeing(s, o.id);
  expectThat(sim.timeInForce === 'IOC' && sim.final, `the IOC order is ${sim.timeInForce} ${sim.status}`);
  return summary;
}

/** Waits until ccxt's own (streamed) book shows at least `amount` at `price` on `side`. */
async function inStreamedBook(s: VenueSession, side: 'bids' | 'asks', price: number, amount: number): Promise<number | undefined> {
  return eventually(async () => {
    const b = await s.client.ex.watchOrderBook(s.symbol);
    const level = b[side].find(([p]) => sameDec(p, price));
    return level !== undefined && level[1] >= amount ? level[1] : undefined;
  }, 5000, 0);
}

export async function gtcOrder(s: VenueSession): Promise<string> {
  const { bid } = await top(s);
  const price = onTick(bid * 0.98);
  const o = await s.client.ex.createOrder(s.symbol, 'limit', 'buy', 0.002, price);
  s.placed.set('gtc', o);
  const { sim, summary } = await fetchAgreeing(s, o.id);
  expectThat(sim.timeInForce === 'GTC' && sim.status === 'new', `the GTC order is ${sim.timeInForce} ${sim.status}`);
  const truth = await s.control.book(s.venue, s.simSymbol, {}, 500);
  const level = truth.bids.find(([p]) => sameDec(p, price));
  expectThat(level !== undefined && Number(level[1]) >= 0.002, `the true book has ${level ? level[1] : 'no level'} at ${price}`);
  const streamed = await inStreamedBook(s, 'bids', price, 0.002);
  expectThat(streamed !== undefined, `ccxt's streamed book never showed ${price}`);
  return `${summary}; rests at ${price}: true book ${level?.[1] ?? ''}, ccxt's streamed book ${String(streamed)}`;
}

export async function postOnlyOrder(s: VenueSession): Promise<string> {
  const { ask } = await top(s);
  const price = onTick(ask * 1.02, '0.01', 'up');
  const o = await s.client.ex.createOrder(s.symbol, 'limit', 'sell', 0.002, price, { postOnly: true });
  s.placed.set('postOnly', o);
  const { o: read, sim, summary } = await fetchAgreeing(s, o.id);
  expectThat(sim.type === 'limit_maker' && sim.status === 'new', `the post-only order is ${sim.type} ${sim.status}`);
  expectThat(read.postOnly === true, `ccxt reads postOnly ${String(read.postOnly)}`);
  const streamed = await inStreamedBook(s, 'asks', price, 0.002);
  expectThat(streamed !== undefined, `ccxt's streamed book never showed ${price}`);
  return `${summary}; rests at ${price}`;
}

export async function fetchOrder(s: VenueSession): Promise<string> {
  const gtc = needs(s, 'gtc');
  const { o, summary } = await fetchAgreeing(s, gtc.id);
  expectThat(o.status === 'open' && o.id === gtc.id, `read back ${o.id} ${String(o.status)}`);
  return summary;
}

export async function fetchOpenOrders(s: VenueSession): Promise<string> {
  const open = await s.client.ex.fetchOpenOrders(s.symbol);
  const account = (await s.control.account(s.venue)).key;
  const sim = (await s.control.orders(s.venue)).filter((o) => o.account === account && o.symbol === s.simSymbol && !o.final);
  const ids = (l: Array<{ id?: string; venueOrderId?: string | null }>): string => l.map((o) => o.id ?? o.venueOrderId ?? '').sort().join(',');
  expectThat(ids(open) === ids(sim.map((o) => ({ venueOrderId: o.venueOrderId }))), `ccxt ${ids(open)} ≠ simulator ${ids(sim.map((o) => ({ venueOrderId: o.venueOrderId })))}`);
  for (const o of open) agreeOrder(o, sim.find((x) => x.venueOrderId === o.id) as SimOrder);
  for (const role of ['gtc', 'postOnly'] as const) expectThat(open.some((o) => o.id === needs(s, role).id), `the ${role} order is not listed`);
  return `${open.length} open orders = the simulator's (${open.map((o) => `${o.type ?? ''}${o.postOnly === true ? ' post-only' : ''} ${o.side ?? ''}`).join(', ')})`;
}

export async function cancelOrder(s: VenueSession): Promise<string> {
  const gtc = needs(s, 'gtc');
  const before = await s.control.book(s.venue, s.simSymbol, {}, 500);
  const price = (await simOrder(s.control, s.venue, gtc.id)).limitPrice;
  await s.client.ex.cancelOrder(gtc.id, s.symbol);
  await s.client.ex.cancelOrder(needs(s, 'postOnly').id, s.symbol);
  const { o, sim, summary } = await fetchAgreeing(s, gtc.id);
  expectThat(sim.status === 'canceled' && o.status === 'canceled', `after cancel: sim ${sim.status}, ccxt ${String(o.status)}`);
  expectThat((await simOrder(s.control, s.venue, needs(s, 'postOnly').id)).status === 'canceled', 'the post-only order is not canceled');
  const after = await s.control.book(s.venue, s.simSymbol, {}, 500);
  const size = (b: typeof before): Big => dec(b.bids.find(([p]) => sameDec(p, price))?.[1] ?? '0') ?? new Big(0);
  expectThat(size(before).minus(size(after)).gte('0.002'), `the level at ${String(price)} went ${size(before).toFixed()} → ${size(after).toFixed()}`);
  const locked = (await s.control.account(s.venue)).balances.filter((b) => !sameDec(b.locked, 0));
  expectThat(locked.length === 0, `still locked: ${locked.map((b) => `${b.asset} ${b.locked}`).join(', ')}`);
  return `${summary}; out of the book, nothing locked`;
}

/** A post-only buy of 0.001 at `price`; undefined when the venue refused it because it would take (the book moved). */
async function restingBuy(s: VenueSession, price: number): Promise<CcxtOrder | undefined> {
  try {
    return await s.client.ex.createOrder(s.symbol, 'limit', 'buy', 0.001, price, { postOnly: true });
  } catch (e) {
    const fillable = s.ccxt.errors.OrderImmediatelyFillable;
    const text = e instanceof Error ? e.message : '';
    if ((fillable !== undefined && e instanceof fillable) || text.includes('INVALID_LIMIT_PRICE_POST_ONLY')) return undefined;
    throw e;
  }
}

/** Sim fill of order `id` that was the maker side. */
async function makerFills(s: VenueSession, id: string): Promise<SimOrder['fills']> {
  return (await simOrder(s.control, s.venue, id)).fills.filter((f) => f.maker);
}

/** Rounds of place / move / sell before the taker check gives up (the base sold meanwhile is bounded below). */
const ROUNDS = 60;

export async function takerFillsResting(s: VenueSession): Promise<string> {
  // A post-only bid rests at the top of the book (one tick above the best bid when the spread leaves room: alone
  // there; else at the best bid, behind the model's level), then an IOC sell at its price takes that level. The check
  // needs a trade between the two orders. The book moves under a loaded machine's slow requests: a bid that is no
  // longer the best is moved up (never chased with sells), one the model's flow filled first is placed again, a
  // post-only refused is placed again; up to ROUNDS rounds (20 were not enough once on a host loaded by a parallel
  // test run: each round's requests took long enough for the model to move the best bid every time).
  let o: CcxtOrder | undefined;
  let price = 0;
  let sold = new Big(0);
  const sells: string[] = [];
  const seen = { placed: 0, refused: 0, flowFilled: 0, movedUp: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const book = await s.control.book(s.venue, s.simSymbol, {}, 50);
    if (o === undefined) {
      const [bid, ask] = [Number(book.bids[0]?.[0] ?? 0), Number(book.asks[0]?.[0] ?? 0)];
      price = ask - bid > 0.025 ? onTick(bid + 0.01) : bid;
      o = await restingBuy(s, price);
      if (o !== undefined) s.placed.set('maker', o);
      seen[o === undefined ? 'refused' : 'placed']++;
      continue;
    }
    const sim = await simOrder(s.control, s.venue, o.id);
    if (sim.final) {
      const taken = new Set((await Promise.all(sells.map((id) => simOrder(s.control, s.venue, id)))).flatMap((x) => x.fills.map((f) => f.tradeId)));
      const mine = sim.fills.filter((f) => f.maker && taken.has(f.tradeId));
      if (mine.length > 0) {
        const { o: read, summary } = await fetchAgreeing(s, o.id);
        expectThat(read.status === 'closed', `the resting order is ${String(read.status)}`);
        expectThat(mine.every((f) => sameDec(f.price, String(price))), `maker fills at ${mine.map((f) => f.price).join(',')} (its price ${price})`);
        return `${summary}; ${mine.length} maker fill(s) at its price, each one trade with the IOC sell (round ${round + 1})`;
      }
      o = undefined; // the model's flow reached it first: place another
      seen.flowFilled++;
      continue;
    }
    const best = Number(book.bids[0]?.[0] ?? 0);
    if (best > price) {
      // No longer the best bid: move it up. A cancel that comes too late (it just filled) leaves it final for the
      // next round to look at.
      const cancelled = await s.client.ex.cancelOrder(o.id, s.symbol).then(
        () => true,
        () => false,
      );
      if (cancelled) o = undefined;
      seen.movedUp++;
      continue;
    }
    // The account's base is finite: a book that keeps moving ends the check instead of draining it.
    if (sold.gt(6)) throw new CheckFailure(`sold ${sold.toFixed()} BTC into a moving book without reaching the resting order`);
    // Its level: the model's lots there first, then the order (alone when it sits inside the spread).
    const level = new Big(book.bids[0]?.[1] ?? '0').round(5, Big.roundUp);
    const sell = await s.client.ex.createOrder(s.symbol, 'limit', 'sell', Number(level.toFixed()), price, { timeInForce: 'IOC' });
    sells.push(sell.id);
    sold = sold.plus((await simOrder(s.control, s.venue, sell.id)).filledQty);
  }
  throw new CheckFailure(`in ${ROUNDS} rounds no IOC sell traded with a resting bid (the book kept moving: bids placed ${seen.placed}, refused as taking ${seen.refused}, filled by the flow first ${seen.flowFilled}, moved up ${seen.movedUp}, IOC sells ${sells.length})`);
}

export async function flowFillsResting(s: VenueSession): Promise<string> {
  // A resting bid just under the best bid; the venue then jumps 30 bps down: the model's asks cross it and trade with it.
  let o: CcxtOrder | undefined;
  let price = 0;
  for (let attempt = 0; attempt < 5 && o === undefined; attempt++) {
    price = onTick((await top(s)).bid - 0.02);
    o = await restingBuy(s, price);
  }
  if (o === undefined) throw new CheckFailure('no post-only bid could be placed under the best bid');
  s.placed.set('flow', o);
  await s.control.dislocate(s.venue, s.simSymbol, -30, 3000);
  const done = await eventually(async () => ((await simOrder(s.control, s.venue, o.id)).final ? true : undefined), 10_000, 100);
  const fills = await makerFills(s, o.id);
  const { o: read, summary } = await fetchAgreeing(s, o.id);
  expectThat(done === true && read.status === 'closed', `after the jump the order is ${String(read.status)}`);
  expectThat(fills.length > 0 && fills.every((f) => sameDec(f.price, price)), `maker fills ${fills.map((f) => `${f.qty}@${f.price}`).join(', ')} (its price ${price})`);
  return `${summary}; filled by the model's flow at its price after a -30 bps jump`;
}

function agreeTrade(t: CcxtTrade, f: SimOrder['fills'][number], o: SimOrder): string | null {
  const bad: string[] = [];
  if (!sameDec(t.price, f.price)) bad.push(`price ${t.price} (sim ${f.price})`);
  if (!sameDec(t.amount, f.qty)) bad.push(`amount ${t.amount} (sim ${f.qty})`);
  if (t.fee?.cost !== undefined && !sameDec(t.fee.cost, f.fee)) bad.push(`fee ${t.fee.cost} (sim ${f.fee})`);
  if (t.takerOrMaker !== undefined && t.takerOrMaker !== (f.maker ? 'maker' : 'taker')) bad.push(`${t.takerOrMaker} (sim ${f.maker ? 'maker' : 'taker'})`);
  if (t.side !== undefined && t.side !== o.side) bad.push(`side ${t.side} (sim ${o.side})`);
  return bad.length > 0 ? `trade ${t.id}: ${bad.join(', ')}` : null;
}

export async function fetchMyTrades(s: VenueSession): Promise<string> {
  const trades = await s.client.ex.fetchMyTrades(s.symbol);
  const account = (await s.control.account(s.venue)).key;
  const orders = (await s.control.orders(s.venue)).filter((o) => o.account === account && o.symbol === s.simSymbol);
  const fills = orders.flatMap((o) => o.fills.map((f) => ({ o, f })));
  const bad: string[] = [];
  for (const t of trades) {
    const hit = fills.find(({ o, f }) => o.venueOrderId === t.order && f.tradeId === t.id) ?? fills.find(({ o, f }) => o.venueOrderId === t.order && sameDec(f.price, t.price) && sameDec(f.qty, t.amount));
    if (!hit) bad.push(`trade ${t.id} of order ${String(t.order)} is not in the simulator's fills`);
    else {
      const d = agreeTrade(t, hit.f, hit.o);
      if (d) bad.push(d);
    }
  }
  expectThat(trades.length === fills.length, `${trades.length} trades, the simulator has ${fills.length} fills`);
  expectThat(bad.length === 0, bad.slice(0, 3).join('; '));
  const makers = trades.filter((t) => t.takerOrMaker === 'maker').length;
  expectThat(makers > 0, 'no maker trade (the resting orders filled earlier should be)');
  return `${trades.length} trades = the simulator's fills (price, amount, fee, side; ${makers} maker)`;
}

export async function watchOrders(s: VenueSession): Promise<string> {
  const first = s.client.ex.watchOrders(s.symbol);
  // Awaited below; a rejection before then (no subscription) must not go unhandled meanwhile.
  first.catch(() => undefined);
  await sleep(500);
  const { bid } = await top(s);
  const placed = await s.client.ex.createOrder(s.symbol, 'limit', 'sell', 0.001, onTick(bid * 0.99), { timeInForce: 'IOC' });
  const deadline = Date.now() + 10_000;
  let updates = await first;
  while (!updates.some((o) => o.id === placed.id && o.status !== 'open') && Date.now() < deadline) {
    updates = await Promise.race([s.client.ex.watchOrders(s.symbol), sleep(deadline - Date.now()).then(() => updates)]);
  }
  const seen = updates.filter((o) => o.id === placed.id);
  expectThat(seen.length > 0, `no user-stream update for order ${placed.id}`);
  const last = seen[seen.length - 1] as CcxtOrder;
  const sim = await simOrder(s.control, s.venue, placed.id);
  expectThat(sameDec(last.filled, sim.filledQty), `stream filled ${String(last.filled)} (sim ${sim.filledQty})`);
  return `update for ${placed.id}: ${String(last.status)}, filled ${String(last.filled)} = the simulator's`;
}
