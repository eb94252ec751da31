import Big from 'big.js';
import type { OrderState } from '@arb/venues';
import type { InflightRecord } from '../inflight/record';
import type { LegOutcome } from './types';

export interface LateFillWatchOptions {
  /** How long after journaling a trade its orders' updates are still compared with the journal. */
  windowMs: number;
  /** Trades remembered at once (the oldest are forgotten first). */
  maxTrades: number;
  now(): number;
  /** An order of a journaled trade turned out to have filled more than the journal says: follow the trade up. */
  onLate(record: InflightRecord, state: OrderState, journaledQty: string): void;
}

interface Entry {
  record: InflightRecord;
  /** Filled qty per client order id as journaled; null while the trade is not journaled yet. */
  journaled: Map<string, Big> | null;
  /** Updates that came while the trade ran but nobody was following that order (checked once journaled). */
  early: OrderState[];
  until: number;
}

/** `<tradeKey>-<leg>` → tradeKey. */
function tradeKeyOf(clientOrderId: string): string {
  const i = clientOrderId.lastIndexOf('-');
  return i > 0 ? clientOrderId.slice(0, i) : clientOrderId;
}

/**
 * Remembers this process's trades (from the first order until `windowMs` after journaling) and checks private-stream
 * updates nobody is following any more against what was journaled: a venue reporting more fill than the journal holds
 * (a fill reported late, or corrected) is a late fill; `onLate` hands the trade to a follow-up (which re-queries the
 * venue and journals a correction). Updates of orders that are not ours are counted by the caller.
 */
export class LateFillWatch {
  private readonly trades = new Map<string, Entry>();

  constructor(private readonly o: LateFillWatchOptions) {}

  /** A trade starts (its record may still grow: hedge/unwind orders share the trade key). */
  begin(record: InflightRecord): void {
    this.expire();
    this.trades.delete(record.tradeKey);
    this.trades.set(record.tradeKey, { record, journaled: null, early: [], until: Number.POSITIVE_INFINITY });
    while (this.trades.size > this.o.maxTrades) {
      const oldest = this.trades.keys().next();
      if (oldest.done === true) break;
      this.trades.delete(oldest.value);
    }
  }

  /** The trade is journaled with these legs: from now on updates are compared with their fills. */
  journaled(record: InflightRecord, legs: readonly LegOutcome[]): void {
    const e = this.trades.get(record.tradeKey);
    if (e === undefined) return;
    e.journaled = new Map(legs.map((l) => [l.plan.clientOrderId, new Big(l.state?.filledQty ?? '0')]));
    e.until = this.o.now() + this.o.windowMs;
    for (const s of e.early.splice(0)) this.check(e, s);
  }

  /** Forget a trade (e.g. it is followed up from its record anyway). */
  forget(record: InflightRecord): void {
    this.trades.delete(record.tradeKey);
  }

  /** An update nobody followed. True when it belongs to a trade of ours (handled here), false otherwise. */
  update(state: OrderState): boolean {
    const e = this.trades.get(tradeKeyOf(state.clientOrderId));
    if (e === undefined || e.until < this.o.now()) return false;
    if (e.journaled === null) e.early.push(state);
    else this.check(e, state);
    return true;
  }

  get size(): number {
    return this.trades.size;
  }

  private check(e: Entry, state: OrderState): void {
    // Only orders this process sent and journaled (another executor's order of the same trade is its business).
    const journaled = e.journaled?.get(state.clientOrderId);
    if (journaled === undefined) return;
    let filled: Big;
    try {
      filled = new Big(state.filledQty);
    } catch {
      return;
    }
    if (filled.lte(journaled)) return;
    e.journaled?.set(state.clientOrderId, filled); // one follow-up per increase
    this.o.onLate(e.record, state, journaled.toFixed());
  }

  private expire(): void {
    const now = this.o.now();
    for (const [k, e] of this.trades) if (e.until < now) this.trades.delete(k);
  }
}
