import type { KeyObject } from 'node:crypto';
import type { Account } from '../trading/account';
import type { SimOrder } from '../trading/order';
import { verifyCdpJwt } from './jwt';
import { userOrderJson } from './order-json';

export interface UserChannelAuth {
  keys: ReadonlyMap<string, KeyObject>;
  leewayS: number;
  account(keyName: string): Account | undefined;
  /** The account's orders that are still open (for the snapshot). */
  openOrders(keyName: string): SimOrder[];
}

/**
 * The `user` channel state of one connection (the dedicated user endpoint or the market-data one: the venue serves
 * the channel on both): which account it follows (JWT without `uri`) and its product filter.
 */
export class UserChannel {
  keyName: string | null = null;
  products = new Set<string>();

  constructor(private readonly auth: UserChannelAuth) {}

  /** Verifies the JWT; on success the `snapshot` events (open orders), else null. */
  subscribe(jwt: string, productIds: string[], nowS: number): unknown[] | null {
    const res = verifyCdpJwt(jwt, { keys: this.auth.keys, nowS, leewayS: this.auth.leewayS, uris: null });
    const account = res.ok ? this.auth.account(res.keyName) : undefined;
    if (!res.ok || !account) return null;
    this.keyName = res.keyName;
    this.products = new Set(productIds);
    const open = this.auth.openOrders(res.keyName).filter((o) => this.follows(o));
    return [{ type: 'snapshot', orders: open.map((o) => userOrderJson(o, account)), positions: { perpetual_futures_positions: [], expiring_futures_positions: [] } }];
  }

  unsubscribe(): void {
    this.keyName = null;
    this.products.clear();
  }

  /** The `update` events for an order of `keyName`, when this subscription follows it; else null. */
  update(keyName: string, order: SimOrder, account: Account): unknown[] | null {
    if (this.keyName !== keyName || !this.follows(order)) return null;
    return [{ type: 'update', orders: [userOrderJson(order, account)] }];
  }

  /** What the `subscriptions` ack lists for the channel (the account's id), or null when not subscribed. */
  ack(): string[] | null {
    return this.keyName === null ? null : [this.auth.account(this.keyName)?.uuid ?? ''];
  }

  private follows(o: SimOrder): boolean {
    return this.products.size === 0 || this.products.has(o.symbol);
  }
}
