import type { ChangeBuffer } from '../model/change-buffer';
import { BID } from '../model/change-buffer';

/** Coalesces the changes of one update window (last size per level wins) for @depth / @depth@100ms. */
export class DiffAccumulator {
  readonly bids = new Map<number, number>();
  readonly asks = new Map<number, number>();
  first = 0;
  last = 0;

  get empty(): boolean {
    return this.last === 0;
  }

  add(buf: ChangeBuffer, c: number): void {
    const id = buf.chId[c] as number;
    if (this.first === 0) this.first = id;
    this.last = id;
    const start = buf.chStart[c] as number;
    const end = start + (buf.chCount[c] as number);
    for (let i = start; i < end; i++) {
      (buf.updSide[i] === BID ? this.bids : this.asks).set(buf.updTick[i] as number, buf.updLots[i] as number);
    }
  }

  reset(): void {
    this.bids.clear();
    this.asks.clear();
    this.first = 0;
    this.last = 0;
  }
}
