import { corruptBinanceDepth, type Corrupter, type CorruptKind } from '../faults/corrupt';
import { badJsonCorrupter } from '../faults/generic-corrupter';
import { crossingTick, priceStr, qtyStr } from '../model/format';
import type { MarketBook } from '../model/market';
import type { Rng } from '../model/rng';
import type { Outbound } from '../net/outbound';
import { DiffAccumulator } from './accumulator';
import { bookTicker, changeLevels, depthSnapshot, depthUpdate, mapLevels } from './events';
import { binanceSymbol, type StreamSpec } from './streams';

/** What a publisher needs from a connection. */
export interface StreamSubscriber {
  readonly combined: boolean;
  readonly out: Outbound;
}

interface Stream {
  readonly name: string;
  readonly spec: StreamSpec;
  readonly subs: Set<StreamSubscriber>;
}

/**
 * Publishes one symbol's Binance streams from the model's per-step changes: @depth@0ms (one
 * event per change), @depth@100ms / @depth (coalesced windows), @depthN partial books and
 * @bookTicker. Each event string is built once and shared by every subscriber.
 */
export class BinanceSymbolFeed implements Corrupter {
  readonly symbol: string;
  private readonly streams = new Map<string, Stream>();
  private readonly acc = new Map<number, DiffAccumulator>([
    [100, new DiffAccumulator()],
    [1000, new DiffAccumulator()],
  ]);
  private tBid = NaN;
  private tBidLots = NaN;
  private tAsk = NaN;
  private tAskLots = NaN;

  constructor(readonly mb: MarketBook) {
    this.symbol = binanceSymbol(mb.inst.symbol);
  }

  subscribe(name: string, spec: StreamSpec, sub: StreamSubscriber): void {
    let s = this.streams.get(name);
    if (!s) this.streams.set(name, (s = { name, spec, subs: new Set() }));
    s.subs.add(sub);
  }

  unsubscribe(name: string, sub: StreamSubscriber): void {
    const s = this.streams.get(name);
    if (!s) return;
    s.subs.delete(sub);
    if (s.subs.size === 0) {
      this.streams.delete(name);
      for (const [speed, acc] of this.acc) if (!this.hasDiff(speed)) acc.reset();
    }
  }

  /** Publishes the changes the model made in its last step. */
  onStep(E: number): void {
    const { book, inst } = this.mb;
    const buf = book.buffer;
    if (buf.changeCount === 0) return;
    const rt = this.streamsOf('diff', 0);
    const tickers = this.streamsOf('bookTicker', -1);
    const acc100 = this.hasDiff(100) ? this.acc.get(100) : undefined;
    const acc1000 = this.hasDiff(1000) ? this.acc.get(1000) : undefined;
    for (let c = 0; c < buf.changeCount; c++) {
      const id = buf.chId[c] as number;
      if (rt.length > 0) {
        const [b, a] = changeLevels(inst, buf, c);
        this.send(rt, depthUpdate(E, this.symbol, id, id, b, a), this);
      }
      acc100?.add(buf, c);
      acc1000?.add(buf, c);
      const bt = buf.chBidTick[c] as number;
      const bl = buf.chBidLots[c] as number;
      const at = buf.chAskTick[c] as number;
      const al = buf.chAskLots[c] as number;
      if (bt !== this.tBid || bl !== this.tBidLots || at !== this.tAsk || al !== this.tAskLots) {
        this.tBid = bt;
        this.tBidLots = bl;
        this.tAsk = at;
        this.tAskLots = al;
        if (tickers.length > 0) this.send(tickers, bookTicker(inst, id, this.symbol, bt, bl, at, al), badJsonCorrupter);
      }
    }
  }

  /** End of a 100 ms / 1000 ms window: coalesced diffs and partial books of that speed. */
  flush(speedMs: 100 | 1000, E: number): void {
    const acc = this.acc.get(speedMs) as DiffAccumulator;
    const { inst, book } = this.mb;
    if (!acc.empty) {
      const raw = depthUpdate(E, this.symbol, acc.first, acc.last, mapLevels(inst, acc.bids), mapLevels(inst, acc.asks));
      acc.reset();
      this.send(this.streamsOf('diff', speedMs), raw, this);
    }
    for (const s of this.streams.values()) {
      if (s.spec.kind !== 'partial' || s.spec.speedMs !== speedMs) continue;
      this.send([s], depthSnapshot(inst, book.updateId, book.top(s.spec.levels)), badJsonCorrupter);
    }
  }

  corrupt(text: string, rng: Rng): { text: string; kind: CorruptKind } {
    return corruptBinanceDepth(text, rng, () => {
      const { book, inst } = this.mb;
      return { price: priceStr(inst, crossingTick(book.asks[0] ?? 1)), qty: qtyStr(inst, inst.levelLots) };
    });
  }

  private hasDiff(speed: number): boolean {
    for (const s of this.streams.values()) if (s.spec.kind === 'diff' && s.spec.speedMs === speed) return true;
    return false;
  }

  private streamsOf(kind: StreamSpec['kind'], speed: number): Stream[] {
    const out: Stream[] = [];
    for (const s of this.streams.values()) {
      if (s.spec.kind !== kind) continue;
      if (kind === 'diff' && (s.spec as { speedMs: number }).speedMs !== speed) continue;
      out.push(s);
    }
    return out;
  }

  private send(streams: Stream[], raw: string, corrupter: Corrupter): void {
    for (const s of streams) {
      let wrapped: string | null = null;
      for (const sub of s.subs) {
        if (sub.combined) {
          wrapped ??= `{"stream":"${s.name}","data":${raw}}`;
          sub.out.data(wrapped, corrupter);
        } else {
          sub.out.data(raw, corrupter);
        }
      }
    }
  }
}
