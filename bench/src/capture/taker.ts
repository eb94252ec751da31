import Big from 'big.js';
import type { BookTop } from '@arb/domain';
import type { VenueTradingClient } from '@arb/venues';
import { nowMs } from '../lib/clock';
import { CAPTURE_VENUES, type CaptureVenue, type ShippedParams } from './params';
import { routeOf, type Detection, type TradeRecord } from './records';
import type { BaselineRule, RuleParams } from './rules';

export interface TakerOptions {
  /** Client order id prefix (a few letters). */
  readonly prefix: string;
  readonly rule: BaselineRule;
  readonly shipped: ShippedParams;
  /** Largest size of one trade before inventory (base), given the symbol and the best ask. */
  readonly sizeCap: (symbol: string, bestAsk: Big) => Big;
  readonly clients: Readonly<Record<CaptureVenue, VenueTradingClient>>;
}

/**
 * A baseline strategy's trading loop: keeps the latest book of each (venue, symbol) it is given, evaluates both
 * directions of the symbol with its rule on every update, and when the rule passes on a route with no trade of its
 * own in flight, sends both IOC legs at once through the venues' real trading APIs. Every passing evaluation is a
 * detection; every decision that sent orders is a trade. One trade per route at a time (as the bots it stands for).
 */
export class BaselineTaker {
  readonly detections: Detection[] = [];
  readonly trades: TradeRecord[] = [];
  errors = 0;
  busySkips = 0;
  private readonly books = new Map<string, BookTop>();
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private seq = 0;
  private stopped = false;

  constructor(private readonly o: TakerOptions) {}

  /** New books (one update, or a whole poll) at local time `ts`; evaluates the symbols touched. */
  update(entries: readonly { venue: string; symbol: string; top: BookTop }[], ts = nowMs()): void {
    const symbols = new Set<string>();
    for (const e of entries) {
      this.books.set(`${e.venue}|${e.symbol}`, e.top);
      symbols.add(e.symbol);
    }
    if (this.stopped) return;
    for (const s of symbols) for (const buy of CAPTURE_VENUES) for (const sell of CAPTURE_VENUES) if (buy !== sell) this.evaluate(s, buy, sell, ts);
  }

  /** Stops deciding and waits for the trades in flight. */
  async drain(): Promise<void> {
    this.stopped = true;
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private evaluate(symbol: string, buy: CaptureVenue, sell: CaptureVenue, ts: number): void {
    const b = this.books.get(`${buy}|${symbol}`);
    const s = this.books.get(`${sell}|${symbol}`);
    const ask = b?.asks[0];
    const bid = s?.bids[0];
    if (b === undefined || s === undefined || ask === undefined || bid === undefined) return;
    // Float screen of the touch (no Big work while nothing crosses); the rule decides exactly.
    if (Number(bid[0]) <= Number(ask[0])) return;
    const d = this.o.rule(b.asks, s.bids, this.params(symbol, buy, sell, new Big(ask[0])));
    if (d === undefined) return;
    const route = routeOf(symbol, buy, sell);
    this.detections.push({ route, ts });
    if (this.busy.has(route)) {
      this.busySkips++;
      return;
    }
    this.busy.add(route);
    const key = `${this.o.prefix}${(++this.seq).toString(36).padStart(6, '0')}`;
    const t: TradeRecord = { id: key, route, symbol, ts, size: d.size, oracleQuote: d.profitQuote, buyCid: `${key}-b`, sellCid: `${key}-s`, extraCids: [] };
    this.trades.push(t);
    const legs = [
      this.o.clients[buy].placeIocLimit({ symbol, side: 'buy', qty: d.size, limitPrice: d.buyLimit, clientOrderId: t.buyCid }),
      this.o.clients[sell].placeIocLimit({ symbol, side: 'sell', qty: d.size, limitPrice: d.sellLimit, clientOrderId: t.sellCid }),
    ];
    const p = Promise.allSettled(legs).then((rs) => {
      this.errors += rs.filter((r) => r.status === 'rejected').length;
      this.busy.delete(route);
      this.inFlight.delete(p);
    });
    this.inFlight.add(p);
  }

  private params(symbol: string, buy: CaptureVenue, sell: CaptureVenue, bestAsk: Big): RuleParams {
    const sh = this.o.shipped;
    const [base, quote] = symbol.split('-') as [string, string];
    // Inventory as the detector sizes against it: base on the sell venue, quote (with the fee) on the buy venue.
    const baseInv = new Big(sh.balances[sell]?.[base] ?? '0');
    const quoteInv = new Big(sh.balances[buy]?.[quote] ?? '0').div(bestAsk.times(new Big(1).plus(sh.fees[buy])));
    let maxSize = this.o.sizeCap(symbol, bestAsk);
    if (baseInv.lt(maxSize)) maxSize = baseInv;
    if (quoteInv.lt(maxSize)) maxSize = quoteInv;
    return {
      buyFee: new Big(sh.fees[buy]),
      sellFee: new Big(sh.fees[sell]),
      minProfitFraction: new Big(sh.minProfitPct).div(100),
      minProfitQuote: new Big(sh.minProfitUsd),
      maxSize,
      lotStep: new Big(sh.lotSteps[symbol] ?? '0.00000001'),
      minNotional: new Big(sh.minNotional),
    };
  }
}
