import Big from 'big.js';
import type { Instrument } from '../model/instrument';
import type { Side } from './order';
import type { TapeTrade } from './resting-book';

/** One print kept by the tape (book units; the venue layers format them). */
export interface TapePrint {
  readonly tradeId: number;
  readonly tick: number;
  readonly lots: number;
  readonly takerSide: Side;
  readonly ts: number;
}

export interface TapeStats {
  /** Prints in the last 24 h (of those kept). */
  count: number;
  /** Base volume (exact). */
  volume: Big;
  /** Quote volume: Σ price × qty (exact). */
  quoteVolume: Big;
  high: number | null;
  low: number | null;
  open: number | null;
  last: TapePrint | null;
}

const DAY_MS = 86_400_000;

/**
 * The public tape of one venue: every match on its books (accounts, resting orders, the model's flow, sweeps), the
 * last `keep` per symbol, for trade streams, tickers and 24 h statistics.
 */
export class Tape {
  private readonly prints = new Map<string, TapePrint[]>();
  private readonly listeners = new Set<(symbol: string, p: TapePrint) => void>();

  constructor(private readonly keep = 10_000) {}

  record(t: TapeTrade): void {
    const symbol = t.mb.inst.symbol;
    let list = this.prints.get(symbol);
    if (!list) this.prints.set(symbol, (list = []));
    const p: TapePrint = { tradeId: t.tradeId, tick: t.tick, lots: t.lots, takerSide: t.takerSide, ts: t.ts };
    list.push(p);
    if (list.length > this.keep + this.keep / 10) list.splice(0, list.length - this.keep);
    for (const l of this.listeners) l(symbol, p);
  }

  onPrint(listener: (symbol: string, p: TapePrint) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The newest `n` prints of `symbol`, newest first. */
  recent(symbol: string, n: number): TapePrint[] {
    const list = this.prints.get(symbol) ?? [];
    return list.slice(Math.max(0, list.length - n)).reverse();
  }

  last(symbol: string): TapePrint | null {
    const list = this.prints.get(symbol);
    return list?.[list.length - 1] ?? null;
  }

  stats(inst: Instrument, now = Date.now()): TapeStats {
    const s: TapeStats = { count: 0, volume: new Big(0), quoteVolume: new Big(0), high: null, low: null, open: null, last: this.last(inst.symbol) };
    let lots = new Big(0);
    let tickLots = new Big(0);
    for (const p of this.prints.get(inst.symbol) ?? []) {
      if (p.ts < now - DAY_MS) continue;
      s.count++;
      lots = lots.plus(p.lots);
      tickLots = tickLots.plus(new Big(p.tick).times(p.lots));
      s.open ??= p.tick;
      s.high = s.high === null ? p.tick : Math.max(s.high, p.tick);
      s.low = s.low === null ? p.tick : Math.min(s.low, p.tick);
    }
    s.volume = lots.times(inst.stepSize);
    s.quoteVolume = tickLots.times(inst.tickSize).times(inst.stepSize);
    return s;
  }
}
