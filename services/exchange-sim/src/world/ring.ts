/** Bounded ring: keeps the last `capacity` items pushed; `total` counts every push. */
export class Ring<T> {
  private readonly items: T[] = [];
  private head = 0;
  total = 0;

  constructor(readonly capacity: number) {}

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else {
      this.items[this.head] = item;
      this.head = (this.head + 1) % this.capacity;
    }
    this.total++;
  }

  /** Retained items, oldest first. */
  toArray(): T[] {
    return [...this.items.slice(this.head), ...this.items.slice(0, this.head)];
  }

  get size(): number {
    return this.items.length;
  }
}
