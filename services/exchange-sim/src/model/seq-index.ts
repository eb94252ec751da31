/**
 * Bounded map from a wire sequence number (e.g. a Coinbase `sequence_num`) to the book update id
 * that message conveyed. Oldest entries are evicted first.
 */
export class SeqIndex {
  private readonly map = new Map<number, number>();
  private readonly ring: Float64Array;
  private total = 0;

  constructor(readonly size: number) {
    this.ring = new Float64Array(size);
  }

  set(seq: number, updateId: number): void {
    if (this.size === 0) return;
    const slot = this.total % this.size;
    if (this.total >= this.size) this.map.delete(this.ring[slot] as number);
    this.ring[slot] = seq;
    this.map.set(seq, updateId);
    this.total++;
  }

  get(seq: number): number | undefined {
    return this.map.get(seq);
  }
}
