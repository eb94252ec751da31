import Big from 'big.js';
import type { OrderState, VenueTradingClient } from '@arb/venues';

/** The better-informed of two states of one order: a final one wins, else the one with more filled. */
export function newerState(a: OrderState | null, b: OrderState | null): OrderState | null {
  if (a === null) return b;
  if (b === null) return a;
  if (a.final !== b.final) return a.final ? a : b;
  const cmp = new Big(a.filledQty).cmp(b.filledQty);
  if (cmp !== 0) return cmp > 0 ? a : b;
  return b.updatedTs >= a.updatedTs ? b : a;
}

/** Updates of one order from the venue's private stream, while someone follows it. */
export class OrderWatch {
  latest: OrderState | null = null;
  private wake: (() => void) | undefined;

  constructor(
    readonly clientOrderId: string,
    private readonly onClose: (w: OrderWatch) => void,
  ) {}

  push(o: OrderState): void {
    this.latest = newerState(this.latest, o);
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** Resolves true on the next update, false after `ms` without one. */
  next(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve(false);
      }, Math.max(0, ms));
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  close(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
    this.onClose(this);
  }
}

/**
 * Routes each venue client's private order updates to whoever follows that client order id. One listener per client,
 * a map lookup per update: updates for orders nobody follows (late updates of our finished orders, other executors'
 * orders on a shared account) go to `onUnwatched`, which decides whether they matter.
 */
export class OrderTracker {
  private readonly watches = new Map<string, OrderWatch>();
  private readonly unsubscribes: (() => void)[] = [];

  constructor(private readonly onUnwatched?: (venue: string, o: OrderState) => void) {}

  attach(client: VenueTradingClient): void {
    this.unsubscribes.push(
      client.onOrderUpdate((o) => {
        const w = this.watches.get(key(client.venue, o.clientOrderId));
        if (w !== undefined) w.push(o);
        else this.onUnwatched?.(client.venue, o);
      }),
    );
  }

  /** Start following before the order is sent (an update may beat the REST answer). Close it when done. */
  watch(venue: string, clientOrderId: string): OrderWatch {
    const k = key(venue, clientOrderId);
    const w = new OrderWatch(clientOrderId, (x) => {
      if (this.watches.get(k) === x) this.watches.delete(k);
    });
    this.watches.set(k, w);
    return w;
  }

  get size(): number {
    return this.watches.size;
  }

  detachAll(): void {
    for (const u of this.unsubscribes.splice(0)) u();
  }
}

function key(venue: string, clientOrderId: string): string {
  return `${venue}\u0000${clientOrderId}`;
}
