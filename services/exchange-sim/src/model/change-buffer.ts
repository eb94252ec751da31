export const BID = 0;
export const ASK = 1;
export type Side = typeof BID | typeof ASK;

/**
 * The changes one book made during one model step, in flat growable typed arrays (no per-update
 * allocation). A change is one atomic book mutation with its own update id; it holds 1..n level
 * updates (absolute lots, 0 = delete) and the top of book after it.
 */
export class ChangeBuffer {
  updSide = new Uint8Array(256);
  updTick = new Float64Array(256);
  updLots = new Float64Array(256);
  updPrev = new Float64Array(256);
  updCount = 0;

  chId = new Float64Array(64);
  chStart = new Uint32Array(64);
  chCount = new Uint32Array(64);
  chBidTick = new Float64Array(64);
  chBidLots = new Float64Array(64);
  chAskTick = new Float64Array(64);
  chAskLots = new Float64Array(64);
  changeCount = 0;

  pushUpdate(side: Side, tick: number, lots: number, prev: number): void {
    if (this.updCount === this.updSide.length) this.growUpdates();
    const i = this.updCount++;
    this.updSide[i] = side;
    this.updTick[i] = tick;
    this.updLots[i] = lots;
    this.updPrev[i] = prev;
  }

  pushChange(id: number, start: number, bidTick: number, bidLots: number, askTick: number, askLots: number): void {
    if (this.changeCount === this.chId.length) this.growChanges();
    const c = this.changeCount++;
    this.chId[c] = id;
    this.chStart[c] = start;
    this.chCount[c] = this.updCount - start;
    this.chBidTick[c] = bidTick;
    this.chBidLots[c] = bidLots;
    this.chAskTick[c] = askTick;
    this.chAskLots[c] = askLots;
  }

  reset(): void {
    this.updCount = 0;
    this.changeCount = 0;
  }

  private growUpdates(): void {
    const n = this.updSide.length * 2;
    this.updSide = grow(this.updSide, new Uint8Array(n));
    this.updTick = grow(this.updTick, new Float64Array(n));
    this.updLots = grow(this.updLots, new Float64Array(n));
    this.updPrev = grow(this.updPrev, new Float64Array(n));
  }

  private growChanges(): void {
    const n = this.chId.length * 2;
    this.chId = grow(this.chId, new Float64Array(n));
    this.chStart = grow(this.chStart, new Uint32Array(n));
    this.chCount = grow(this.chCount, new Uint32Array(n));
    this.chBidTick = grow(this.chBidTick, new Float64Array(n));
    this.chBidLots = grow(this.chBidLots, new Float64Array(n));
    this.chAskTick = grow(this.chAskTick, new Float64Array(n));
    this.chAskLots = grow(this.chAskLots, new Float64Array(n));
  }
}

function grow<T extends Uint8Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
