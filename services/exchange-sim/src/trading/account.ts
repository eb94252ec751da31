import { createHash } from 'node:crypto';
import Big from 'big.js';

export interface BalanceView {
  asset: string;
  free: string;
  locked: string;
}

interface Holding {
  free: Big;
  locked: Big;
}

const ZERO = new Big(0);

/** One trading account: per-asset free/locked balances, exact (big.js). */
export class Account {
  private readonly holdings = new Map<string, Holding>();
  updatedTs = Date.now();

  /** `key`: the Binance API key or the Coinbase key name. `uuid`: a stable account id (Coinbase portfolio/user id). */
  constructor(
    readonly key: string,
    readonly uuid: string,
    balances: Record<string, string> = {},
  ) {
    this.reset(balances);
  }

  /** Replaces every balance: `balances` become free, nothing locked. */
  reset(balances: Record<string, string>): void {
    this.holdings.clear();
    for (const [asset, v] of Object.entries(balances)) this.holdings.set(asset, { free: new Big(v), locked: ZERO });
    this.updatedTs = Date.now();
  }

  free(asset: string): Big {
    return this.holdings.get(asset)?.free ?? ZERO;
  }

  locked(asset: string): Big {
    return this.holdings.get(asset)?.locked ?? ZERO;
  }

  /** Moves `amount` from free to locked; false (nothing changed) when free < amount. */
  lock(asset: string, amount: Big): boolean {
    const h = this.holding(asset);
    if (h.free.lt(amount)) return false;
    h.free = h.free.minus(amount);
    h.locked = h.locked.plus(amount);
    this.updatedTs = Date.now();
    return true;
  }

  /**
   * Releases a lock of `locked` and spends `spent` out of it (spent <= locked): locked -= locked,
   * free += locked - spent.
   */
  settle(asset: string, locked: Big, spent: Big): void {
    const h = this.holding(asset);
    h.locked = h.locked.minus(locked);
    h.free = h.free.plus(locked.minus(spent));
    this.updatedTs = Date.now();
  }

  credit(asset: string, amount: Big): void {
    const h = this.holding(asset);
    h.free = h.free.plus(amount);
    this.updatedTs = Date.now();
  }

  /** Every asset held (also zero ones that were configured), sorted by asset. */
  balances(): BalanceView[] {
    return [...this.holdings.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([asset, h]) => ({ asset, free: h.free.toFixed(), locked: h.locked.toFixed() }));
  }

  balance(asset: string): BalanceView {
    return { asset, free: this.free(asset).toFixed(), locked: this.locked(asset).toFixed() };
  }

  private holding(asset: string): Holding {
    let h = this.holdings.get(asset);
    if (!h) this.holdings.set(asset, (h = { free: ZERO, locked: ZERO }));
    return h;
  }
}

/** A UUID-shaped id derived from `seed` (stable across restarts, e.g. a key name → its account id). */
export function stableUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
