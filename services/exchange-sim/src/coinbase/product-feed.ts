import { corruptCoinbaseL2, type Corrupter, type CorruptKind } from '../faults/corrupt';
import { BID } from '../model/change-buffer';
import { crossingTick, priceStr, qtyStr } from '../model/format';
import type { MarketBook } from '../model/market';
import type { Rng } from '../model/rng';
import { SeqIndex } from '../model/seq-index';
import type { Outbound } from '../net/outbound';
import { l2Event, l2Message, l2Update } from './messages';

/** What the feed needs from a connection: its sending side and its sequence counter. */
export interface L2Subscriber {
  readonly out: Outbound;
  nextSeq(): number;
}

/**
 * Publishes one product's level2 channel: a snapshot on subscribe, then one l2_data `update`
 * message per model step with changes. Remembers which book update id each sequence_num carried
 * (when history is on) so the truth can be looked up by sequence_num.
 */
export class CoinbaseProductFeed implements Corrupter {
  readonly subs = new Set<L2Subscriber>();
  readonly seqIndex: SeqIndex;
  /** The last sequence_num that carried this product (any connection), or null. */
  lastSeq: number | null = null;
  private eventTime = '';

  constructor(
    readonly mb: MarketBook,
    historySize: number,
  ) {
    this.seqIndex = new SeqIndex(historySize);
  }

  onStep(timestamp: string): void {
    const { book, inst } = this.mb;
    const buf = book.buffer;
    if (buf.updCount === 0 || this.subs.size === 0) return;
    this.eventTime = timestamp;
    let updates = '';
    for (let i = 0; i < buf.updCount; i++) {
      const u = l2Update(buf.updSide[i] === BID ? 'bid' : 'offer', timestamp, priceStr(inst, buf.updTick[i] as number), qtyStr(inst, buf.updLots[i] as number));
      updates = updates ? `${updates},${u}` : u;
    }
    const events = `[${l2Event('update', inst.symbol, updates)}]`;
    for (const sub of this.subs) this.emit(sub, timestamp, events);
  }

  /** Sends the full current book as a `snapshot` event. */
  snapshot(sub: L2Subscriber, timestamp: string): void {
    const { book, inst } = this.mb;
    this.eventTime = timestamp;
    const parts: string[] = [];
    for (const t of book.bids) parts.push(l2Update('bid', timestamp, priceStr(inst, t), qtyStr(inst, book.bidLots.get(t) as number)));
    for (const t of book.asks) parts.push(l2Update('offer', timestamp, priceStr(inst, t), qtyStr(inst, book.askLots.get(t) as number)));
    this.emit(sub, timestamp, `[${l2Event('snapshot', inst.symbol, parts.join(','))}]`);
  }

  corrupt(text: string, rng: Rng): { text: string; kind: CorruptKind } {
    const { book, inst } = this.mb;
    const cross = () => ({ price: priceStr(inst, crossingTick(book.asks[0] ?? 1)), qty: qtyStr(inst, inst.levelLots) });
    return corruptCoinbaseL2(text, rng, cross, this.eventTime);
  }

  private emit(sub: L2Subscriber, timestamp: string, events: string): void {
    const seq = sub.nextSeq();
    this.lastSeq = seq;
    this.seqIndex.set(seq, this.mb.book.updateId);
    sub.out.data(l2Message(timestamp, seq, events), this);
  }
}
