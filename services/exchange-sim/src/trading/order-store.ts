import type { SimOrder } from './order';

/** Every order of one venue, by order id and by (account, client order id), in arrival order. */
export class OrderStore {
  readonly all: SimOrder[] = [];
  private readonly byId = new Map<string, SimOrder>();
  private readonly byClientId = new Map<string, SimOrder>();

  add(o: SimOrder): void {
    this.all.push(o);
    if (o.status === 'rejected') return;
    this.byId.set(o.orderId, o);
    this.byClientId.set(clientKey(o.accountKey, o.clientOrderId), o);
  }

  /** An order the venue knows (rejected ones are not). */
  get(accountKey: string, orderId: string): SimOrder | undefined {
    const o = this.byId.get(orderId);
    return o && o.accountKey === accountKey ? o : undefined;
  }

  byClientOrderId(accountKey: string, clientOrderId: string): SimOrder | undefined {
    return this.byClientId.get(clientKey(accountKey, clientOrderId));
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

function clientKey(accountKey: string, clientOrderId: string): string {
  return `${accountKey}\u0000${clientOrderId}`;
}
