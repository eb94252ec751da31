import type { OrderStateCache } from './order-state';
import type { OrderState } from './trading';
import type { UserStreamState } from './user-stream';

export interface OrderUpdatesOptions {
  readonly cache: OrderStateCache;
  readonly onError: (error: Error) => void;
  /** Reads one still-open order from the venue again (its events may have been missed while the stream was down). */
  readonly reread: (order: OrderState) => Promise<unknown>;
}

export function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * A trading client's order states as the rest of the system sees them: merges every state (REST answer or stream
 * event) into the cache, tells the listeners when an order advanced, and re-reads the open orders when the user
 * stream comes back live after a reconnect.
 */
export class OrderUpdates {
  private readonly listeners = new Set<(o: OrderState) => void>();
  private wasLive = false;

  constructor(private readonly o: OrderUpdatesOptions) {}

  listen(listener: (o: OrderState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Merges into the cache; listeners hear about it when the status or filled quantity advanced. */
  publish(state: OrderState): OrderState {
    const prev = this.o.cache.get(state.clientOrderId);
    const merged = this.o.cache.update(state);
    const advanced =
      prev === undefined || prev.status !== merged.status || prev.filledQty !== merged.filledQty || prev.fills.length !== merged.fills.length;
    if (advanced) {
      for (const l of this.listeners) {
        try {
          l(merged);
        } catch (e) {
          this.o.onError(asError(e));
        }
      }
    }
    return merged;
  }

  /** Feed of the user stream's state: from the second `live` on, events may have been missed, so re-read. */
  streamState(s: UserStreamState): void {
    if (s !== 'live') return;
    if (this.wasLive) void this.reconcileOpen();
    this.wasLive = true;
  }

  async reconcileOpen(): Promise<void> {
    for (const o of this.o.cache.openOrders()) {
      try {
        await this.o.reread(o);
      } catch (e) {
        this.o.onError(asError(e));
      }
    }
  }
}
