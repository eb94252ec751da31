import Big from 'big.js';
import { subjects, validators, type Opportunity } from '@arb/contracts';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { nowMs, sleep } from '../lib/clock';
import { pace } from '../lib/pacer';
import type { SimProcess, SimTop } from '../stack/sim-process';

/** Trade size per symbol (about 65 USDT / 35 USDT: above both venues' minimum notional). */
const ROUTES = [
  { symbol: 'BTC-USDT', buy: 'binance', sell: 'coinbase', size: '0.001' },
  { symbol: 'BTC-USDT', buy: 'coinbase', sell: 'binance', size: '0.001' },
  { symbol: 'ETH-USDT', buy: 'binance', sell: 'coinbase', size: '0.01' },
  { symbol: 'ETH-USDT', buy: 'coinbase', sell: 'binance', size: '0.01' },
] as const;
const TICK = new Big('0.01');
/** IOC limits cross the sim's top by this much, so both legs fill (the book moves a little between refreshes). */
const MARGIN = new Big('0.002');
const TOPS_EVERY_MS = 200;
const TTL_MS = 5000;

/**
 * Stand-in for the detector (and the feeds) in front of the executor: opportunities whose IOC limits cross the sim's
 * current books (tops refreshed from its control API every 200 ms), round-robin over four routes (BTC/ETH, both
 * directions: inventory stays balanced and no route is hit twice in a row), published into ARB_OPPS with
 * Nats-Msg-Id. `detectedTs` is stamped right before publishing, so receivedTs − detectedTs is the JetStream
 * delivery to the executor. Each refresh also publishes the tops on `md.book.<venue>.<symbol>`, as the
 * feed-ingestors would: the executor checks every opportunity's limits against the latest book it received.
 */
export class OppSource {
  private n = 0;
  private tops = new Map<string, SimTop>();
  private readonly timer: NodeJS.Timeout;
  private refreshing = false;
  /** detectedTs (= publish time) of every opportunity published, by id. */
  readonly publishedAt = new Map<string, number>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly sim: SimProcess,
    private readonly prefix: string,
  ) {
    this.timer = setInterval(() => void this.refresh(), TOPS_EVERY_MS);
  }

  static async start(url: string, sim: SimProcess): Promise<OppSource> {
    const nc = await connect({ servers: url, name: 'bench-opp-source' });
    const src = new OppSource(nc, sim, `opp_bench${process.pid}x${Date.now().toString(36)}x`);
    try {
      await src.refresh();
      if (src.tops.size < 4) throw new Error('exchange-sim books not available');
    } catch (error) {
      await src.close();
      throw error;
    }
    return src;
  }

  /** Publishes `count` opportunities at `ratePerSec`; returns their ids. */
  async slice(ratePerSec: number, count: number): Promise<string[]> {
    const ids: string[] = [];
    await pace(ratePerSec, count, () => {
      const opp = this.next();
      const h = headers();
      h.set('Nats-Msg-Id', opp.id);
      this.nc.publish(subjects.opportunity(opp.symbol), JSON.stringify(opp), { headers: h });
      ids.push(opp.id);
      this.publishedAt.set(opp.id, opp.detectedTs);
    });
    await this.nc.flush();
    return ids;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    while (this.refreshing) await sleep(5);
    if (!this.nc.isClosed()) await this.nc.close();
  }

  private next(): Opportunity {
    const r = ROUTES[this.n % ROUTES.length] as (typeof ROUTES)[number];
    const id = `${this.prefix}${this.n++}`;
    const buyTop = this.tops.get(`${r.buy}|${r.symbol}`) as SimTop;
    const sellTop = this.tops.get(`${r.sell}|${r.symbol}`) as SimTop;
    const buyLimit = new Big(buyTop.ask).times(Big(1).plus(MARGIN)).div(TICK).round(0, Big.roundUp).times(TICK).toFixed(2);
    const sellLimit = new Big(sellTop.bid).times(Big(1).minus(MARGIN)).div(TICK).round(0, Big.roundDown).times(TICK).toFixed(2);
    const now = nowMs();
    return validators.Opportunity.assert({
      v: 1,
      id,
      symbol: r.symbol,
      buy: { venue: r.buy, limitPrice: buyLimit, vwap: buyLimit, size: r.size },
      sell: { venue: r.sell, limitPrice: sellLimit, vwap: sellLimit, size: r.size },
      size: r.size,
      grossEdgeBps: '0',
      netEdgeBps: '0',
      profitQuote: '0',
      profitUsd: '0',
      confidence: 0.9,
      detectedTs: now,
      expiresTs: now + TTL_MS,
      books: { buy: { recvTs: now, seq: 1, venueSeq: 1 }, sell: { recvTs: now, seq: 1, venueSeq: 1 } },
      variant: 'default',
    });
  }

  private bookSeq = 0;

  private publishBook(key: string, t: SimTop): void {
    const [venue, symbol] = key.split('|') as [string, string];
    const now = nowMs();
    this.bookSeq++;
    const book = validators.BookSnapshot.assert({
      v: 1, venue, symbol, seq: this.bookSeq, venueSeq: this.bookSeq, venueTs: null, recvTs: now, pubTs: now,
      bids: [[t.bid, t.bidSize ?? '0']], asks: [[t.ask, t.askSize ?? '0']],
    });
    if (!this.nc.isClosed()) this.nc.publish(subjects.book(venue, symbol), JSON.stringify(book));
  }

  private async refresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      const keys = [...new Set(ROUTES.flatMap((r) => [`${r.buy}|${r.symbol}`, `${r.sell}|${r.symbol}`]))];
      const tops = await Promise.all(keys.map(async (k) => [k, await this.sim.top(...(k.split('|') as [string, string]))] as const));
      this.tops = new Map(tops);
      for (const [k, t] of tops) this.publishBook(k, t);
    } catch {
      // keep the previous tops: the limits cross by a margin anyway
    } finally {
      this.refreshing = false;
    }
  }
}
