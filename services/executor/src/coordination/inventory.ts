import { redisKeys } from '@arb/contracts';
import type { Redis } from 'ioredis';
import { decimalArg, holderArg } from './args';
import { CoordinationReplyError } from './errors';
import { RESERVE, SET_BALANCE, SET_TOTALS_IF_QUIET, SETTLE, SETTLE_TRADE } from './inventory-scripts';

export interface InventoryItem {
  venue: string;
  asset: string;
  /** Non-negative decimal string. */
  amount: string;
}

/** One (venue, asset) entry a trade's settlement moves: `reserved` taken out of the reservation, `delta` signed. */
export interface SettleItem {
  venue: string;
  asset: string;
  reserved: string;
  delta: string;
}

export interface InventoryBalance {
  /** Free amount (what may still be reserved); what the detector reads. */
  available: string;
  /** Set aside for trades in flight. The venue balance is available + reserved. */
  reserved: string;
}

const HOLDER_PREFIX = 'h:';

/**
 * Per-venue, per-asset inventory in Redis hashes (`redisKeys.inventory(venue, asset)`), updated only by Lua scripts
 * with exact decimal-string arithmetic (no floats anywhere). Amounts are decimal strings (big.js syntax accepted,
 * stored in plain notation, at most 30 decimal places). An optional `holder` (e.g. the trade id) tags a reservation
 * so a crashed trade's part can be found and returned later (`reservations`, `releaseHolder`).
 */
export class InventoryLedger {
  constructor(private readonly redis: Redis) {}

  /** Records the venue balance: available := balance − reserved (reservations in flight stay reserved). */
  async set(venue: string, asset: string, balance: string): Promise<void> {
    await SET_BALANCE.run(this.redis, [redisKeys.inventory(venue, asset)], [decimalArg('balance', balance)]);
  }

  /** Moves `amount` from available to reserved if available ≥ amount; false (and no change) otherwise. */
  async reserve(venue: string, asset: string, amount: string, holder?: string): Promise<boolean> {
    return this.reserveAll([{ venue, asset, amount }], holder);
  }

  /** All-or-nothing reservation of several amounts (e.g. quote on the buy venue and base on the sell venue) in one
   *  round trip; items on the same venue and asset add up. */
  async reserveAll(items: readonly InventoryItem[], holder?: string): Promise<boolean> {
    if (items.length === 0) return true;
    const keys = items.map((i) => redisKeys.inventory(i.venue, i.asset));
    const amounts = items.map((i) => decimalArg('amount', i.amount));
    const reply = await RESERVE.run(this.redis, keys, [holderOrEmpty(holder), ...amounts]);
    if (reply !== 0 && reply !== 1) throw new CoordinationReplyError(`inventory reserve: unexpected reply ${String(reply)}`);
    return reply === 1;
  }

  /**
   * Returns up to `amount` from reserved to available (never more than is reserved, or than the holder's part when a
   * holder is given). Resolves to the amount returned, or null when the ledger has no entry (e.g. Redis lost it).
   */
  async release(venue: string, asset: string, amount: string, holder?: string): Promise<string | null> {
    return this.runSettle(venue, asset, holderOrEmpty(holder), decimalArg('amount', amount), '0');
  }

  /**
   * After fills, one call: reserved −= reservedAmount (capped as in release) and the balance changes by exactly
   * `delta` (signed: −(spent incl. fee) on the paying asset, +received on the other), i.e. available += taken + delta.
   * Resolves to the reservation taken out, or null (no change) when the ledger has no entry.
   */
  async settle(venue: string, asset: string, reservedAmount: string, delta: string, holder?: string): Promise<string | null> {
    return this.runSettle(venue, asset, holderOrEmpty(holder), decimalArg('reservedAmount', reservedAmount), decimalArg('delta', delta, true));
  }

  /**
   * Settles a whole trade at once, exactly once: applied only while `holder`'s reservation is still on one of the
   * entries (it is taken out by this very call). False = nothing applied (settled before, or the reservation was
   * lost with Redis' data).
   */
  async settleTrade(holder: string, items: readonly SettleItem[]): Promise<boolean> {
    if (items.length === 0) return false;
    const keys = items.map((i) => redisKeys.inventory(i.venue, i.asset));
    const args = items.flatMap((i) => [decimalArg('reserved', i.reserved), decimalArg('delta', i.delta, true)]);
    const reply = await SETTLE_TRADE.run(this.redis, keys, [holderArg(holder), ...args]);
    if (reply !== 0 && reply !== 1) throw new CoordinationReplyError(`inventory settleTrade: unexpected reply ${String(reply)}`);
    return reply === 1;
  }

  /**
   * Sets each entry to the venue's total (available = total, reserved = 0, holder parts dropped) only if no trade
   * can be moving balances: the semaphore's fence counter still reads `fence` (no lease issued since) and no lease is
   * live. Resolves with the previous balance of each entry ('' = missing), or null when trading was not quiet.
   */
  async setTotalsIfQuiet(
    semaphore: { zsetKey: string; fenceKey: string },
    fence: string,
    totals: readonly { venue: string; asset: string; total: string }[],
  ): Promise<string[] | null> {
    if (totals.length === 0) return [];
    const keys = [semaphore.fenceKey, semaphore.zsetKey, ...totals.map((t) => redisKeys.inventory(t.venue, t.asset))];
    const reply = await SET_TOTALS_IF_QUIET.run(this.redis, keys, [fence, ...totals.map((t) => decimalArg('total', t.total))]);
    if (reply === null) return null;
    if (!Array.isArray(reply)) throw new CoordinationReplyError(`inventory setTotalsIfQuiet: unexpected reply ${String(reply)}`);
    return reply.map(String);
  }

  /** Returns a holder's whole reservation to available (e.g. after reconciling a crashed trade). */
  async releaseHolder(venue: string, asset: string, holder: string): Promise<string | null> {
    return this.runSettle(venue, asset, holderArg(holder), '*', '0');
  }

  /** Current amounts; '0' for missing fields. */
  async get(venue: string, asset: string): Promise<InventoryBalance> {
    const [available, reserved] = await this.redis.hmget(redisKeys.inventory(venue, asset), 'available', 'reserved');
    return { available: available ?? '0', reserved: reserved ?? '0' };
  }

  /** Holder-tagged reservations (holder → amount). */
  async reservations(venue: string, asset: string): Promise<Map<string, string>> {
    const all = await this.redis.hgetall(redisKeys.inventory(venue, asset));
    const out = new Map<string, string>();
    for (const [field, value] of Object.entries(all)) {
      if (field.startsWith(HOLDER_PREFIX)) out.set(field.slice(HOLDER_PREFIX.length), value);
    }
    return out;
  }

  /** Loads the scripts into Redis' cache so the first call is one EVALSHA (optional; done lazily otherwise). */
  async prepare(): Promise<void> {
    await Promise.all([RESERVE, SETTLE, SET_BALANCE, SETTLE_TRADE, SET_TOTALS_IF_QUIET].map((s) => s.load(this.redis)));
  }

  private async runSettle(venue: string, asset: string, holder: string, amount: string, delta: string): Promise<string | null> {
    const reply = await SETTLE.run(this.redis, [redisKeys.inventory(venue, asset)], [holder, amount, delta]);
    if (reply === null) return null;
    if (typeof reply !== 'string') throw new CoordinationReplyError(`inventory settle: unexpected reply ${String(reply)}`);
    return reply;
  }
}

function holderOrEmpty(holder: string | undefined): string {
  return holder === undefined ? '' : holderArg(holder);
}
