import { redisKeys } from '@arb/contracts';
import type { Redis } from 'ioredis';
import { decimalArg, holderArg } from './args';
import { CoordinationReplyError } from './errors';
import { RESERVE, SET_BALANCE, SETTLE } from './inventory-scripts';

export interface InventoryItem {
  venue: string;
  asset: string;
  /** Non-negative decimal string. */
  amount: string;
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
    await Promise.all([RESERVE.load(this.redis), SETTLE.load(this.redis), SET_BALANCE.load(this.redis)]);
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
