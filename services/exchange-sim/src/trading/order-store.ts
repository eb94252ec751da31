import { isFinal, type SimOrder } from './order';

/**
 * Every order of one venue, by order id and by (account, client order id), in arrival order.
 * Bounded: beyond `maxOrders` the oldest FINAL orders are forgotten (queries then answer "unknown").
 */
export class OrderStore {
  all: SimOrder[] = [];
  private readonly byId = new Map<string, SimOrder>();
  private readonly byClientId = new Map<string, SimOrder>();

  constructor(private readonly maxOrders = 200_000) {}

  add(o: SimOrder): void {
    this.all.push(o);
    if (o.status !== 'rejected') {
      this.byId.set(o.orderId, o);
      this.byClientId.set(clientKey(o.accountKey, o.clientOrderId), o);
    }
    if (this.all.length > this.maxOrders + this.maxOrders / 10) this.trim();
  }

  /** An order the venue knows (rejected ones are not). */
  get(accountKey: string, orderId: string): SimOrder | undefined {
    const o = this.byId.get(orderId);
    return o && o.accountKey === accountKey ? o : undefined;
  }

  byClientOrderId(accountKey: string, clientOrderId: string): SimOrder | undefined {
    return this.byClientId.get(clientKey(accountKey, clientOrderId));
  }

  private trim(): void {
    const keep: SimOrder[] = [];
    let excess = this.all.length - this.maxOrders;
    for (const o of this.all) {
      if (excess > 0 && isFinal(o)) {
        excess--;
        if (this.byId.get(o.orderId) === o) this.byId.delete(o.orderId);
        if (this.byClientId.get(clientKeyOf(o)) === o) this.byClientId.delete(clientKeyOf(o));
        continue;
      }
      keep.push(o);
    }
    this.all = keep;
  }

  /** The account's known orders, newest first. */
  ofAccount(accountKey: string): SimOrder[] {
    const out: SimOrder[] = [];
    for (let i = this.all.length - 1; i >= 0; i--) {
      const o = this.all[i] as SimOrder;
      if (o.accountKey === accountKey && o.status !== 'rejected') out.push(o);
    }
    return out;
  }
}

function clientKeyOf(o: SimOrder): string {
  return clientKey(o.accountKey, o.clientOrderId);
}

function clientKey(accountKey: string, clientOrderId: string): string {
  return `${accountKey}\u0000${clientOrderId}`;
}
