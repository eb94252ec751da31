import { nowMs } from '../lib/clock';

/** What a polling bot sees of one venue's book: best bid and ask (floats: it only screens), and the levels it got (exact strings). */
interface Top {
  readonly bid: number;
  readonly ask: number;
  readonly bids: readonly PolledLevel[];
  readonly asks: readonly PolledLevel[];
}

/** `[price, size]`, the venue's decimal strings. */
export type PolledLevel = readonly [price: string, size: string];

/** One venue's book as one poll saw it (best first, up to the poll's depth). */
export interface PolledBook {
  readonly venue: 'binance' | 'coinbase';
  readonly symbol: string;
  readonly bids: readonly PolledLevel[];
  readonly asks: readonly PolledLevel[];
}

export interface PollDetection {
  readonly symbol: string;
  readonly buy: string;
  readonly sell: string;
  /** When the poll that saw the cross had both answers. */
  readonly at: number;
}

export interface PollerOptions {
  /** Base URLs of the two venues' REST APIs (exchange-sim speaks both). */
  readonly binanceUrl: string;
  readonly coinbaseUrl: string;
  readonly symbols: readonly string[];
  readonly intervalMs: number;
  /** Taker fee per venue (fractions) and the net edge needed (fraction of the buy price), as the detector's. */
  readonly fees: Readonly<Record<'binance' | 'coinbase', number>>;
  readonly minEdge: number;
  /** Called after every complete poll with every book it fetched (a trading bot decides on them). */
  readonly onPoll?: (books: readonly PolledBook[], at: number) => void;
}

const VENUES = ['binance', 'coinbase'] as const;

/**
 * The way many bots watch prices: a timer fires every `intervalMs`, the bot GETs both venues' order books over REST
 * (Binance `/api/v3/depth`, Coinbase `/api/v3/brokerage/market/product_book`) and checks the tops for a cross after
 * both taker fees. A tick is skipped while the previous poll is still out. Every cross seen is recorded.
 */
export class RestPoller {
  readonly detections: PollDetection[] = [];
  polls = 0;
  errors = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private stopped = false;

  constructor(private readonly o: PollerOptions) {}

  get intervalMs(): number {
    return this.o.intervalMs;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.busy || this.stopped) return;
      this.busy = true;
      this.pollOnce()
        .catch(() => this.errors++)
        .finally(() => (this.busy = false));
    }, this.o.intervalMs);
  }

  /** First detection of `buy`→`sell` on `symbol` in [from, to). */
  firstBetween(symbol: string, buy: string, sell: string, from: number, to: number): number | undefined {
    return this.detections.find((d) => d.symbol === symbol && d.buy === buy && d.sell === sell && d.at >= from && d.at < to)?.at;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    while (this.busy) await new Promise((r) => setTimeout(r, 5));
  }

  private async pollOnce(): Promise<void> {
    const tops = await Promise.all(
      this.o.symbols.flatMap((symbol) => VENUES.map(async (venue) => ({ symbol, venue, top: await this.fetchTop(venue, symbol) }))),
    );
    const at = nowMs();
    this.polls++;
    this.o.onPoll?.(
      tops.flatMap((t) => (t.top === undefined ? [] : [{ venue: t.venue, symbol: t.symbol, bids: t.top.bids, asks: t.top.asks }])),
      at,
    );
    for (const symbol of this.o.symbols) {
      const of = (v: string): Top | undefined => tops.find((t) => t.symbol === symbol && t.venue === v)?.top;
      for (const buy of VENUES) {
        for (const sell of VENUES) {
          if (buy === sell) continue;
          const b = of(buy);
          const s = of(sell);
          if (b === undefined || s === undefined) continue;
          const edge = (s.bid * (1 - this.o.fees[sell]) - b.ask * (1 + this.o.fees[buy])) / b.ask;
          if (edge >= this.o.minEdge) this.detections.push({ symbol, buy, sell, at });
        }
      }
    }
  }

  private async fetchTop(venue: 'binance' | 'coinbase', symbol: string): Promise<Top | undefined> {
    const url =
      venue === 'binance'
        ? `${this.o.binanceUrl}/api/v3/depth?symbol=${symbol.replace('-', '')}&limit=5`
        : `${this.o.coinbaseUrl}/api/v3/brokerage/market/product_book?product_id=${symbol}&limit=5`;
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) {
      this.errors++;
      return undefined;
    }
    const body = (await res.json()) as Record<string, unknown>;
    const book = (venue === 'binance' ? body : body.pricebook) as { bids?: unknown[]; asks?: unknown[] } | undefined;
    const price = (level: unknown): number => Number(Array.isArray(level) ? level[0] : (level as { price?: unknown } | undefined)?.price);
    const bid = price(book?.bids?.[0]);
    const ask = price(book?.asks?.[0]);
    return Number.isFinite(bid) && Number.isFinite(ask) ? { bid, ask, bids: levels(book?.bids), asks: levels(book?.asks) } : undefined;
  }
}

/** Binance `[price, qty]` or Coinbase `{price, size}` levels as exact strings; malformed ones are left out. */
function levels(raw: readonly unknown[] | undefined): PolledLevel[] {
  const out: PolledLevel[] = [];
  for (const l of raw ?? []) {
    const p = Array.isArray(l) ? l[0] : (l as { price?: unknown } | null)?.price;
    const q = Array.isArray(l) ? l[1] : (l as { size?: unknown } | null)?.size;
    if (typeof p === 'string' && typeof q === 'string' && /^[0-9]+(\.[0-9]+)?$/.test(p) && /^[0-9]+(\.[0-9]+)?$/.test(q)) out.push([p, q]);
  }
  return out;
}
